package io.upm.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.core.CommandStreamsAccess;
import io.upm.engine.core.MarginEngine;
import io.upm.margin.params.MarginParameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery with a real {@code kill -9}: a child JVM runs the engine on a journal and takes a random command
 * stream as fast as it can, and is killed with SIGKILL at random moments, over and over (three seeds); each new
 * child recovers from the journal and the client resends from {@code lastSeq + 1}. Every batch the child had
 * reported durable must be in the journal, and the final state must equal an uninterrupted run's, hash for hash.
 */
class EngineKillTest {
    private static Process child(Path dir, Path file, Path err) throws java.io.IOException {
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            EngineProcess.class.getName(), dir.toString(), file.toString());
        return b.redirectError(err.toFile()).start();
    }

    @Test
    @EnabledOnOs(value = {OS.LINUX, OS.MAC}, disabledReason = "kill -9 is POSIX")
    void killedAtRandomTheEngineRecoversToTheUninterruptedState(@TempDir Path tmp) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            List<String> lines = CommandStreamsAccess.stream(100 + seed, 30, 1_500);
            Path file = tmp.resolve("commands-" + seed + ".jsonl");
            Files.write(file, lines, StandardCharsets.UTF_8);
            Path dir = tmp.resolve("journal-" + seed);
            SplittableRandom rnd = new SplittableRandom(seed);
            int kills = 0;
            boolean done = false;
            long durable = 0;
            for (int round = 0; round < 12 && !done; round++) {
                Process child = child(dir, file, tmp.resolve("err-" + seed + "-" + round + ".txt"));
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                    String first = out.readLine();
                    assertThat(first).as("child's first line").startsWith("open ");
                    assertThat(Long.parseLong(first.substring(5))).as("recovery keeps every batch reported durable")
                        .isGreaterThanOrEqualTo(durable);
                    int killAfter = 5 + rnd.nextInt(25);
                    for (int n = 0; n < killAfter && !done; n++) {
                        String line = out.readLine();
                        if (line == null || line.equals("done")) {
                            done = true;
                        } else {
                            durable = Long.parseLong(line.substring("durable ".length()));
                        }
                    }
                    if (!done) {
                        Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start();
                        assertThat(kill.waitFor()).isZero();
                        kills++;
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            if (line.startsWith("durable ")) {
                                durable = Long.parseLong(line.substring("durable ".length()));
                            } else if (line.equals("done")) {
                                done = true;
                            }
                        }
                    }
                }
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            if (!done) {
                Process child = child(dir, file, tmp.resolve("err-" + seed + "-last.txt"));
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(kills).as("seed %d: the child was killed", seed).isGreaterThan(0);
            MarginEngine reference = new MarginEngine(io.upm.engine.core.CommandStreamsAccess.params());
            long seq = 0;
            for (String l : lines) {
                seq++;
                if (CommandReader.read(l) instanceof ReadResult.Parsed p) {
                    reference.apply(seq, p.command(), e -> { });
                }
            }
            try (EngineRunner recovered = EngineRunner.open(dir, null, 1_000_000, l -> { })) {
                assertThat(recovered.lastSeq()).isEqualTo(lines.size());
                assertThat(recovered.engine().stateHash()).as("seed %d after %d kills", seed, kills)
                    .isEqualTo(reference.stateHash());
            }
        }
    }
}
