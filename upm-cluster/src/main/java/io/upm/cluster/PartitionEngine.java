package io.upm.cluster;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.event.AcceptedEvent;
import io.upm.engine.event.Event;
import io.upm.engine.event.InsuranceEvent;
import io.upm.engine.event.LiquidationEvent;
import io.upm.engine.event.MarginCallEvent;
import io.upm.engine.event.MarginEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.margin.params.MarginParameters;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One partition's engine: the unchanged {@link MarginEngine} of the single-node engine, fed the records of one
 * partition of the commands topic in seq order. It applies its own accounts' commands and every market-wide command,
 * lets time pass at the ticks of the other partitions' accepted commands at which time does something, and hands out
 * the events that belong to this partition: those of its accounts, and (partition 0 only) those of no account, so
 * that each event leaves the cluster once. After each of its own account commands its clock ({@link #clockMillis()})
 * is that command's verdict for the ingest: the command's time if it was accepted.
 *
 * <p>Idempotent: a record whose seq is not above the last one applied (the ingest resending after a failure) is
 * skipped. Deterministic: the same records give the same events and the same state, bit for bit. Not thread-safe:
 * the partition's stream task owns it.
 */
public final class PartitionEngine {
    private final int partition;
    private final MarginParameters params;
    private MarginEngine engine;
    private long lastSeq;

    /** An empty partition engine. */
    public PartitionEngine(int partition, MarginParameters params) {
        this(partition, params, new MarginEngine(params), 0);
    }

    private PartitionEngine(int partition, MarginParameters params, MarginEngine engine, long lastSeq) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition: must be >= 0, got " + partition);
        }
        this.partition = partition;
        this.params = params;
        this.engine = engine;
        this.lastSeq = lastSeq;
    }

    /** The partition number. */
    public int partition() {
        return partition;
    }

    /** The seq of the last record applied (0 before the first). */
    public long lastSeq() {
        return lastSeq;
    }

    /** The engine's clock, epoch ms (Long.MIN_VALUE before the first accepted command): the verdict the ingest reads. */
    public long clockMillis() {
        Instant c = engine.clock();
        return c == null ? Long.MIN_VALUE : c.toEpochMilli();
    }

    /** The engine (read-only use: reports, state hashes). */
    public MarginEngine engine() {
        return engine;
    }

    /**
     * Applies one record and hands out this partition's events.
     *
     * @return false if the record was a duplicate (seq not above {@link #lastSeq()}) and was skipped
     */
    public boolean apply(SequencedCommand record, Consumer<Event> out) {
        if (isApplied(record)) {
            return false;
        }
        if (record.kind() == SequencedCommand.Kind.LIST) {
            engine.listInstrument(io.upm.product.InstrumentNames.parse(record.line(), "instrument"));
            return true;
        }
        long seq = record.seq();
        switch (record.kind()) {
            case ACCOUNT -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Parsed p -> engine.apply(seq, p.command(), out);
                    case ReadResult.Malformed m -> out.accept(m.toEvent(seq)); // the ingest's reader said otherwise
                }
            }
            case CLOCK -> {
                // the venue's clock, before a command of this seq that is earlier than it: moves the clock only, and
                // is not this seq's record (the command follows with the same seq)
                engine.apply(seq, new SnapshotCommand(Instant.parse(record.line())), e -> { });
                return true;
            }
            case BROADCAST -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Parsed p -> engine.apply(seq, p.command(), e -> {
                        if (accountOf(e) != null || partition == 0) {
                            out.accept(e);
                        }
                    });
                    case ReadResult.Malformed m -> {
                        if (partition == 0) {
                            out.accept(m.toEvent(seq));
                        }
                    }
                }
            }
            case TICK -> engine.apply(seq, new SnapshotCommand(Instant.parse(record.line())), e -> {
                if (accountOf(e) != null) {
                    out.accept(e); // what time did to this partition's accounts; a refused tick concerns nobody
                }
            });
            case MALFORMED -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Malformed m -> out.accept(m.toEvent(seq));
                    case ReadResult.Parsed p -> engine.apply(seq, p.command(), out);
                }
            }
        }
        lastSeq = seq;
        return true;
    }

    /** The account an event belongs to, or null for one of no account (a market command's rejection, an index). */
    public static String accountOf(Event e) {
        return switch (e) {
            case AcceptedEvent a -> a.account();
            case RejectedEvent r -> r.account();
            case MarginEvent m -> m.account();
            case ReportEvent r -> r.report().account();
            case LiquidationEvent l -> l.account();
            case MarginCallEvent m -> m.account();
            case InsuranceEvent i -> i.account();
            default -> null;
        };
    }

    /**
     * Whether a record was applied already (the ingest resending): its seq is not above the last one applied; a
     * listing, which follows the other records of its seq, only when its seq is below it (listing twice changes
     * nothing).
     */
    public boolean isApplied(SequencedCommand record) {
        return record.kind() == SequencedCommand.Kind.LIST ? record.seq() < lastSeq : record.seq() <= lastSeq;
    }

    /** The partition's state: the last seq applied, then the engine's snapshot. */
    public byte[] snapshot() {
        byte[] state = engine.snapshot();
        return ByteBuffer.allocate(8 + state.length).putLong(lastSeq).put(state).array();
    }

    /** A partition engine in the state of a {@link #snapshot()} taken with the same parameters. */
    public static PartitionEngine restore(int partition, byte[] snapshot, MarginParameters params) {
        if (snapshot.length < 8) {
            throw new IllegalArgumentException("partition snapshot: " + snapshot.length + " bytes, too short");
        }
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        long lastSeq = b.getLong();
        byte[] state = new byte[snapshot.length - 8];
        b.get(state);
        return new PartitionEngine(partition, params, MarginEngine.restore(state, params), lastSeq);
    }

    /** The parameters. */
    public MarginParameters params() {
        return params;
    }
}
