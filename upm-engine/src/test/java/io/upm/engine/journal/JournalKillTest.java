package io.upm.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability against a real crash: a child JVM appends batches to a journal as fast as it can, printing each batch's
 * last seq once {@link Journal#append} has returned, and is killed with SIGKILL ({@code kill -9 <pid>}) at a random
 * moment, four times over on the same journal. After each kill the journal must open
 * without a warning, hold every batch the child reported durable, and end on a batch boundary: nothing partial.
 */
class JournalKillTest {
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(value = {OS.LINUX, OS.MAC}, disabledReason = "kill -9 is POSIX")
    void everyBatchReportedDurableSurvivesKillDashNine() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20251125);
        long reported = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path err = dir.resolve("child-" + round + ".err");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), JournalAppenderProcess.class.getName(),
                dir.resolve("journal").toString())
                .redirectError(err.toFile())
                .start();
            List<String> lines = new ArrayList<>();
            long durableAtKill;
            try (LineReader out = new LineReader(child.getInputStream())) {
                String first = out.readLine();
                assertThat(first).as("child's first line (stderr: %s)", Files.exists(err) ? Files.readString(err) : "")
                    .isEqualTo("open " + reported);
                int killAfter = 20 + rnd.nextInt(300);
                while (lines.size() < killAfter) {
                    String line = out.readLine();
                    assertThat(line).as("child died early (stderr: %s)", Files.readString(err)).isNotNull();
                    lines.add(line);
                }
                // kill -9 rather than destroyForcibly(), which also closes the pipe the lines below are read from
                Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start();
                assertThat(kill.waitFor()).isZero();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // what the child printed before it died counts too: it was durable when printed
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            for (String line : lines) {
                assertThat(line).startsWith("durable ");
                reported = Math.max(reported, Long.parseLong(line.substring("durable ".length())));
            }
            durableAtKill = reported;

            TreeSet<Long> batchEnds = batchEnds(durableAtKill + 200);
            try (Journal journal = Journal.open(dir.resolve("journal"))) {
                assertThat(journal.warnings()).isEmpty();
                long last = journal.lastSeq();
                assertThat(last).as("round %d: every batch reported durable is kept", round)
                    .isGreaterThanOrEqualTo(durableAtKill);
                assertThat(batchEnds).as("round %d: the journal ends on a batch boundary", round).contains(last);
                try (JournalCursor c = journal.readFrom(1)) {
                    long seq = 0;
                    while (c.hasNext()) {
                        JournalRecord r = c.next();
                        assertThat(r.seq()).isEqualTo(++seq);
                        assertThat(r.line()).isEqualTo(JournalTest.line(seq));
                    }
                    assertThat(seq).isEqualTo(last);
                }
                reported = last;
            }
        }
        assertThat(reported).isGreaterThan(ROUNDS * 20L);
    }

    /** The seq each batch of the child ends at, up to {@code upTo}. */
    private static TreeSet<Long> batchEnds(long upTo) {
        TreeSet<Long> ends = new TreeSet<>();
        ends.add(0L);
        long first = 1;
        while (first <= upTo) {
            long end = first + JournalAppenderProcess.batchSize(first) - 1;
            ends.add(end);
            first = end + 1;
        }
        return ends;
    }

    /** Complete lines only: a line the kill cut off before its line break is not returned. */
    private static final class LineReader implements AutoCloseable {
        private final Reader in;

        LineReader(InputStream in) {
            this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    return sb.toString();
                }
                sb.append((char) c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
