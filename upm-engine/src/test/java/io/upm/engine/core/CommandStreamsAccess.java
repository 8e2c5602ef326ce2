package io.upm.engine.core;

import java.util.List;

/** The random command streams of the engine's tests, for tests in other packages. */
public final class CommandStreamsAccess {
    private CommandStreamsAccess() {
    }

    /** {@link CommandStreams#PARAMS}: the parameters the streams are made for. */
    public static io.upm.margin.params.MarginParameters params() {
        return CommandStreams.PARAMS;
    }

    /** {@link CommandStreams#stream}. */
    public static List<String> stream(long seed, int accounts, int commands) {
        return CommandStreams.stream(seed, accounts, commands);
    }
}
