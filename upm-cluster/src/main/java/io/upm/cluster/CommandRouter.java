package io.upm.cluster;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.FillCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ingest's sequencer and router: gives every input line the next global sequence number and decides which
 * partitions receive it, and as what, so that every partition passes time exactly where the single-node engine does
 * (docs/cluster.md, "Routing" and "Time"):
 *
 * <ul>
 *   <li>a command of one account goes to the partition that owns the account ({@link ClusterTopics#partitionOf});</li>
 *   <li>a market-wide command ({@code market}, {@code quote}, {@code funding}, {@code settle}, {@code snapshot})
 *       goes to every partition, in seq order with each partition's own commands;</li>
 *   <li>a malformed line goes to the partition of the account it names (partition 0 when it names none).</li>
 * </ul>
 *
 * <p><b>Time.</b> The single engine lets time pass (expiries settle, options re-price, quotes go stale, the
 * liquidation budget renews) at the first <em>accepted</em> command that reaches a time, and a command rejected by
 * validation moves nothing (FORMATS.md). Whether an account command passes validation depends on its account, which
 * only its partition holds. So the router keeps a <em>shadow</em> engine of the market-wide part of the state (every
 * market-wide command and every tick; no account) and asks it for the next time at which time passing does anything
 * ({@link MarginEngine#nextTimeActionMillis()}, the next minute, the expiries of every instrument the stream named):
 * <ul>
 *   <li>an account command before that time needs nothing more: whatever its verdict, time does nothing at it;</li>
 *   <li>an account command at or after it (a <em>crossing</em>) is sent, the router waits for its owner's verdict
 *       and those of the commands still in flight, in one round trip ({@link Channel#awaitClocks}: each owner's clock
 *       after its command), and only if it was accepted sends every other partition a
 *       {@link SequencedCommand.Kind#TICK tick} of its time at its seq;</li>
 *   <li>a command whose time is before a command still waiting for its verdict first waits for every verdict; if it is
 *       then before the venue's clock, its receiver gets a {@link SequencedCommand.Kind#CLOCK clock} record first, so
 *       that it rejects it as the single engine does.</li>
 * </ul>
 * A crossing happens about once a minute of engine time (more at expiries and while commands at the turn of a minute
 * are rejected): one round trip to a partition each time, and no other traffic between partitions.
 *
 * <p>Deterministic: the same lines and verdicts give the same records. Not thread-safe: the ingest's single producer
 * thread owns it.
 */
public final class CommandRouter {
    /** One record to write: its partition, its key, its value. */
    public record Routed(int partition, String key, SequencedCommand command) {
    }

    /** Where the router's records go and where the partitions' verdicts come from (Kafka, or partitions in memory). */
    public interface Channel {
        /** Appends one record to the commands topic. */
        void send(Routed record);

        /**
         * Makes every record sent so far visible to the partitions and returns what they said since the last call,
         * waiting until something is said.
         *
         * @throws IllegalStateException if nothing is said within the channel's timeout (a partition is down)
         */
        List<Verdict> await();

        /** What the partitions said since the last call, without waiting (may be empty). */
        List<Verdict> poll();
    }

    private static final long MINUTE = 60_000L;

    private final int partitions;
    private final MarginEngine shadow;
    private long nextSeq;
    /** The venue's clock as far as known: exact when no command waits for its verdict, else a lower bound. */
    private long knownClock = Long.MIN_VALUE;
    /** Account commands sent without a known verdict: seq to time (epoch ms). */
    private final TreeMap<Long, Long> pending = new TreeMap<>();
    private long pendingMaxTime = Long.MIN_VALUE;
    /** The expiries (epoch ms) of every instrument an account command named. */
    private final TreeSet<Long> expiries = new TreeSet<>();
    /** The instruments an accepted account command listed (every partition lists them). */
    private final java.util.HashSet<String> listed = new java.util.HashSet<>();
    private long crossings;
    private long waits;
    /** The verdicts of account commands heard and not yet taken: seq to the owner's clock. */
    private final Map<Long, Long> clocks = new java.util.HashMap<>();
    /** The venue's liquidation: the fund, the guard, the queue (docs/cluster.md, "Liquidation"). */
    private final VenueLiquidation venue;

    /**
     * A router that numbers lines from {@code nextSeq} on, from an empty venue.
     *
     * @param partitions the partition count of the commands topic, at least 1
     * @param nextSeq    the seq of the next line, at least 1
     * @param params     the nodes' margin parameters (the shadow engine's: the index's staleness, the market's checks)
     */
    public CommandRouter(int partitions, long nextSeq, MarginParameters params) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: must be at least 1, got " + partitions);
        }
        if (nextSeq < 1) {
            throw new IllegalArgumentException("nextSeq: must be at least 1, got " + nextSeq);
        }
        this.partitions = partitions;
        this.nextSeq = nextSeq;
        this.shadow = new MarginEngine(params);
        this.venue = new VenueLiquidation(partitions, params);
    }

    /** The venue's liquidation engine (its fund and queue: read-only use). */
    public MarginEngine venueEngine() {
        return venue.engine();
    }

    /**
     * Measurement only: nanoseconds the venue's liquidation spent moving its engine to the passes' seqs, running the
     * passes, and accounts served in them.
     */
    public long[] venueCost() {
        long[] n = venue.nanos();
        return new long[] {n[0], n[1], venue.accountsServed()};
    }

    /**
     * Passes that changed an account of a partition that did not wait for them, because it knew its accounts waited
     * for the guard's budget: only an auto-deleveraging can (the one known difference, docs/cluster.md). 0 elsewhere.
     */
    public long unwaitedChanged() {
        return venue.unwaitedChanged();
    }

    /** Pass requests whose partition did not wait, knowing its accounts waited for the guard's budget (a counter). */
    public long notWaited() {
        return venue.notWaited();
    }

    /**
     * The highest seq up to which every partition has applied what it was sent and every venue liquidation pass has run
     * (its outcome records sent to the channel): a seq's events are all made, or on their way, once its commands and
     * those outcomes are applied.
     */
    public long settledThrough() {
        return venue.settledThrough();
    }

    /** Venue liquidation passes run (each for every partition that handed in accounts at its seq). */
    public long passes() {
        return venue.passes();
    }

    /**
     * Hears what the partitions said without waiting and sends the outcome of every venue pass that can run: call it
     * now and then (the ingest does every {@value CommandIngest#PUMP_EVERY_LINES} lines and after each batch) so that
     * a partition holding for a pass does not wait for the next crossing. Returns the outcome records sent.
     */
    public int pump(Channel channel) {
        return hear(channel.poll(), channel);
    }

    /**
     * Waits until every partition has applied every record it was sent and every pass is run: the end of an input
     * (a partition holding for a pass would otherwise wait for the next line).
     */
    public void drain(Channel channel) {
        pump(channel);
        while (!venue.idle()) {
            hear(channel.await(), channel);
        }
    }

    /** Takes what the partitions said and sends the outcomes of the passes that can run; returns how many it sent. */
    private int hear(List<Verdict> said, Channel channel) {
        for (Verdict v : said) {
            if (v instanceof Verdict.Clock c) {
                clocks.put(c.seq(), c.clockMillis());
            } else {
                venue.heard(v);
            }
        }
        List<Routed> outcomes = venue.resolve();
        for (Routed r : outcomes) {
            channel.send(r);
        }
        return outcomes.size();
    }

    /**
     * Waits for the verdicts of these seqs (hearing and answering the partitions' pass requests meanwhile) and returns
     * them, forgetting them and every verdict of a lower seq.
     */
    private Map<Long, Long> awaitClocks(List<Long> seqs, Channel channel) {
        hear(channel.poll(), channel);
        while (!clocks.keySet().containsAll(seqs)) {
            hear(channel.await(), channel);
        }
        Map<Long, Long> out = new java.util.HashMap<>();
        long last = Long.MIN_VALUE;
        for (Long s : seqs) {
            out.put(s, clocks.remove(s));
            last = Math.max(last, s);
        }
        // every verdict needed is asked for in seq order: one below the last asked (a command rejected for its time,
        // whose verdict nobody waits for) is never asked again
        final long upTo = last;
        clocks.keySet().removeIf(k -> k < upTo);
        return out;
    }

    /** Sends a record, noting for the venue's liquidation what the partition will count as applied. */
    private void send(Channel channel, Routed r) {
        SequencedCommand.Kind k = r.command().kind();
        if (k != SequencedCommand.Kind.CLOCK && k != SequencedCommand.Kind.LIST && k != SequencedCommand.Kind.PASS) {
            venue.sent(r.partition(), r.command().seq());
        }
        channel.send(r);
    }

    /** The partition count. */
    public int partitions() {
        return partitions;
    }

    /** The seq the next line will get. */
    public long nextSeq() {
        return nextSeq;
    }

    /** Account commands that crossed a time at which time does something (each one waited for its owner's verdict). */
    public long crossings() {
        return crossings;
    }

    /** Round trips the router waited for verdicts (one per crossing, one per time going back past a command in flight). */
    public long waits() {
        return waits;
    }

    /** Numbers one input line and sends the records it becomes (at least one) to the channel. */
    public void route(String line, Channel channel) {
        long seq = nextSeq++;
        routeLine(seq, line, channel);
        venue.routed(seq);
    }

    private void routeLine(long seq, String line, Channel channel) {
        switch (CommandReader.read(line)) {
            case ReadResult.Parsed p -> {
                Command c = p.command();
                long t = c.time().toEpochMilli();
                if (c instanceof AccountCommand ac) {
                    routeAccount(seq, line, ac, t, channel);
                } else {
                    routeMarketWide(seq, line, c, t, channel);
                }
            }
            case ReadResult.Malformed m -> {
                String key = m.account() == null ? ClusterTopics.MARKET_KEY : m.account();
                int owner = m.account() == null ? 0 : ClusterTopics.partitionOf(m.account(), partitions);
                send(channel, new Routed(owner, key, new SequencedCommand(seq, SequencedCommand.Kind.MALFORMED, line)));
            }
        }
    }

    private void routeAccount(long seq, String line, AccountCommand ac, long t, Channel channel) {
        Command c = (Command) ac;
        noteExpiry(c);
        Instrument named = instrumentOf(c);
        // the first order or fill naming an instrument lists it, if accepted: every partition must list it too
        boolean lists = named != null && !listed.contains(named.name()) && !shadow.isListed(named.name());
        int owner = ClusterTopics.partitionOf(ac.account(), partitions);
        if (t < pendingMaxTime) {
            settle(channel); // a command in flight is later: the venue's clock must be exact to judge this one's time
        }
        // with commands in flight the venue's clock is a lower bound, but in the same minute as the true one (a command
        // that started a new minute was a crossing), so the time at which time next acts is the same
        boolean crossing = t >= nextAction();
        if (t < knownClock) {
            // upm engine rejects it for its time: the owner must hold the venue's clock to do the same
            send(channel, new Routed(owner, ac.account(), clockRecord(seq)));
            send(channel, new Routed(owner, ac.account(), new SequencedCommand(seq, SequencedCommand.Kind.ACCOUNT, line)));
            return;
        }
        send(channel, new Routed(owner, ac.account(), new SequencedCommand(seq, SequencedCommand.Kind.ACCOUNT, line)));
        if (!crossing && !lists) {
            pending.put(seq, t);
            pendingMaxTime = Math.max(pendingMaxTime, t);
            return;
        }
        if (crossing) {
            crossings++;
        }
        // one round trip: the verdicts of the commands in flight and of this one (t is at or after every one of them,
        // so none of their verdicts could make this command's time earlier than the venue's clock)
        waits++;
        List<Long> ask = new ArrayList<>(pending.keySet());
        ask.add(seq);
        Map<Long, Long> clocks = awaitClocks(ask, channel);
        for (Long s : ask) {
            if (clocks.get(s) == null) {
                throw new IllegalStateException("no verdict for seq " + s);
            }
        }
        for (Long s : pending.keySet()) {
            knownClock = Math.max(knownClock, clocks.get(s));
        }
        pending.clear();
        pendingMaxTime = Long.MIN_VALUE;
        long clock = clocks.get(seq);
        if (clock == t) { // accepted: time passes at this seq in every partition
            if (crossing) {
                for (int q = 0; q < partitions; q++) {
                    if (q != owner) {
                        send(channel, new Routed(q, ClusterTopics.MARKET_KEY,
                            new SequencedCommand(seq, SequencedCommand.Kind.TICK, c.time().toString())));
                    }
                }
                shadow.apply(seq, new SnapshotCommand(c.time()), e -> { });
                venue.tick(seq, c.time());
            }
            knownClock = t;
            if (lists) {
                listed.add(named.name());
                for (int q = 0; q < partitions; q++) {
                    if (q != owner) {
                        send(channel, new Routed(q, ClusterTopics.MARKET_KEY,
                            new SequencedCommand(seq, SequencedCommand.Kind.LIST, named.name())));
                    }
                }
                shadow.listInstrument(named);
                venue.listed(seq, named);
            }
        }
    }

    private void routeMarketWide(long seq, String line, Command c, long t, Channel channel) {
        if (t < pendingMaxTime) {
            settle(channel);
        }
        if (t < knownClock) {
            // rejected for its time everywhere: only partition 0 says so (an event of no account), with the venue's clock
            send(channel, new Routed(0, ClusterTopics.MARKET_KEY, clockRecord(seq)));
            send(channel, new Routed(0, ClusterTopics.MARKET_KEY, new SequencedCommand(seq, SequencedCommand.Kind.BROADCAST, line)));
            return;
        }
        for (int q = 0; q < partitions; q++) {
            send(channel, new Routed(q, ClusterTopics.MARKET_KEY, new SequencedCommand(seq, SequencedCommand.Kind.BROADCAST, line)));
        }
        shadow.apply(seq, c, e -> { });
        venue.marketWide(seq, c);
        Instant clock = shadow.clock();
        if (clock != null) {
            knownClock = Math.max(knownClock, clock.toEpochMilli());
        }
    }

    private SequencedCommand clockRecord(long seq) {
        return new SequencedCommand(seq, SequencedCommand.Kind.CLOCK, Instant.ofEpochMilli(knownClock).toString());
    }

    /** Waits for the verdicts of every command in flight; the venue's clock is then exact. */
    private void settle(Channel channel) {
        if (pending.isEmpty()) {
            return;
        }
        waits++;
        Map<Long, Long> clocks = awaitClocks(new ArrayList<>(pending.keySet()), channel);
        for (Long s : pending.keySet()) {
            Long clock = clocks.get(s);
            if (clock == null) {
                throw new IllegalStateException("no verdict for seq " + s);
            }
            knownClock = Math.max(knownClock, clock);
        }
        pending.clear();
        pendingMaxTime = Long.MIN_VALUE;
    }

    /**
     * The earliest time at which letting time pass may do something in some partition: the shadow's (re-pricing, a
     * quote going stale, a listed expiry), the next expiry of an instrument the stream named, the next minute (the
     * liquidation pass's budget).
     */
    private long nextAction() {
        long t = shadow.nextTimeActionMillis();
        if (knownClock != Long.MIN_VALUE) {
            t = Math.min(t, Math.floorDiv(knownClock, MINUTE) * MINUTE + MINUTE);
            Long e = expiries.higher(knownClock);
            if (e != null) {
                t = Math.min(t, e);
            }
        } else if (!expiries.isEmpty()) {
            t = Math.min(t, expiries.first());
        }
        return t;
    }

    private void noteExpiry(Command c) {
        Instrument ins = instrumentOf(c);
        if (ins != null && ins.expiry() != null) {
            expiries.add(ins.expiry().toEpochMilli());
        }
    }

    /** The instrument an order or a fill names (null for other commands). */
    private static Instrument instrumentOf(Command c) {
        return switch (c) {
            case OrderCommand o -> o.instrument();
            case FillCommand f -> f.instrument();
            default -> null;
        };
    }

    /**
     * The input line of each seq held in the commands topic's records (each record once per partition that holds it;
     * ticks, clock records, listings and pass outcomes carry no line), in seq order: what a restarted ingest routes again, with a channel that
     * sends nothing and answers from the verdicts, to rebuild its state exactly.
     */
    public static TreeMap<Long, String> linesOf(Iterable<SequencedCommand> records) {
        TreeMap<Long, String> lines = new TreeMap<>();
        for (SequencedCommand r : records) {
            if (r.kind() != SequencedCommand.Kind.TICK && r.kind() != SequencedCommand.Kind.CLOCK
                && r.kind() != SequencedCommand.Kind.LIST && r.kind() != SequencedCommand.Kind.PASS) {
                lines.putIfAbsent(r.seq(), r.line());
            }
        }
        return lines;
    }
}
