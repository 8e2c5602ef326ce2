package io.upm.cli;

import io.upm.engine.journal.JournalException;
import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.params.MarginParameters;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm engine}: the live engine on a journal (FORMATS.md, "The live engine"): commands in, one JSON object per
 * line (stdin, or {@code --input}), events out on stdout, one per line, each written only once its command is
 * durable. Lines available together are journaled together (group commit, up to {@code --batch}), on this thread,
 * while the engine's own thread applies the previous batch. Started again on
 * the same journal it prints {@code recovered} first and goes on. {@code upm engine replay} re-runs a journal from
 * its start and prints every event again.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "Run the live margin engine on a journal: JSON Lines commands in, JSON Lines events out.",
    subcommands = {EngineCommand.Replay.class})
final class EngineCommand implements Callable<Integer> {
    @Option(names = "--journal", paramLabel = "DIR", description = "the journal's directory (created if new); required")
    Path journal;

    @Option(names = "--params", paramLabel = "FILE", description = "margin parameters (JSON or YAML) of a new journal")
    Path params;

    @Option(names = "--input", paramLabel = "FILE", description = "commands from this file instead of stdin")
    Path input;

    @Option(names = "--batch", defaultValue = "4096", paramLabel = "N",
        description = "most lines journaled in one group commit (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--snapshot-every", defaultValue = "200000", paramLabel = "N",
        description = "commands between automatic snapshots (default: ${DEFAULT-VALUE})")
    long snapshotEvery;

    @Override
    public Integer call() throws IOException {
        if (journal == null) {
            throw new BadInput("upm: engine: --journal DIR is required");
        }
        if (batch < 1 || batch > 1_000_000) {
            throw new BadInput("--batch: must be between 1 and 1000000, got " + batch);
        }
        if (snapshotEvery < 1) {
            throw new BadInput("--snapshot-every: must be at least 1, got " + snapshotEvery);
        }
        MarginParameters p = params == null ? null : Inputs.params(params);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        EngineRunner runner;
        try {
            runner = EngineRunner.open(journal, p, snapshotEvery, line -> write(out, line));
        } catch (IllegalArgumentException | JournalException e) {
            throw new BadInput("upm: engine journal " + journal + ": " + e.getMessage());
        }
        out.flush();
        try (runner; BufferedReader in = input == null
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            // two stages: this thread reads and journals (group commit), the engine's thread applies and writes events
            try (EngineRunner.Pipeline pipeline = runner.pipeline(new EngineRunner.EventSink() {
                @Override
                public void event(String line) {
                    write(out, line);
                }

                @Override
                public void endOfBatch() {
                    try {
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            })) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    // group commit: everything already available, up to the batch size
                    while (lines.size() < batch && in.ready() && (line = in.readLine()) != null) {
                        lines.add(line);
                    }
                    pipeline.submit(lines);
                    lines.clear();
                }
            }
            runner.snapshotNow();
        }
        out.flush();
        return 0;
    }

    private static void write(BufferedWriter out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code upm engine replay --journal DIR}: every event of the journal again, byte for byte. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run a journal from its first command and print every event again.")
    static final class Replay implements Callable<Integer> {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "the journal's directory")
        Path journal;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(journal)) {
                throw new BadInput("upm: engine journal " + journal + ": no such directory");
            }
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            try {
                EngineRunner.replay(journal, line -> write(out, line));
            } catch (JournalException e) {
                throw new BadInput("upm: engine journal " + journal + ": " + e.getMessage());
            }
            out.flush();
            return 0;
        }
    }
}
