package io.upm.cluster;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.core.VenuePass;
import io.upm.engine.event.Event;
import io.upm.margin.params.MarginParameters;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One partition's engine: the single-node engine's {@link MarginEngine}, in the {@link MarginEngine.Role#PART part}
 * role, fed the records of one partition of the commands topic in seq order. It applies its own accounts' commands and
 * every market-wide command, lets time pass at the ticks of the other partitions' accepted commands at which time
 * does something, and hands out the events that belong to this partition: those of its accounts, and (partition 0
 * only) those of no account, so that each event leaves the cluster once. After each of its own account commands its
 * clock is that command's verdict for the ingest: the command's time if it was accepted.
 *
 * <p><b>Liquidation.</b> When the venue's liquidation pass of a command concerns this partition's accounts (one is
 * below MM or waits in the queue), the engine hands them to the ingest ({@link Output#passRequest}) and <em>holds</em>:
 * every later record waits, in arrival order, until the venue's outcome of that pass arrives as a
 * {@link SequencedCommand.Kind#PASS} record; then the outcome is applied and the held records after it. So the
 * partition's state is the single engine's at every seq, whatever the timing (docs/cluster.md, "Liquidation").
 *
 * <p>Idempotent: a record whose seq is not above the last one received (the ingest resending after a failure) is
 * skipped, and so is an outcome already applied. Deterministic: the same records give the same events and the same
 * state, bit for bit. Not thread-safe: the partition's stream task owns it.
 */
public final class PartitionEngine {
    /** What applying records hands out. */
    public interface Output {
        /**
         * An event of this partition (its accounts', or one of no account on partition 0), with its order within its
         * seq ({@link ClusterTopics#ORDER_HEADER}: its run, or {@link EventOrder#PASS} + its place in the venue's pass).
         */
        void event(Event e, int order);

        /** The verdict of one of this partition's account commands: its clock just after it (epoch ms). */
        default void verdict(long seq, long clockMillis) {
        }

        /** The partition's accounts for the venue's pass of a command: the partition holds until its outcome. */
        default void passRequest(VenuePass.Request request) {
        }

        /** An output that keeps only the events. */
        static Output events(Consumer<Event> events) {
            return (e, order) -> events.accept(e);
        }
    }

    private final int partition;
    private final MarginParameters params;
    private MarginEngine engine;
    /** The seq of the last record applied. */
    private long lastSeq;
    /** The seq of the last record received (applied or held). */
    private long lastReceived;
    /** The seq of the pass whose outcome the partition waits for (0: none). */
    private long holding;
    /** The seq of the last pass outcome applied. */
    private long lastPass;
    /** Per account, the minute in which the venue's last outcome said the guard's budget leaves it no slice. */
    private final java.util.TreeMap<String, Long> budgetBlocked = new java.util.TreeMap<>();
    /** The pieces of the outcome being received. */
    private Chunks.Assembly outcomeParts = new Chunks.Assembly();
    /** The records received while holding, in arrival order. */
    private final ArrayDeque<SequencedCommand> held = new ArrayDeque<>();

    /** An empty partition engine. */
    public PartitionEngine(int partition, MarginParameters params) {
        this(partition, params, new MarginEngine(params, MarginEngine.Role.PART), 0, 0);
    }

    private PartitionEngine(int partition, MarginParameters params, MarginEngine engine, long lastSeq, long lastPass) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition: must be >= 0, got " + partition);
        }
        this.partition = partition;
        this.params = params;
        this.engine = engine;
        this.lastSeq = lastSeq;
        this.lastReceived = lastSeq;
        this.lastPass = lastPass;
    }

    /** The partition number. */
    public int partition() {
        return partition;
    }

    /** The seq of the last record applied (0 before the first): how far the partition has come, for the ingest. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Whether the partition waits for the outcome of a venue pass (and holds the records after it). */
    public boolean isHolding() {
        return holding != 0;
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
     * Applies one record (or holds it while a pass outcome is due) and hands out what it gives.
     *
     * @return false if the record was a duplicate (seq not above the last one received, or an outcome already applied)
     *         and was skipped
     */
    public boolean apply(SequencedCommand record, Output out) {
        if (record.kind() == SequencedCommand.Kind.PASS) {
            return applyPass(record, out);
        }
        if (isApplied(record)) {
            return false;
        }
        if (record.kind() != SequencedCommand.Kind.CLOCK && record.kind() != SequencedCommand.Kind.LIST) {
            lastReceived = record.seq();
        }
        if (holding != 0) {
            held.add(record);
            return true;
        }
        applyNow(record, out);
        return true;
    }

    private boolean applyPass(SequencedCommand record, Output out) {
        if (record.seq() <= lastPass) {
            return false; // applied already (the ingest resending)
        }
        if (record.seq() != holding) {
            throw new IllegalStateException("partition " + partition + ": the outcome of the pass at seq " + record.seq()
                + " arrived, but the partition " + (holding == 0 ? "waits for none" : "waits for seq " + holding));
        }
        if (!outcomeParts.add(record.line())) {
            return true; // more pieces to come
        }
        VenuePass.Outcome outcome = VenuePass.decodeOutcome(outcomeParts.bytes());
        if (outcome.seq() != holding) {
            throw new IllegalStateException("partition " + partition + ": an outcome of seq " + outcome.seq()
                + " sent as seq " + holding);
        }
        outcomeParts = new Chunks.Assembly();
        engine.applyVenuePass(outcome, (e, place) -> out.event(e, EventOrder.PASS + place));
        for (VenuePass.AccountOutcome o : outcome.accounts()) {
            if (o.blockedMinute() == Long.MIN_VALUE) {
                budgetBlocked.remove(o.account());
            } else {
                budgetBlocked.put(o.account(), o.blockedMinute());
            }
        }
        lastPass = holding;
        holding = 0;
        while (holding == 0 && !held.isEmpty()) {
            applyNow(held.poll(), out);
        }
        return true;
    }

    private void applyNow(SequencedCommand record, Output out) {
        long seq = record.seq();
        switch (record.kind()) {
            case LIST -> {
                engine.listInstrument(io.upm.product.InstrumentNames.parse(record.line(), "instrument"));
                return;
            }
            case CLOCK -> {
                // the venue's clock, before a command of this seq that is earlier than it: moves the clock only, and
                // is not this seq's record (the command follows with the same seq); no pass runs at it
                engine.apply(seq, new SnapshotCommand(Instant.parse(record.line())), e -> { });
                engine.takePassRequest();
                return;
            }
            case ACCOUNT -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Parsed p -> engine.applyInRuns(seq, p.command(), out::event);
                    case ReadResult.Malformed m -> out.event(m.toEvent(seq), 0); // the ingest's reader said otherwise
                }
            }
            case BROADCAST -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Parsed p -> engine.applyInRuns(seq, p.command(), (e, run) -> {
                        if (accountOf(e) != null || partition == 0) {
                            out.event(e, run);
                        }
                    });
                    case ReadResult.Malformed m -> {
                        if (partition == 0) {
                            out.event(m.toEvent(seq), 0);
                        }
                    }
                }
            }
            case TICK -> engine.applyInRuns(seq, new SnapshotCommand(Instant.parse(record.line())), (e, run) -> {
                if (accountOf(e) != null) {
                    out.event(e, run); // what time did to this partition's accounts; a refused tick concerns nobody
                }
            });
            case MALFORMED -> {
                switch (CommandReader.read(record.line())) {
                    case ReadResult.Malformed m -> out.event(m.toEvent(seq), 0);
                    case ReadResult.Parsed p -> engine.applyInRuns(seq, p.command(), out::event);
                }
            }
            case PASS -> throw new IllegalStateException("a pass outcome is not applied as a command");
        }
        lastSeq = seq;
        if (record.kind() == SequencedCommand.Kind.ACCOUNT) {
            out.verdict(seq, clockMillis());
        }
        VenuePass.Request r = engine.takePassRequest();
        if (r != null) {
            if (waitsOnlyForBudget(r)) {
                out.passRequest(r.withoutWaiting()); // the pass cannot change them: no need to wait for it
            } else {
                holding = seq;
                out.passRequest(r);
            }
        }
    }

    /**
     * Whether every account of a request waits for the cascade guard's budget of this minute (the venue's last outcome
     * said so, and it is still in liquidation, not bankrupt, not hedging first): then the pass leaves them as they are.
     */
    private boolean waitsOnlyForBudget(VenuePass.Request r) {
        long minute = MarginEngine.minuteOf(r.time());
        for (VenuePass.Candidate c : r.candidates()) {
            Long blocked = budgetBlocked.get(c.account());
            if (blocked == null || blocked != minute || !engine.waitsForBudget(c.account())) {
                return false;
            }
        }
        return true;
    }

    /** The account an event belongs to, or null for one of no account ({@link Event#accountOf}). */
    public static String accountOf(Event e) {
        return Event.accountOf(e);
    }

    /**
     * Whether a record was received already (the ingest resending): its seq is not above the last one received; a
     * listing, which follows the other records of its seq, only when its seq is below it (listing twice changes
     * nothing); an outcome when its pass was applied.
     */
    public boolean isApplied(SequencedCommand record) {
        return switch (record.kind()) {
            case LIST -> record.seq() < lastReceived;
            case PASS -> record.seq() <= lastPass;
            default -> record.seq() <= lastReceived;
        };
    }

    /**
     * The partition's state: the last seq applied, the last pass applied, the accounts the guard's budget blocks, then
     * the engine's snapshot.
     *
     * @throws IllegalStateException while holding (the held records are not part of it: snapshot after the outcome)
     */
    public byte[] snapshot() {
        if (holding != 0) {
            throw new IllegalStateException("partition " + partition + " holds records for the pass at seq " + holding);
        }
        byte[] state = engine.snapshot();
        byte[][] names = new byte[budgetBlocked.size()][];
        int size = 16 + 4 + state.length;
        int k = 0;
        for (String a : budgetBlocked.keySet()) {
            names[k] = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            size += 4 + names[k++].length + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putLong(lastSeq).putLong(lastPass).putInt(names.length);
        k = 0;
        for (long minute : budgetBlocked.values()) {
            b.putInt(names[k].length).put(names[k++]).putLong(minute);
        }
        return b.put(state).array();
    }

    /** A partition engine in the state of a {@link #snapshot()} taken with the same parameters. */
    public static PartitionEngine restore(int partition, byte[] snapshot, MarginParameters params) {
        if (snapshot.length < 20) {
            throw new IllegalArgumentException("partition snapshot: " + snapshot.length + " bytes, too short");
        }
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        long lastSeq = b.getLong();
        long lastPass = b.getLong();
        java.util.TreeMap<String, Long> blocked = new java.util.TreeMap<>();
        for (int n = b.getInt(); n > 0; n--) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            blocked.put(new String(name, java.nio.charset.StandardCharsets.UTF_8), b.getLong());
        }
        byte[] state = new byte[b.remaining()];
        b.get(state);
        PartitionEngine p = new PartitionEngine(partition, params,
            MarginEngine.restore(state, params, MarginEngine.Role.PART), lastSeq, lastPass);
        p.budgetBlocked.putAll(blocked);
        return p;
    }

    /** The parameters. */
    public MarginParameters params() {
        return params;
    }
}
