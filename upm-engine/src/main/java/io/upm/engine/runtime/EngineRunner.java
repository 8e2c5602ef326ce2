package io.upm.engine.runtime;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.event.Event;
import io.upm.engine.event.RecoveredEvent;
import io.upm.engine.journal.Journal;
import io.upm.engine.journal.JournalCursor;
import io.upm.engine.journal.JournalRecord;
import io.upm.engine.journal.JournalSnapshot;
import io.upm.formats.ParametersReader;
import io.upm.formats.ParametersWriter;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine with its journal: input lines are journaled (durably, a batch per group commit) before they are
 * parsed and applied, and their events are handed out only after that (FORMATS.md: an event is written only once
 * the command that caused it is durable). Every line gets a seq, malformed or not, so a replay reproduces its
 * rejection too. State is a function of the journal: on open, the latest snapshot is loaded and the records after
 * it are re-applied (their events were already handed out, or are lost with the crash that stopped the engine:
 * the client resends from {@code recovered.lastSeq + 1}).
 *
 * <p>The parameters are part of the journal: written to {@value #PARAMETERS_FILE} when the journal is created and
 * read back on every open, so that a restart can never re-apply the journal under other parameters.
 *
 * <p>Not thread-safe: the engine's single writer calls it.
 */
public final class EngineRunner implements AutoCloseable {
    /** The parameters file kept beside the journal. */
    public static final String PARAMETERS_FILE = "params.json";
    /** Commands between automatic snapshots. */
    public static final long DEFAULT_SNAPSHOT_EVERY = 200_000;

    private final Journal journal;
    private final MarginEngine engine;
    private final long snapshotEvery;
    private long sinceSnapshot;

    private EngineRunner(Journal journal, MarginEngine engine, long snapshotEvery) {
        this.journal = journal;
        this.engine = engine;
        this.snapshotEvery = snapshotEvery;
    }

    /**
     * Opens (or creates) the engine in {@code dir}.
     *
     * @param dir           the journal's directory
     * @param params        the parameters for a new journal; for an existing one null, or the same as its own
     * @param snapshotEvery commands between automatic snapshots
     * @param out           receives the {@code recovered} line when the journal existed
     * @throws IllegalArgumentException if {@code params} differ from the journal's own
     */
    public static EngineRunner open(Path dir, MarginParameters params, long snapshotEvery, Consumer<String> out) {
        Journal journal = Journal.open(dir);
        try {
            Path file = journal.directory().resolve(PARAMETERS_FILE);
            MarginParameters own;
            if (Files.exists(file)) {
                own = ParametersReader.read(Files.readString(file), PARAMETERS_FILE);
                if (params != null && !ParametersWriter.toJson(params).equals(ParametersWriter.toJson(own))) {
                    throw new IllegalArgumentException("--params: differ from the parameters the journal in " + dir
                        + " was created with (" + PARAMETERS_FILE + "); a journal is replayed under its own");
                }
            } else {
                own = params == null ? MarginParameters.defaults() : params;
                writeDurably(file, ParametersWriter.toJson(own));
            }
            MarginEngine engine;
            Optional<JournalSnapshot> snapshot = journal.latestSnapshot();
            long from = 1;
            if (snapshot.isPresent()) {
                engine = MarginEngine.restore(snapshot.get().state(), own);
                from = snapshot.get().seq() + 1;
            } else {
                engine = new MarginEngine(own);
            }
            GeneratedCheck check = new GeneratedCheck(journal, from, true);
            try (JournalCursor cursor = journal.readFrom(from)) {
                while (cursor.hasNext()) {
                    JournalRecord r = cursor.next();
                    apply(engine, r.seq(), r.text(), e -> { });
                    check.after(r.seq(), engine.takeGenerated());
                }
            }
            if (!journal.wasCreated()) {
                out.accept(EventWriter.toJsonLine(new RecoveredEvent(journal.lastSeq(), engine.accountCount())));
            }
            return new EngineRunner(journal, engine, snapshotEvery);
        } catch (IOException e) {
            journal.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    private static void writeDurably(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Re-applying the journal: the engine's own lines it decides (liquidation steps, bankruptcies) must be those the
     * journal kept after the same record, byte for byte; a difference stops the start (the journal was written by an
     * engine that decided otherwise: replay it with that version). Lines the journal lacks (the engine crashed between
     * a command and its own lines) are journaled now when recovering.
     */
    private static final class GeneratedCheck {
        private final Journal journal;
        private final long[] seqs;
        private final boolean repair;
        private int next;

        GeneratedCheck(Journal journal, long from, boolean repair) {
            this.journal = journal;
            this.seqs = journal.generatedSeqs(from);
            this.repair = repair;
        }

        void after(long seq, List<String> decided) {
            while (next < seqs.length && seqs[next] < seq) {
                next++;
            }
            boolean stored = next < seqs.length && seqs[next] == seq;
            if (!stored) {
                if (!decided.isEmpty() && repair) {
                    journal.appendGenerated(seq, toBytes(decided));
                }
                return;
            }
            List<byte[]> kept = journal.generated(seq);
            List<byte[]> now = toBytes(decided);
            boolean same = kept.size() == now.size();
            for (int i = 0; same && i < kept.size(); i++) {
                same = java.util.Arrays.equals(kept.get(i), now.get(i));
            }
            if (!same) {
                throw new io.upm.engine.journal.JournalCorruptedException("journal " + journal.directory()
                    + ": the engine's own lines after record " + seq + " (" + kept.size() + " kept) differ from what this"
                    + " engine decides (" + now.size() + "): the journal was written by an engine that decided otherwise",
                    seq, null);
            }
        }
    }

    /** Parses one journaled line and applies it; a malformed line becomes its {@code rejected} event. */
    private static void apply(MarginEngine engine, long seq, String line, Consumer<Event> events) {
        ReadResult read = CommandReader.read(line);
        switch (read) {
            case ReadResult.Parsed p -> engine.apply(seq, p.command(), events);
            case ReadResult.Malformed m -> events.accept(m.toEvent(seq));
        }
    }

    /**
     * Journals a batch of input lines (one group commit), then applies them in order and hands out their events as
     * JSON lines. A {@code snapshot} command, and every {@code snapshotEvery} commands, writes a snapshot.
     *
     * @param lines the input lines (without line breaks)
     * @param out   receives the events' JSON lines, in order, only after the batch is durable
     */
    public void submit(List<String> lines, Consumer<String> out) {
        if (lines.isEmpty()) {
            return;
        }
        long last = journal.append(toBytes(lines));
        applyBatch(last - lines.size() + 1, parse(lines), out, this::snapshot);
    }

    private static List<ReadResult> parse(List<String> lines) {
        List<ReadResult> parsed = new ArrayList<>(lines.size());
        for (String l : lines) {
            parsed.add(CommandReader.read(l));
        }
        return parsed;
    }

    private static List<byte[]> toBytes(List<String> lines) {
        List<byte[]> bytes = new ArrayList<>(lines.size());
        for (String l : lines) {
            bytes.add(l.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    /** Applies a durable batch whose first line has seq {@code first}; snapshots go to {@code snapshots}. */
    private void applyBatch(long first, List<ReadResult> lines, Consumer<String> out, SnapshotSink snapshots) {
        long seq = first - 1;
        List<Event> events = new ArrayList<>();
        for (ReadResult read : lines) {
            seq++;
            switch (read) {
                case ReadResult.Parsed p -> {
                    events.clear();
                    engine.apply(seq, p.command(), events::add);
                    List<String> decided = engine.takeGenerated();
                    if (!decided.isEmpty()) {
                        // the engine's own lines are durable before the events of the command that caused them
                        journal.appendGenerated(seq, toBytes(decided));
                    }
                    for (Event e : events) {
                        out.accept(EventWriter.toJsonLine(e));
                    }
                    if (p.command() instanceof SnapshotCommand) {
                        snapshots.save(seq, engine.snapshot());
                        sinceSnapshot = 0;
                    }
                }
                case ReadResult.Malformed m -> out.accept(EventWriter.toJsonLine(m.toEvent(seq)));
            }
            if (++sinceSnapshot >= snapshotEvery) {
                snapshots.save(seq, engine.snapshot());
                sinceSnapshot = 0;
            }
        }
    }

    /** Where the engine's snapshots go: written at once, or handed to the journal's thread. */
    @FunctionalInterface
    private interface SnapshotSink {
        void save(long seq, byte[] state);
    }

    private void snapshot(long seq) {
        snapshot(seq, engine.snapshot());
        sinceSnapshot = 0;
    }

    /** Writes a snapshot (on the journal's thread; the engine's thread counts commands between snapshots). */
    private void snapshot(long seq, byte[] state) {
        journal.saveSnapshot(seq, state);
        journal.deleteSnapshotsBefore(seq); // the journal alone rebuilds any earlier state
    }

    /**
     * Where a pipeline's events go, from the engine's thread: each event's JSON line, then the end of each batch (the
     * moment to flush an output stream).
     */
    public interface EventSink {
        /** One event's JSON line. */
        void event(String line);

        /** Every event of a durable batch has been handed out. */
        void endOfBatch();
    }

    /**
     * Starts the two-stage pipeline: the caller's thread journals each batch (group commit, fsync) and a second
     * thread, from then on the engine's single writer, applies the durable batches in order and hands out their
     * events, so that the next batch is made durable while the previous one is applied. An event is still handed out
     * only after its command is durable. Close the pipeline before using the runner again (it waits for every batch
     * to be applied and writes the snapshots that were asked for).
     *
     * @param sink receives the events (on the engine's thread)
     * @return the pipeline
     */
    public Pipeline pipeline(EventSink sink) {
        return new Pipeline(sink);
    }

    /** The journal-then-apply pipeline of {@link #pipeline}. Not thread-safe: one producer thread calls it. */
    public final class Pipeline implements AutoCloseable {
        private static final int DEPTH = 4;
        private final java.util.concurrent.ArrayBlockingQueue<Batch> durable =
            new java.util.concurrent.ArrayBlockingQueue<>(DEPTH);
        private final java.util.concurrent.ConcurrentLinkedQueue<Object[]> snapshots =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final Thread writer;
        private volatile Throwable failure;
        private boolean closed;

        private record Batch(long first, List<ReadResult> lines) {
            static final Batch END = new Batch(0, List.of());
        }

        private Pipeline(EventSink sink) {
            writer = Thread.ofPlatform().name("upm-engine-writer").start(() -> {
                try {
                    while (true) {
                        Batch b = durable.take();
                        if (b == Batch.END) {
                            return;
                        }
                        applyBatch(b.first(), b.lines(), sink::event, (seq, state) -> snapshots.add(new Object[] {seq, state}));
                        sink.endOfBatch();
                    }
                } catch (Throwable t) {
                    failure = t;
                    durable.clear();
                }
            });
        }

        /**
         * Parses and journals a batch on the caller's thread (durable when this returns) and hands it to the engine's
         * thread.
         * Blocks while the engine is {@value #DEPTH} batches behind.
         *
         * @throws IllegalStateException if the engine's thread failed (the cause attached)
         */
        public void submit(List<String> lines) {
            check();
            if (lines.isEmpty()) {
                return;
            }
            // parsed here too, so that the engine's thread only applies (parsing has no state: the same result later)
            List<ReadResult> parsed = parse(lines);
            saveSnapshots();
            long last = journal.append(toBytes(lines));
            try {
                while (!durable.offer(new Batch(last - lines.size() + 1, parsed), 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    check();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing a durable batch to the engine", e);
            }
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("the pipeline is closed");
            }
            if (failure != null) {
                throw new IllegalStateException("the engine's thread failed: " + failure, failure);
            }
        }

        private void saveSnapshots() {
            Object[] s;
            while ((s = snapshots.poll()) != null) {
                snapshot((Long) s[0], (byte[]) s[1]);
            }
        }

        /** Waits until every submitted batch is applied, then writes the snapshots it asked for. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (failure == null) {
                    durable.put(Batch.END);
                }
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the engine", e);
            }
            if (failure != null) {
                throw new IllegalStateException("the engine's thread failed: " + failure, failure);
            }
            saveSnapshots();
        }
    }

    /** Writes a snapshot of the state at the last seq (e.g. at the end of the input: a faster next start). */
    public void snapshotNow() {
        if (journal.lastSeq() > 0) {
            snapshot(journal.lastSeq());
        }
    }

    /** The engine (its owner's thread only). */
    public MarginEngine engine() {
        return engine;
    }

    /** The seq of the last journaled line. */
    public long lastSeq() {
        return journal.lastSeq();
    }

    /** What the journal repaired when it was opened (a torn last record dropped). */
    public List<String> warnings() {
        return journal.warnings();
    }

    @Override
    public void close() {
        journal.close();
    }

    /**
     * Re-runs a journal from its first record under its own parameters, without snapshots, handing out every event:
     * byte for byte the events the engine wrote when it took those commands.
     */
    public static void replay(Path dir, Consumer<String> out) {
        try (Journal journal = Journal.open(dir)) {
            Path file = journal.directory().resolve(PARAMETERS_FILE);
            MarginParameters params = Files.exists(file)
                ? ParametersReader.read(Files.readString(file), PARAMETERS_FILE) : MarginParameters.defaults();
            MarginEngine engine = new MarginEngine(params);
            GeneratedCheck check = new GeneratedCheck(journal, 1, false);
            try (JournalCursor cursor = journal.readFrom(1)) {
                while (cursor.hasNext()) {
                    JournalRecord r = cursor.next();
                    List<String> events = new ArrayList<>();
                    apply(engine, r.seq(), r.text(), e -> events.add(EventWriter.toJsonLine(e)));
                    check.after(r.seq(), engine.takeGenerated());
                    events.forEach(out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
