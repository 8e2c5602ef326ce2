package io.upm.cluster;

import io.upm.engine.command.Command;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.core.VenuePass;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The venue's liquidation in the cluster (docs/cluster.md, "Liquidation"), run by the ingest: the one place that owns
 * what spans every account, the insurance fund, the cascade guard's budget and the queue. It keeps a
 * {@link MarginEngine.Role#VENUE venue engine} fed the market-wide records, ticks and listings in seq order, collects
 * the partitions' {@link Verdict.PassRequestPart requests}, and runs the pass of a seq once it is <em>complete</em>: every
 * partition has applied every record it was sent up to that seq, so no other partition can still hand in accounts for
 * it. The pass runs on all the accounts handed in, as the single engine runs it, and each requesting partition gets
 * its share of the outcome as a {@link SequencedCommand.Kind#PASS} record.
 *
 * <p>Passes run in seq order; the venue engine is moved to a seq just before its pass and never beyond it, so it is
 * the single engine's market at that seq. Deterministic: the same records sent and the same requests give the same
 * outcomes, whenever the verdicts arrive. Not thread-safe: the ingest's thread owns it.
 */
final class VenueLiquidation {
    private final int partitions;
    private final MarginEngine venue;
    /** Market-wide inputs not yet applied to the venue engine: per seq, commands, tick times and listings, in order. */
    private final TreeMap<Long, List<Object>> feed = new TreeMap<>();
    /** Per partition, the seqs sent to it that it has not reported applied. */
    private final List<TreeSet<Long>> unapplied = new ArrayList<>();
    private final long[] progress;
    /** Requests still in pieces, by seq and partition: their seq is not complete until they are whole. */
    private final TreeMap<Map.Entry<Long, Integer>, Chunks.Assembly> assembling =
        new TreeMap<>(Map.Entry.<Long, Integer>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    /** Requests per seq, per partition. */
    private final TreeMap<Long, TreeMap<Integer, VenuePass.Request>> requests = new TreeMap<>();
    private long lastPass;
    /** The last seq the router has finished routing: its market-wide inputs are all known. */
    private long routed;
    private long passes;
    private long unwaitedChanged;
    private long notWaited;
    private long accountsServed;
    /** Nanoseconds spent moving the venue engine and running passes (measurement only, never part of a decision). */
    private long feedNanos;
    private long passNanos;

    VenueLiquidation(int partitions, MarginParameters params) {
        this.partitions = partitions;
        this.venue = new MarginEngine(params, MarginEngine.Role.VENUE);
        this.progress = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            unapplied.add(new TreeSet<>());
        }
    }

    /** A market-wide command every partition applies at this seq. */
    void marketWide(long seq, Command c) {
        feed.computeIfAbsent(seq, k -> new ArrayList<>()).add(c);
    }

    /** Time passing at this seq in every partition (a crossing's tick, or its owner's command). */
    void tick(long seq, Instant t) {
        feed.computeIfAbsent(seq, k -> new ArrayList<>()).add(new SnapshotCommand(t));
    }

    /** An instrument every partition lists at this seq, after its other records. */
    void listed(long seq, Instrument ins) {
        feed.computeIfAbsent(seq, k -> new ArrayList<>()).add(ins);
    }

    /** A record of this seq was sent to this partition (one it counts as applied: not a clock, listing or outcome). */
    void sent(int partition, long seq) {
        if (seq > progress[partition]) {
            unapplied.get(partition).add(seq);
        }
    }

    /** What a partition said. */
    void heard(Verdict v) {
        switch (v) {
            case Verdict.Progress p -> progressed(p.partition(), p.seq());
            case Verdict.PassRequestPart r -> {
                if (r.seq() <= lastPass) {
                    return; // a re-run's copy of a request whose pass ran
                }
                var key = Map.entry(r.seq(), r.partition());
                Chunks.Assembly a = assembling.computeIfAbsent(key, k -> new Chunks.Assembly());
                if (a.add(r.piece())) {
                    assembling.remove(key);
                    VenuePass.Request request = VenuePass.decodeRequest(a.bytes());
                    if (request.seq() != r.seq()) {
                        throw new IllegalArgumentException("request of seq " + request.seq() + " sent as seq " + r.seq());
                    }
                    progressed(r.partition(), r.seq());
                    requests.computeIfAbsent(r.seq(), k -> new TreeMap<>()).put(r.partition(), request);
                }
            }
            case Verdict.Clock c -> {
                // the router's; the owner's progress comes with its progress records
            }
        }
    }

    private void progressed(int partition, long seq) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions);
        }
        if (seq > progress[partition]) {
            progress[partition] = seq;
            unapplied.get(partition).headSet(seq, true).clear();
        }
    }

    /**
     * The router has sent every record of this seq (a crossing's ticks go out after its owner's verdict: until then the
     * feed of its seq is not whole).
     */
    void routed(long seq) {
        routed = Math.max(routed, seq);
    }

    /**
     * Whether the pass of this seq can run: the router has finished the seq, and every partition has applied every
     * record of this seq or before that it was sent.
     */
    private boolean complete(long seq) {
        if (seq > routed || !assembling.isEmpty() && assembling.firstKey().getKey() <= seq) {
            return false;
        }
        for (TreeSet<Long> u : unapplied) {
            if (!u.isEmpty() && u.first() <= seq) {
                return false;
            }
        }
        return true;
    }

    /** Whether no pass is pending and every partition has applied everything it was sent. */
    boolean idle() {
        return requests.isEmpty() && assembling.isEmpty() && unapplied.stream().allMatch(TreeSet::isEmpty);
    }

    /**
     * The highest seq up to which every venue pass has run (its outcomes sent): the router has routed it, every
     * partition has applied every record it was sent up to it, and no request up to it is pending or in pieces. A
     * reader that publishes a seq's events only below it never publishes a seq before its pass's events.
     */
    long settledThrough() {
        long s = routed;
        for (TreeSet<Long> u : unapplied) {
            if (!u.isEmpty()) {
                s = Math.min(s, u.first() - 1);
            }
        }
        if (!requests.isEmpty()) {
            s = Math.min(s, requests.firstKey() - 1);
        }
        if (!assembling.isEmpty()) {
            s = Math.min(s, assembling.firstKey().getKey() - 1);
        }
        return s;
    }

    /** Passes waiting for requests or for partitions to catch up. */
    int pending() {
        return requests.size();
    }

    /** Passes run, and accounts served in them (counters). */
    long passes() {
        return passes;
    }

    long accountsServed() {
        return accountsServed;
    }

    /** Nanoseconds spent moving the venue engine to the passes' seqs, and running them (measurement). */
    long[] nanos() {
        return new long[] {feedNanos, passNanos};
    }

    /** The venue engine (its fund, its queue: read-only use). */
    MarginEngine engine() {
        return venue;
    }

    /** Runs every pass that is complete, in seq order, and returns the outcome records to send. */
    List<CommandRouter.Routed> resolve() {
        List<CommandRouter.Routed> out = new ArrayList<>();
        while (!requests.isEmpty() && complete(requests.firstKey())) {
            Map.Entry<Long, TreeMap<Integer, VenuePass.Request>> e = requests.pollFirstEntry();
            long seq = e.getKey();
            long t0 = System.nanoTime();
            feedUpTo(seq);
            long t1 = System.nanoTime();
            List<VenuePass.Request> rs = new ArrayList<>(e.getValue().values());
            VenuePass.Outcome outcome = venue.runVenuePass(seq, rs.getFirst().time(), rs);
            feedNanos += t1 - t0;
            passNanos += System.nanoTime() - t1;
            lastPass = seq;
            passes++;
            accountsServed += outcome.accounts().size();
            for (var byPartition : e.getValue().entrySet()) {
                int q = byPartition.getKey();
                VenuePass.Outcome share = outcome.restrictedTo(a -> ClusterTopics.partitionOf(a, partitions) == q);
                if (!byPartition.getValue().waits()) {
                    notWaited++;
                    // the partition knew its accounts wait for the budget and went on: the pass must have left them
                    checkUnchanged(byPartition.getValue(), share);
                    continue;
                }
                for (String piece : Chunks.split(VenuePass.encode(share))) {
                    out.add(new CommandRouter.Routed(q, ClusterTopics.MARKET_KEY,
                        new SequencedCommand(seq, SequencedCommand.Kind.PASS, piece)));
                }
            }
        }
        return out;
    }

    /**
     * A partition that did not wait: its accounts must be as it handed them in, with no event. Else an auto-deleveraging
     * of the pass took one (the one known difference, docs/cluster.md): counted, and the partition keeps its own.
     */
    private void checkUnchanged(VenuePass.Request request, VenuePass.Outcome share) {
        boolean same = share.events().isEmpty() && share.accounts().size() == request.candidates().size();
        for (int k = 0; same && k < share.accounts().size(); k++) {
            VenuePass.AccountOutcome o = share.accounts().get(k);
            VenuePass.Candidate c = request.candidates().get(k);
            same = o.queued() && o.account().equals(c.account()) && java.util.Arrays.equals(o.state(), c.state());
        }
        if (!same) {
            unwaitedChanged++;
        }
    }

    /** Requests whose partition did not wait (its accounts waited for the guard's budget). */
    long notWaited() {
        return notWaited;
    }

    /** Passes that changed an account of a partition that did not wait for them (auto-deleveraging: docs/cluster.md). */
    long unwaitedChanged() {
        return unwaitedChanged;
    }

    private void feedUpTo(long seq) {
        while (!feed.isEmpty() && feed.firstKey() <= seq) {
            Map.Entry<Long, List<Object>> e = feed.pollFirstEntry();
            for (Object o : e.getValue()) {
                switch (o) {
                    case Command c -> venue.apply(e.getKey(), c, x -> { });
                    case Instrument i -> venue.listInstrument(i);
                    default -> throw new IllegalStateException("feed: " + o);
                }
            }
        }
    }
}
