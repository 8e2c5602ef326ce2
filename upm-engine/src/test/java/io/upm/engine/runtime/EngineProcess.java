package io.upm.engine.runtime;

import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child of {@link EngineKillTest}: an engine on a journal that takes the commands of a file as a client would
 * send them, resuming after a crash from {@code lastSeq + 1} (what {@code recovered.lastSeq} tells the client), in
 * batches of varying size, and prints {@code durable <seq>} once each batch has returned (its events handed out),
 * then {@code done}.
 *
 * <p>Arguments: the journal's directory, the commands file.
 */
public final class EngineProcess {
    private EngineProcess() {
    }

    /** Runs the child. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        try (EngineRunner runner = EngineRunner.open(dir, io.upm.engine.core.CommandStreamsAccess.params(), 700, l -> { })) {
            int next = (int) runner.lastSeq();
            System.out.println("open " + next);
            System.out.flush();
            while (next < lines.size()) {
                int size = 1 + (int) ((next * 2654435761L) % 97);
                int to = Math.min(lines.size(), next + size);
                runner.submit(lines.subList(next, to), l -> { });
                next = to;
                System.out.println("durable " + runner.lastSeq());
                System.out.flush();
            }
            System.out.println("done");
        }
    }
}
