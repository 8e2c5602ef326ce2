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
            try (JournalCursor cursor = journal.readFrom(from)) {
                while (cursor.hasNext()) {
                    JournalRecord r = cursor.next();
                    apply(engine, r.seq(), r.text(), e -> { });
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
        List<byte[]> bytes = new ArrayList<>(lines.size());
        for (String l : lines) {
            bytes.add(l.getBytes(StandardCharsets.UTF_8));
        }
        long last = journal.append(bytes);
        long seq = last - lines.size();
        for (String l : lines) {
            seq++;
            ReadResult read = CommandReader.read(l);
            switch (read) {
                case ReadResult.Parsed p -> {
                    engine.apply(seq, p.command(), e -> out.accept(EventWriter.toJsonLine(e)));
                    if (p.command() instanceof SnapshotCommand) {
                        snapshot(seq);
                    }
                }
                case ReadResult.Malformed m -> out.accept(EventWriter.toJsonLine(m.toEvent(seq)));
            }
            if (++sinceSnapshot >= snapshotEvery) {
                snapshot(seq);
            }
        }
    }

    private void snapshot(long seq) {
        journal.saveSnapshot(seq, engine.snapshot());
        journal.deleteSnapshotsBefore(seq); // the journal alone rebuilds any earlier state
        sinceSnapshot = 0;
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
            try (JournalCursor cursor = journal.readFrom(1)) {
                while (cursor.hasNext()) {
                    JournalRecord r = cursor.next();
                    apply(engine, r.seq(), r.text(), e -> out.accept(EventWriter.toJsonLine(e)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
