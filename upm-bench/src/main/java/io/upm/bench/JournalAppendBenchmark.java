package io.upm.bench;

import io.upm.engine.journal.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The live engine's journal: one durable {@link Journal#append} of a batch of {@code batchSize} input lines of
 * about 150 bytes (an {@code order} command), fsynced before it returns (WAL, synchronous=FULL). The primary score
 * is batches per second; the {@code records} counter is records per second. Each iteration starts on a fresh,
 * empty journal in a directory under {@code -Dupm.bench.dir} (default: {@code java.io.tmpdir}), deleted after it:
 * the disk behind that directory is what is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class JournalAppendBenchmark {
    /** Records per append: one (no group commit), 64, 1024. */
    @Param({"1", "64", "1024"})
    public int batchSize;

    private Path directory;
    private Journal journal;
    private List<byte[]> batch;

    /** Records appended, reported by JMH per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Records {
        /** Records appended in this iteration. */
        public long records;

        /** Zero at each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            records = 0;
        }
    }

    /** A fresh journal and one batch of distinct lines of about 150 bytes. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path base = Path.of(System.getProperty("upm.bench.dir", System.getProperty("java.io.tmpdir")));
        directory = Files.createTempDirectory(Files.createDirectories(base), "upm-journal-bench");
        journal = Journal.open(directory);
        batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(String.format("{\"type\":\"order\",\"time\":\"2026-01-05T12:34:56.789Z\",\"account\":\"acct-%05d\","
                + "\"id\":\"o-%08d\",\"instrument\":\"BTC-27MAR26-100000-C\",\"size\":-1.5,\"price\":0.0125}",
                i % 10_000, i).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Closes and deletes the journal. */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** One durable batch. */
    @Benchmark
    public long append(Records records) {
        long last = journal.append(batch);
        records.records += batchSize;
        return last;
    }
}
