package io.upm.service.cluster;

import io.upm.cluster.SequencedCommand;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.Command;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.event.Event;
import io.upm.engine.event.RejectedEvent;
import io.upm.service.engine.EngineHost;
import io.upm.service.read.ReadModel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster back end's memory of what it has read from the two topics, and the rule that decides when events may be
 * published. It knows every command record read (to learn each seq's time, the {@code market} commands' prices, and
 * the offset the engines must pass on each partition) and holds every event read until {@link #publish} hands the
 * events up to a seq to the read model, in seq order (ties in the order they were read: an account's events come from
 * one partition, in its order), with the times of their commands, then the prices of the accepted {@code market}
 * commands among them: what the in-process engine thread hands the same listener. It also keeps the cluster's clock
 * ({@link #clock()}).
 *
 * <p>Completeness is decided outside: with a {@link #target target} of command offsets, {@link #need()} says which
 * offset the engines' consumer group must have committed on each partition before the events of every command below the
 * target are in the events topic.
 *
 * <p>Not thread-safe: the back end's reader thread owns it.
 */
final class CommittedEventBuffer {
    /**
     * One event read and not yet published.
     *
     * @param source where it was read from: the events partition, and whether it belongs to no account (those come
     *               from partition 0's engine, the others from the account's own)
     * @param order  its order within its seq ({@link io.upm.cluster.ClusterTopics#ORDER_HEADER})
     */
    record Received(long seq, String line, Event event, int source, int order) implements io.upm.cluster.EventOrder.Placed {
        Received(long seq, String line, Event event, int source) {
            this(seq, line, event, source, 0);
        }

        @Override
        public String account() {
            return ReadModel.accountOf(event);
        }
    }

    private final int partitions;
    private final long[] target;
    private final long[] lastBelowTarget;
    private final List<ArrayDeque<long[]>> beyondTarget = new ArrayList<>();
    private final Map<Long, Instant> times = new HashMap<>();
    private final TreeMap<Long, Command> commands = new TreeMap<>();
    private final List<Received> received = new ArrayList<>();
    private long maxSeqBelowTarget;
    private long published;
    private Instant clock;

    /** An empty buffer for {@code partitions} partitions of each topic. */
    CommittedEventBuffer(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        this.target = new long[partitions];
        this.lastBelowTarget = new long[partitions];
        java.util.Arrays.fill(lastBelowTarget, -1);
        for (int q = 0; q < partitions; q++) {
            beyondTarget.add(new ArrayDeque<>());
        }
    }

    /**
     * A record of the commands topic.
     *
     * @throws IllegalArgumentException if it is not a record the ingest writes (naming the partition and offset)
     */
    void command(int partition, long offset, String value) {
        SequencedCommand c;
        try {
            c = SequencedCommand.decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commands topic partition " + partition + " offset " + offset + ": "
                + e.getMessage(), e);
        }
        long seq = c.seq();
        if (offset < target[partition]) {
            below(partition, offset, seq);
        } else {
            beyondTarget.get(partition).add(new long[] {offset, seq});
        }
        Instant t = null;
        switch (c.kind()) {
            case TICK -> t = Instant.parse(c.line());
            case ACCOUNT, BROADCAST -> {
                Command known = commands.get(seq); // a broadcast reaches every partition: parsed once
                if (known != null) {
                    t = known.time();
                } else if (CommandReader.read(c.line()) instanceof ReadResult.Parsed p) {
                    t = p.command().time();
                    if (seq > published) {
                        commands.put(seq, p.command());
                    }
                }
            }
            default -> {
                // a malformed line has no time (its rejected event carries none, as in the in-process engine); other
                // records (a later ingest's clock records) only restate a time the engines already have
            }
        }
        if (t != null && seq > published) {
            times.put(seq, t);
        }
    }

    private void advance(Instant t) {
        if (clock == null || t.isAfter(clock)) {
            clock = t;
        }
    }

    private void below(int partition, long offset, long seq) {
        lastBelowTarget[partition] = Math.max(lastBelowTarget[partition], offset);
        maxSeqBelowTarget = Math.max(maxSeqBelowTarget, seq);
    }

    /** A record of the events topic (an event line as the engine writes it) read from {@code partition}. */
    void event(int partition, String value) {
        event(partition, value, 0);
    }

    /**
     * A record of the events topic read from {@code partition}, with its order within its seq
     * ({@link io.upm.cluster.ClusterTopics#ORDER_HEADER}).
     */
    void event(int partition, String value, int order) {
        Event e = EventReader.read(value);
        received.add(new Received(e.seq(), value, e, 2 * partition + (ReadModel.accountOf(e) == null ? 1 : 0), order));
    }

    /**
     * Sets the offsets, per partition of the commands topic, below which every record is to be applied before the next
     * publication (the end of the topic when the cycle starts); records already read below it count at once.
     */
    void target(long[] endOffsets) {
        if (endOffsets.length != partitions) {
            throw new IllegalArgumentException("target: " + endOffsets.length + " offsets for " + partitions + " partitions");
        }
        for (int q = 0; q < partitions; q++) {
            target[q] = Math.max(target[q], endOffsets[q]);
            Iterator<long[]> it = beyondTarget.get(q).iterator();
            while (it.hasNext()) {
                long[] r = it.next();
                if (r[0] < target[q]) {
                    below(q, r[0], r[1]);
                    it.remove();
                }
            }
        }
    }

    /**
     * Per partition, the offset the engines' consumer group must have committed (it commits, in the same transaction as
     * a record's events, the offset after the record) for every command record read below the target to be applied:
     * one past the last such record, or 0 when none was read there.
     */
    long[] need() {
        long[] n = new long[partitions];
        for (int q = 0; q < partitions; q++) {
            n[q] = lastBelowTarget[q] + 1;
        }
        return n;
    }

    /** The highest seq of a command record read below the target (0 before any). */
    long maxSeqBelowTarget() {
        return maxSeqBelowTarget;
    }

    /**
     * The engines' clock as of the last publication: the latest time of a published command that their validation
     * accepted (no {@code rejected} event naming a field for its seq; a business refusal such as an order refused for
     * margin comes after time passed); null before any.
     */
    Instant clock() {
        return clock;
    }

    /** The seq up to which events were published. */
    long published() {
        return published;
    }

    /** Events read and not yet published. */
    int held() {
        return received.size();
    }

    /**
     * Hands every held event with a seq up to {@code upTo} to the listener, in seq order, with the times of their
     * commands; then the prices of the accepted {@code market} commands up to it (those without a {@code rejected}
     * event), and moves the clock. Events that arrive later for a seq already published (only when another sequencer wrote) are handed out at
     * the next publication, without a time.
     *
     * @return the events handed out, in the order handed out
     */
    List<Received> publish(long upTo, EngineHost.EventListener listener) {
        long w = Math.max(upTo, published);
        List<Received> block = new ArrayList<>();
        List<Received> keep = new ArrayList<>();
        for (Received r : received) {
            (r.seq() <= w ? block : keep).add(r);
        }
        received.clear();
        received.addAll(keep);
        block.sort(Comparator.comparingLong(Received::seq)); // stable: ties keep the order read
        block = inEngineOrder(block);
        Set<Long> rejected = new HashSet<>();
        if (!block.isEmpty()) {
            List<String> lines = new ArrayList<>(block.size());
            List<Event> events = new ArrayList<>(block.size());
            List<Instant> when = new ArrayList<>(block.size());
            for (Received r : block) {
                lines.add(r.line());
                events.add(r.event());
                when.add(times.get(r.seq()));
                if (r.event() instanceof RejectedEvent x && x.field() != null) {
                    rejected.add(r.seq()); // refused by validation (it names a field): no time passed at it
                }
            }
            listener.events(lines, events, when);
        }
        var due = commands.headMap(w, true);
        for (var c : due.entrySet()) {
            if (!rejected.contains(c.getKey())) {
                advance(c.getValue().time()); // the engine's clock: time passes at every command its validation accepts
                if (c.getValue() instanceof MarketCommand m) {
                    listener.marketPrices(c.getKey(), m.time(), m.fields().prices());
                }
            }
        }
        due.clear();
        times.keySet().removeIf(s -> s <= w);
        published = w;
        return block;
    }

    /** The single engine's order of one block of events ({@link io.upm.cluster.EventOrder}). */
    static List<Received> inEngineOrder(List<Received> bySeq) {
        return io.upm.cluster.EventOrder.inEngineOrder(bySeq);
    }

    /** After the engines have applied every record below the target: nothing below it is waited for any more. */
    void applied() {
        java.util.Arrays.fill(lastBelowTarget, -1);
    }
}
