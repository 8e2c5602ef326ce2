package io.upm.engine.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One asset's index (MODEL.md section 9): the last quote of every source that ever quoted it, and the price,
 * status, confidence spread and TWAP derived from them. Created by {@link PriceIndex} on the asset's first
 * quote; the instance is a <em>live view</em>: its accessors read the current state, which the next call to
 * {@link PriceIndex#quote} or {@link PriceIndex#advanceTo} may change. Use {@link #snapshot()} for an
 * immutable copy to hand to another thread.
 *
 * <h2>The rules, at engine time t</h2>
 * <ul>
 * <li>A source's last quote (price p, time q) is fresh while t - q &lt;= staleAfter.</li>
 * <li>m = the median of the fresh quotes (the mean of the two middle ones for an even count); a fresh quote
 *     is an outlier when |p - m| &gt; outlierBand x m.</li>
 * <li>The quorum holds when the fresh non-outliers number at least {@link IndexParameters#requiredQuorum}
 *     of the sources ever seen. Then the index is the median of the fresh non-outliers, the confidence
 *     spread d = (max - min) / index over them, and the status {@code ok} if every source ever seen is
 *     fresh and none is an outlier, else {@code degraded}.</li>
 * <li>Without the quorum the status is {@code stale} and the index and d keep the values they had at the
 *     end of the latest earlier instant at which the quorum held (so the quotes of one instant, in whatever
 *     order, give the same state).</li>
 * <li>Time is continuous: a quote stops being fresh at q + staleAfter + 1 ms exactly, whatever the times of
 *     the calls, so the state at t depends only on the quotes up to t.</li>
 * </ul>
 *
 * <p>Single-threaded (owned by the {@link PriceIndex}'s writer thread). The accessors other than
 * {@link #sources()}, {@link #quotes()} and {@link #snapshot()} do not allocate. Sources are kept in name
 * order, at most {@link PriceIndex#MAX_SOURCES_PER_ASSET} of them.
 */
public final class AssetIndex {
    /** The time of a source that has not quoted yet and the time before the first evaluation: never fresh. */
    private static final long NEVER = Long.MIN_VALUE / 4;

    private final PriceIndex owner;
    private final String asset;
    private final IndexParameters parameters;
    private final long staleAfter;
    private final long twapWindow;
    private final double band;
    private final TwapBuffer path;

    // sources, in name order
    private String[] names = new String[4];
    private double[] prices = new double[4];
    private long[] times = new long[4];
    private double[] sorted = new double[4];
    private int known;
    private int required = 1;

    // the state at 'time'
    private long time = NEVER;
    private double price = Double.NaN;
    private IndexStatus status = IndexStatus.STALE;
    private double spread = Double.NaN;
    private double median = Double.NaN;
    private int used;
    private long nextExpiry = Long.MAX_VALUE;
    // the value a stale index keeps: the state at the end of the latest earlier instant with the quorum
    private double heldPrice = Double.NaN;
    private double heldSpread = Double.NaN;

    // change reporting (PriceIndex)
    private double reportedPrice = Double.NaN;
    private IndexStatus reportedStatus;
    boolean touched;

    AssetIndex(PriceIndex owner, String asset, IndexParameters parameters) {
        this.owner = owner;
        this.asset = asset;
        this.parameters = parameters;
        this.staleAfter = parameters.staleAfterMillis();
        this.twapWindow = parameters.twapWindowMillis();
        this.band = parameters.outlierBand();
        this.path = new TwapBuffer(parameters.twapCapacity());
    }

    // ---------------------------------------------------------------- the writer's side (package-private)

    /** The slot of {@code source}, or -1. */
    int slotOf(String source) {
        for (int i = 0; i < known; i++) {
            if (names[i].equals(source)) {
                return i;
            }
        }
        return -1;
    }

    /** The number of sources ever seen. */
    int knownSources() {
        return known;
    }

    /** Adds a source never seen (no quote yet: its time is before any engine time, so it is stale). */
    int addSource(String source) {
        if (known == names.length) {
            int n = known * 2;
            names = Arrays.copyOf(names, n);
            prices = Arrays.copyOf(prices, n);
            times = Arrays.copyOf(times, n);
            sorted = new double[n];
        }
        int at = 0;
        while (at < known && names[at].compareTo(source) < 0) {
            at++;
        }
        System.arraycopy(names, at, names, at + 1, known - at);
        System.arraycopy(prices, at, prices, at + 1, known - at);
        System.arraycopy(times, at, times, at + 1, known - at);
        names[at] = source;
        prices[at] = Double.NaN;
        times[at] = NEVER;
        known++;
        required = parameters.requiredQuorum(known);
        return at;
    }

    /** The instant at which the next fresh quote goes stale; {@code Long.MAX_VALUE} when none is fresh. */
    /** Writes the state (the engine's snapshots). */
    void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(known);
        for (int i = 0; i < known; i++) {
            out.writeUTF(names[i]);
            out.writeDouble(prices[i]);
            out.writeLong(times[i]);
        }
        out.writeLong(time);
        out.writeDouble(price);
        out.writeByte(status.ordinal());
        out.writeDouble(spread);
        out.writeDouble(median);
        out.writeInt(used);
        out.writeLong(nextExpiry);
        out.writeDouble(heldPrice);
        out.writeDouble(heldSpread);
        out.writeDouble(reportedPrice);
        out.writeByte(reportedStatus == null ? -1 : reportedStatus.ordinal());
        path.writeState(out);
    }

    /** Reads a state written by {@link #writeState} into this new asset (same parameters). */
    void readState(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > PriceIndex.MAX_SOURCES_PER_ASSET) {
            throw new java.io.IOException("sources " + n);
        }
        for (int i = 0; i < n; i++) {
            int slot = addSource(in.readUTF());
            prices[slot] = in.readDouble();
            times[slot] = in.readLong();
        }
        IndexStatus[] statuses = IndexStatus.values();
        time = in.readLong();
        price = in.readDouble();
        status = statuses[in.readByte()];
        spread = in.readDouble();
        median = in.readDouble();
        used = in.readInt();
        nextExpiry = in.readLong();
        heldPrice = in.readDouble();
        heldSpread = in.readDouble();
        reportedPrice = in.readDouble();
        int rs = in.readByte();
        reportedStatus = rs < 0 ? null : statuses[rs];
        path.readState(in);
    }

    long nextExpiry() {
        return nextExpiry;
    }

    /** Evaluates the index at every instant up to {@code t} at which a fresh quote goes stale. */
    void expireUpTo(long t) {
        while (nextExpiry <= t) {
            evaluate(nextExpiry);
        }
    }

    /** Applies a quote at engine time {@code t} (not before this asset's time; expiries up to t done). */
    void apply(long t, int slot, double p) {
        prices[slot] = p;
        times[slot] = t;
        evaluate(t);
    }

    /** Whether price or status differ from what was last reported; if so, they become the reported ones. */
    boolean takeChange() {
        if (Double.doubleToRawLongBits(price) == Double.doubleToRawLongBits(reportedPrice) && status == reportedStatus) {
            return false;
        }
        reportedPrice = price;
        reportedStatus = status;
        return true;
    }

    private boolean isFresh(int i, long t) {
        return t - times[i] <= staleAfter;
    }

    private void evaluate(long t) {
        if (t > time) {
            if (status != IndexStatus.STALE) {
                heldPrice = price;
                heldSpread = spread;
            }
            time = t;
        }
        double[] x = sorted;
        int n = 0;
        long next = Long.MAX_VALUE;
        for (int i = 0; i < known; i++) {
            if (isFresh(i, t)) {
                x[n++] = prices[i];
                long expiry = times[i] + staleAfter + 1;
                if (expiry < next) {
                    next = expiry;
                }
            }
        }
        nextExpiry = next;
        sort(x, n);
        int a = 0;
        int b = n;
        double m = Double.NaN;
        if (n > 0) {
            m = median(x, 0, n);
            double dev = band * m;
            while (a < b && Math.abs(x[a] - m) > dev) {
                a++;
            }
            while (b > a && Math.abs(x[b - 1] - m) > dev) {
                b--;
            }
        }
        median = m;
        used = b - a;
        double newPrice;
        if (used >= required && used > 0) {
            newPrice = median(x, a, b);
            spread = (x[b - 1] - x[a]) / newPrice;
            status = used == known ? IndexStatus.OK : IndexStatus.DEGRADED;
        } else {
            newPrice = heldPrice;
            spread = heldSpread;
            status = IndexStatus.STALE;
        }
        if (Double.doubleToRawLongBits(newPrice) != Double.doubleToRawLongBits(price)) {
            path.record(t, newPrice, twapWindow);
        }
        price = newPrice;
    }

    private static void sort(double[] x, int n) {
        if (n > 24) {
            Arrays.sort(x, 0, n);
            return;
        }
        for (int i = 1; i < n; i++) {
            double v = x[i];
            int j = i - 1;
            while (j >= 0 && x[j] > v) {
                x[j + 1] = x[j];
                j--;
            }
            x[j + 1] = v;
        }
    }

    /** The median of the sorted x[from, to), to &gt; from: the middle one, or the mean of the two middle ones. */
    private static double median(double[] x, int from, int to) {
        int k = to - from;
        int mid = from + (k >> 1);
        if ((k & 1) == 1) {
            return x[mid];
        }
        double lo = x[mid - 1];
        return lo + 0.5 * (x[mid] - lo);
    }

    // ---------------------------------------------------------------- the view

    /** The asset's name, as quoted. */
    public String asset() {
        return asset;
    }

    /** The parameters this asset's index uses. */
    public IndexParameters parameters() {
        return parameters;
    }

    /**
     * The index (USD). While {@link IndexStatus#STALE}, the value it had at the end of the latest earlier
     * instant with the quorum; {@code NaN} (no index yet) when there is none: the asset's first quotes lacked
     * the quorum (two sources more than 2 x outlierBand apart, say, or fewer than {@code minQuorum}). The
     * engine then keeps the asset's market price, as for an asset without sources.
     */
    public double price() {
        return price;
    }

    /** ok, degraded or stale. */
    public IndexStatus status() {
        return status;
    }

    /**
     * The confidence spread d = (max - min) / index over the fresh non-outliers (0 with one source); while
     * stale, the value it had with the last index.
     */
    public double confidenceSpread() {
        return spread;
    }

    /**
     * The IM add-on per USD of |delta_u x S|: confidenceFactor x max(0, d - freeSpread) (MODEL.md section 9);
     * 0 when d is NaN.
     */
    public double confidenceAddOnRate() {
        return parameters.confidenceAddOnRate(spread);
    }

    /** The median of the fresh quotes, against which outliers are judged; NaN when none is fresh. */
    public double freshMedian() {
        return median;
    }

    /** The number of sources the price comes from (fresh non-outliers); 0 while stale. */
    public int usedSourceCount() {
        return status == IndexStatus.STALE ? 0 : used;
    }

    /** The number of sources that have ever quoted the asset. */
    public int knownSourceCount() {
        return known;
    }

    /** The fresh non-outlier sources the price comes from, in name order; empty while stale. Allocates. */
    public List<String> sources() {
        List<String> out = new ArrayList<>(used);
        if (status != IndexStatus.STALE) {
            for (int i = 0; i < known; i++) {
                if (state(i) == SourceState.FRESH) {
                    out.add(names[i]);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every source ever seen, in name order, with its last quote and its state now. Allocates. */
    public List<SourceQuote> quotes() {
        List<SourceQuote> out = new ArrayList<>(known);
        for (int i = 0; i < known; i++) {
            out.add(new SourceQuote(names[i], prices[i], times[i], state(i)));
        }
        return List.copyOf(out);
    }

    /** The state of the source in slot i at this asset's time (which is also its state at the index's time). */
    private SourceState state(int i) {
        if (!isFresh(i, time)) {
            return SourceState.STALE;
        }
        return Math.abs(prices[i] - median) > band * median ? SourceState.OUTLIER : SourceState.FRESH;
    }

    /**
     * The settlement price: the time-weighted average of the index over the {@code twapWindow} (30 min)
     * before the index's current time, the index holding each value until it changes (a stale index holds
     * its last value). Over the part of the window after the asset's first index value if that is later;
     * NaN if it never had one. To settle at an expiry, advance the index to the expiry first
     * ({@link PriceIndex#advanceTo}), then read this. Exact unless the index changed more than
     * {@code twapCapacity} times within the window (see {@link IndexParameters}). Does not allocate.
     */
    public double twap() {
        long now = owner.timeMillis();
        return path.average(now, twapWindow);
    }

    /** An immutable copy of this index now. Allocates. */
    public IndexSnapshot snapshot() {
        return new IndexSnapshot(asset, owner.timeMillis(), price, status, sources(), spread, confidenceAddOnRate(),
            quotes());
    }

    @Override
    public String toString() {
        return asset + " " + price + " " + status.wireName() + " " + sources();
    }
}
