package io.upm.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The single engine's order of events, rebuilt from the events of several partitions (docs/cluster.md): what a reader
 * of the whole events topic (the service in front of a cluster, {@code upm node events}) applies so that it hands out
 * the events in the order {@code upm engine} prints them.
 *
 * <p>The single engine emits a command's events in <em>runs</em> ({@code MarginEngine.applyInRuns}: each expiry
 * settled, quotes going stale, the re-pricing, the command's own effect, the liquidation pass), each run listing the
 * accounts it concerns in account order, and every partition goes through the same runs. An event's order within its
 * seq ({@link ClusterTopics#ORDER_HEADER}) is its run, or {@link #PASS} plus its place among the events of the venue's
 * liquidation pass. So within a seq: run after run, each merged from its sources by account id (events of no account
 * first), each source's own order kept; then the pass's events, by place. The events of one source are never
 * reordered among themselves. Stateless.
 */
public final class EventOrder {
    /** The order of the first event of a venue liquidation pass (the others follow by their place in it). */
    public static final int PASS = 1 << 20;
    /** What the order needs to know of an event. */
    public interface Placed {
        /** The event's seq. */
        long seq();

        /** Where it was read from (a partition, or finer); events of one source keep their order. */
        int source();

        /** Its order within its seq ({@link ClusterTopics#ORDER_HEADER}). */
        int order();

        /** The account it belongs to, or null. */
        String account();
    }

    private EventOrder() {
    }

    /**
     * The events in the single engine's order.
     *
     * @param bySeq events sorted by seq, those of one source in the order the source gave them
     */
    public static <T extends Placed> List<T> inEngineOrder(List<T> bySeq) {
        List<T> out = new ArrayList<>(bySeq.size());
        int i = 0;
        while (i < bySeq.size()) {
            int j = i;
            while (j < bySeq.size() && bySeq.get(j).seq() == bySeq.get(i).seq()) {
                j++;
            }
            TreeMap<Integer, List<T>> runs = new TreeMap<>();
            List<T> pass = new ArrayList<>();
            for (T r : bySeq.subList(i, j)) {
                if (r.order() >= PASS) {
                    pass.add(r);
                } else {
                    runs.computeIfAbsent(r.order(), k -> new ArrayList<>()).add(r);
                }
            }
            runs.values().forEach(run -> out.addAll(byAccount(run)));
            pass.sort(Comparator.comparingInt(Placed::order));
            out.addAll(pass);
            i = j;
        }
        return out;
    }

    /** The events of one seq and run merged by account id (each source's order kept). */
    private static <T extends Placed> List<T> byAccount(List<T> oneSeq) {
        TreeMap<Integer, ArrayDeque<T>> sources = new TreeMap<>();
        for (T r : oneSeq) {
            sources.computeIfAbsent(r.source(), k -> new ArrayDeque<>()).add(r);
        }
        if (sources.size() <= 1) {
            return oneSeq;
        }
        List<T> out = new ArrayList<>(oneSeq.size());
        while (!sources.isEmpty()) {
            ArrayDeque<T> next = null;
            for (ArrayDeque<T> q : sources.values()) {
                if (next == null || key(q.peek()).compareTo(key(next.peek())) < 0) {
                    next = q;
                }
            }
            out.add(next.poll());
            sources.values().removeIf(ArrayDeque::isEmpty);
        }
        return out;
    }

    private static String key(Placed p) {
        return p.account() == null ? "" : p.account();
    }
}
