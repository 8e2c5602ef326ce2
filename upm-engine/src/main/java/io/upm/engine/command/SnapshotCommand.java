package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code snapshot}: asks the engine to write a snapshot of its state now.
 *
 * @param time the command's time
 */
public record SnapshotCommand(Instant time) implements Command {
    /** Checks the time. */
    public SnapshotCommand {
        CommandChecks.time(time);
    }

    @Override
    public CommandType type() {
        return CommandType.SNAPSHOT;
    }
}
