package io.upm.engine.index;

/**
 * The recent path of one asset's index, for its time-weighted average: a bounded ring buffer of change points
 * (time, value), the value holding from its time until the next point's.
 *
 * <p>The point of the latest instant is <em>pending</em>: more changes may come at the same instant (the last
 * one counts; one that returns to the value before the instant removes it). It is committed to the ring when a
 * change at a later instant arrives. Committing a point at time tp:
 * <ol>
 * <li>drops the points no query can need any more: the oldest while the next one is at or before
 *     tp - window (TWAP queries are never earlier than the index's time, so window starts only move forward);</li>
 * <li>if the ring still holds {@code capacity} points, merges the two oldest segments [t0, t1) and [t1, t2)
 *     into one [t0, t2) whose value is their time-weighted average. The integral over [t0, t2) stays exact;
 *     only a window that starts strictly inside it sees the average instead of the two values (an error of at
 *     most |v0 - v1| x (t2 - t0) / window in the TWAP). This happens only when the index changes more than
 *     {@code capacity} times within one window.</li>
 * </ol>
 * Both steps depend only on the committed points and tp, and a query at a later instant commits the pending
 * point first, so the answers never depend on the order of the quotes within an instant nor on the times of
 * the calls. Not thread-safe; two primitive arrays of
 * {@code capacity} allocated once, no allocation afterwards.
 */
final class TwapBuffer {
    private final int capacity;
    private final long[] times;
    private final double[] values;
    private int head;
    private int size;
    private boolean pending;
    private long pendingTime;
    private double pendingValue;

    /** @param capacity committed points kept, &gt;= 3 */
    TwapBuffer(int capacity) {
        this.capacity = capacity;
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    /** The number of points held, the pending one included. */
    int size() {
        return size + (pending ? 1 : 0);
    }

    private int slot(int i) {
        int s = head + i;
        return s >= capacity ? s - capacity : s;
    }

    /**
     * Records that the index is {@code value} from {@code time} on.
     *
     * @param time   engine time, not before the last point's
     * @param value  the index; NaN (no index yet, only possible before any point was committed) removes the
     *               pending point
     * @param window the TWAP window, milliseconds
     */
    void record(long time, double value, long window) {
        if (Double.isNaN(value)) {
            pending = false;
            return;
        }
        if (pending) {
            if (pendingTime == time) {
                if (size > 0 && values[slot(size - 1)] == value) {
                    pending = false; // back to the value before this instant: the point says nothing
                } else {
                    pendingValue = value;
                }
                return;
            }
            commit(window);
        }
        if (size > 0 && values[slot(size - 1)] == value) {
            return;
        }
        pending = true;
        pendingTime = time;
        pendingValue = value;
    }

    private void commit(long window) {
        pending = false;
        long windowStart = pendingTime - window;
        while (size >= 2 && times[slot(1)] <= windowStart) {
            head = slot(1);
            size--;
        }
        if (size == capacity) {
            int s0 = slot(0);
            int s1 = slot(1);
            int s2 = slot(2);
            double d01 = (double) (times[s1] - times[s0]);
            double d12 = (double) (times[s2] - times[s1]);
            values[s1] = (values[s0] * d01 + values[s1] * d12) / (d01 + d12);
            times[s1] = times[s0];
            head = s1;
            size--;
        }
        int s = slot(size);
        times[s] = pendingTime;
        values[s] = pendingValue;
        size++;
    }

    /**
     * The time-weighted average over [{@code now - window}, {@code now}] of the step path, from its first point
     * where that is later than the window start; the last value when that leaves an empty interval; NaN when
     * there is no point. A pending point of an instant before {@code now} is committed first (no more changes
     * can come at its instant), so the answer does not depend on whether a later change already did that.
     *
     * @param now    not before the last point's time
     * @param window the TWAP window, milliseconds
     */
    double average(long now, long window) {
        if (pending && pendingTime < now) {
            commit(window);
        }
        long windowStart = now - window;
        int n = size();
        if (n == 0) {
            return Double.NaN;
        }
        long start = Math.max(windowStart, time(0));
        if (now <= start) {
            return value(n - 1);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long a = Math.max(time(i), start);
            long b = i + 1 < n ? Math.min(time(i + 1), now) : now;
            if (b > a) {
                sum += value(i) * (double) (b - a);
            }
        }
        return sum / (double) (now - start);
    }

    private long time(int i) {
        return i < size ? times[slot(i)] : pendingTime;
    }

    private double value(int i) {
        return i < size ? values[slot(i)] : pendingValue;
    }

    /** Writes the state (the engine's snapshots). */
    void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(times[slot(i)]);
            out.writeDouble(values[slot(i)]);
        }
        out.writeBoolean(pending);
        out.writeLong(pendingTime);
        out.writeDouble(pendingValue);
    }

    /** Reads a state written by {@link #writeState} (with the same capacity). */
    void readState(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > capacity) {
            throw new java.io.IOException("TWAP points " + n + " beyond the capacity " + capacity);
        }
        head = 0;
        size = n;
        for (int i = 0; i < n; i++) {
            times[i] = in.readLong();
            values[i] = in.readDouble();
        }
        pending = in.readBoolean();
        pendingTime = in.readLong();
        pendingValue = in.readDouble();
    }
}
