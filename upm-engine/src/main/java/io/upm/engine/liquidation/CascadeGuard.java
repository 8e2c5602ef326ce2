package io.upm.engine.liquidation;

import io.upm.margin.RiskArrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cascade guard of MODEL.md section 11: per underlying, at most {@code guardAdvFraction} x ADV / 1440 USD of
 * liquidated notional per minute of engine time (the minute is the epoch minute of the step's time:
 * floor(millis / 60,000)); and the queue of accounts in liquidation, worst margin ratio (MM / equity) first, an account
 * with equity &lt;= 0 before any other, ties by account id. An underlying without an ADV in the snapshot has no budget
 * limit (as it has no liquidity add-on).
 *
 * <p>The engine asks {@link #remainingByAsset} before planning a step, passes it to the planner as the notional cap,
 * and {@link #record}s each step it applies; replay re-records the journaled steps, so the guard's state follows the
 * journal. Mutable, single-threaded; sorted maps only, so iteration is deterministic.
 */
public final class CascadeGuard {
    private static final long MINUTE_MILLIS = 60_000L;

    private final LiquidationParameters params;
    /** Per underlying code: {minute, used notional USD}. */
    private final TreeMap<String, double[]> used = new TreeMap<>();
    private final TreeSet<QueueEntry> queue = new TreeSet<>();
    private final Map<String, QueueEntry> queued = new HashMap<>();

    /** One queued account with the ratio it is ordered by. */
    private record QueueEntry(String account, double marginRatio) implements Comparable<QueueEntry> {
        @Override
        public int compareTo(QueueEntry o) {
            int c = Double.compare(o.marginRatio, marginRatio); // worst (largest) first
            return c != 0 ? c : account.compareTo(o.account);
        }
    }

    /** A guard with no usage and an empty queue. */
    public CascadeGuard(LiquidationParameters params) {
        this.params = params;
    }

    /** The budget per minute of an underlying, USD (+infinity without an ADV). */
    public double budgetPerMinute(RiskArrays arrays, String underlying) {
        int a = arrays.assetIndex(underlying);
        double adv = a < 0 ? Double.NaN : arrays.adv(a);
        return adv > 0.0 ? params.guardBudgetPerMinute(adv) : Double.POSITIVE_INFINITY;
    }

    /** What the guard still allows for an underlying in the minute of {@code timeMillis}, USD, &gt;= 0. */
    public double remaining(RiskArrays arrays, String underlying, long timeMillis) {
        double budget = budgetPerMinute(arrays, underlying);
        double[] u = used.get(underlying);
        if (u == null || (long) u[0] != Math.floorDiv(timeMillis, MINUTE_MILLIS)) {
            return budget;
        }
        return Math.max(0.0, budget - u[1]);
    }

    /** {@link #remaining} for every asset index of the universe (the planner's notional cap). */
    public double[] remainingByAsset(RiskArrays arrays, long timeMillis) {
        double[] cap = new double[arrays.assetCount()];
        for (int a = 0; a < cap.length; a++) {
            cap[a] = remaining(arrays, arrays.asset(a), timeMillis);
        }
        return cap;
    }

    /**
     * Counts an applied step's notional in its underlying's minute.
     *
     * @throws IllegalStateException if the step's time is earlier than the minute already counted for its underlying
     *                               (engine time never goes back)
     */
    public void record(LiquidationStep step) {
        record(step.time(), step.underlying(), step.notionalUsd());
    }

    /**
     * Counts liquidated notional (a step's, or a hedge trade's) in its underlying's minute.
     *
     * @throws IllegalStateException if the time is earlier than the minute already counted for the underlying
     */
    public void record(java.time.Instant time, String underlying, double notionalUsd) {
        long minute = Math.floorDiv(time.toEpochMilli(), MINUTE_MILLIS);
        double[] u = used.computeIfAbsent(underlying, k -> new double[] {minute, 0.0});
        if ((long) u[0] > minute) {
            throw new IllegalStateException("step at " + time + " is before the guard's minute for " + underlying);
        }
        if ((long) u[0] < minute) {
            u[0] = minute;
            u[1] = 0.0;
        }
        u[1] += notionalUsd;
    }

    /** The notional counted for an underlying in the minute of {@code timeMillis}, USD. */
    public double used(String underlying, long timeMillis) {
        double[] u = used.get(underlying);
        return u == null || (long) u[0] != Math.floorDiv(timeMillis, MINUTE_MILLIS) ? 0.0 : u[1];
    }

    // ---- the queue ----------------------------------------------------------------------------------------------

    /**
     * Puts an account in the queue, or moves it to its new place.
     *
     * @param marginRatio MM / equity; use {@link #marginRatio} so that equity &lt;= 0 ranks first
     */
    public void enqueue(String account, double marginRatio) {
        QueueEntry old = queued.remove(account);
        if (old != null) {
            queue.remove(old);
        }
        QueueEntry e = new QueueEntry(account, marginRatio);
        queue.add(e);
        queued.put(account, e);
    }

    /** Takes an account out of the queue (its liquidation ended). */
    public void remove(String account) {
        QueueEntry old = queued.remove(account);
        if (old != null) {
            queue.remove(old);
        }
    }

    /** The queued accounts, worst first. */
    public List<String> queue() {
        List<String> out = new ArrayList<>(queue.size());
        for (QueueEntry e : queue) {
            out.add(e.account);
        }
        return out;
    }

    /** The number of accounts in the queue. */
    public int queueSize() {
        return queue.size();
    }

    /** True while the account is in the queue. */
    public boolean isQueued(String account) {
        return queued.containsKey(account);
    }

    /** The queue's ordering key: MM / equity, +infinity when equity &lt;= 0 (bankrupt or worse first). */
    public static double marginRatio(double equity, double maintenanceMargin) {
        return equity > 0.0 ? maintenanceMargin / equity : Double.POSITIVE_INFINITY;
    }

    /** Writes the state (the engine's snapshots): per underlying its minute and usage, and the queue. */
    public void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(used.size());
        for (var e : used.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong((long) e.getValue()[0]);
            out.writeDouble(e.getValue()[1]);
        }
        out.writeInt(queue.size());
        for (QueueEntry e : queue) {
            out.writeUTF(e.account);
            out.writeDouble(e.marginRatio);
        }
    }

    /** Reads a state written by {@link #writeState} into this new guard. */
    public void readState(java.io.DataInput in) throws java.io.IOException {
        if (!used.isEmpty() || !queue.isEmpty()) {
            throw new IllegalStateException("readState needs a new guard");
        }
        for (int n = in.readInt(); n > 0; n--) {
            String underlying = in.readUTF();
            used.put(underlying, new double[] {in.readLong(), in.readDouble()});
        }
        for (int n = in.readInt(); n > 0; n--) {
            String account = in.readUTF();
            enqueue(account, in.readDouble());
        }
    }
}
