package io.upm.engine.index;

import io.upm.input.InputException;
import io.upm.margin.params.IndexSettingsTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The index prices of every asset, each from several sources (MODEL.md section 9): the component the live
 * engine feeds with its {@code quote} commands. A plain deterministic state machine: no clock (time is the
 * engine time of each call, epoch milliseconds), no I/O, no threads, no randomness, no static mutable state.
 *
 * <p>Each mutating call ({@link #quote}, {@link #advanceTo}) first moves the index's clock to its time,
 * evaluating every asset at each instant up to it at which a fresh quote goes stale, then applies the quote.
 * Afterwards {@link #changedCount()} and {@link #changed(int)} list, in asset-name order, the assets whose
 * price or status differs from what the previous calls reported: one FORMATS.md {@code index} event each
 * ({@code asset}, {@code price}, {@code sources}, {@code status} are {@link AssetIndex#asset()},
 * {@link AssetIndex#price()}, {@link AssetIndex#sources()}, {@link AssetIndex#status()}).
 *
 * <p>Bad input (a NaN, infinite, zero or negative price; an empty source or asset name; a time before the
 * index's time or outside the years 0000 to 9999; more than {@link #MAX_SOURCES_PER_ASSET} sources for one
 * asset) throws an {@link InputException} naming the command's field ({@code price}, {@code source},
 * {@code asset}, {@code time}) and changes nothing, not even the clock or the list of changes. A zero price
 * is bad input, not an outlier: a source that sends it is treated as silent, its last good quote going stale
 * after {@code staleAfter}.
 *
 * <p>Determinism: the state after a sequence of calls depends only on the quotes and their times, not on how
 * the calls are batched or interleaved with {@link #advanceTo}; quotes from different sources with the same
 * time give the same state in any order (two quotes of one source at one time: the later one counts).
 * Everything is computed in a fixed order on primitive arrays, so the results are the same bit for bit.
 *
 * <p>Threading and allocation: single-threaded, owned by the engine's writer thread. A quote of a known
 * source and asset allocates nothing (a hash lookup of the asset, a linear scan of its sources, a sort of its
 * fresh prices); the first quote of an asset or a source allocates its slots.
 */
public final class PriceIndex {
    /** The most sources one asset may have. */
    public static final int MAX_SOURCES_PER_ASSET = 64;
    /** The earliest accepted time: 0000-01-01T00:00:00Z, epoch milliseconds. */
    public static final long MIN_TIME = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    /** The latest accepted time: 9999-12-31T23:59:59.999Z, epoch milliseconds. */
    public static final long MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private final IndexParameters defaults;
    private final Map<String, IndexParameters> perAsset;
    private final HashMap<String, AssetIndex> byName = new HashMap<>();
    private AssetIndex[] assets = new AssetIndex[8]; // in name order
    private int assetCount;
    private long now = Long.MIN_VALUE;
    /** No asset has a quote going stale before this (a lower bound, made exact at each scan). */
    private long nextExpiry = Long.MAX_VALUE;

    private AssetIndex[] touched = new AssetIndex[8];
    private int touchedCount;
    private AssetIndex[] changed = new AssetIndex[8];
    private int changedCount;

    /** An index with MODEL.md's default parameters for every asset. */
    public PriceIndex() {
        this(IndexParameters.DEFAULTS, Map.of());
    }

    /** An index with these parameters for every asset. */
    public PriceIndex(IndexParameters parameters) {
        this(parameters, Map.of());
    }

    /**
     * An index with parameters per asset.
     *
     * @param defaults the parameters of the assets {@code perAsset} does not name
     * @param perAsset parameters by asset name (copied)
     */
    public PriceIndex(IndexParameters defaults, Map<String, IndexParameters> perAsset) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.perAsset = Map.copyOf(perAsset);
    }

    /**
     * An index with the parameters of a parameters file's {@code index} section
     * ({@code MarginParameters.index()}): its {@code default} entry for any asset it does not name.
     */
    public PriceIndex(IndexSettingsTable table) {
        this(IndexParameters.of(table.defaults()), perAsset(table));
    }

    private static Map<String, IndexParameters> perAsset(IndexSettingsTable table) {
        Map<String, IndexParameters> out = new HashMap<>();
        table.assets().forEach((asset, s) -> out.put(asset, IndexParameters.of(s)));
        return out;
    }

    /** The parameters of {@code asset}'s index. */
    public IndexParameters parameters(String asset) {
        return perAsset.getOrDefault(asset, defaults);
    }

    /** The index's engine time, epoch milliseconds: the latest time given; {@code Long.MIN_VALUE} before any. */
    public long timeMillis() {
        return now;
    }

    /**
     * A time (epoch ms) before which no quote goes stale: {@link #advanceTo} to an earlier time changes no asset's
     * index or status (a lower bound; Long.MAX_VALUE when no quote can go stale).
     */
    public long nextStaleMillis() {
        return nextExpiry;
    }

    /**
     * Applies one source's quote (FORMATS.md {@code quote} command) at engine time {@code timeMillis}, after
     * moving the clock there.
     *
     * @param timeMillis engine time, epoch milliseconds, not before {@link #timeMillis()}
     * @param source     the source's name, not blank
     * @param asset      the asset's name, not blank
     * @param price      USD, finite and &gt; 0
     * @return the number of assets whose index or status changed ({@link #changed(int)})
     * @throws InputException naming {@code time}, {@code source}, {@code asset} or {@code price}; nothing changed
     */
    public int quote(long timeMillis, String source, String asset, double price) {
        checkTime(timeMillis);
        if (source == null || source.isBlank()) {
            throw new InputException("source", "must not be empty");
        }
        if (asset == null || asset.isBlank()) {
            throw new InputException("asset", "must not be empty");
        }
        if (!(price > 0) || price == Double.POSITIVE_INFINITY) {
            throw new InputException("price", "must be positive and finite: " + price);
        }
        AssetIndex a = byName.get(asset);
        int slot = a == null ? -1 : a.slotOf(source);
        if (slot < 0 && a != null && a.knownSources() >= MAX_SOURCES_PER_ASSET) {
            throw new InputException("source", "asset " + asset + " already has " + MAX_SOURCES_PER_ASSET
                + " sources; \"" + source + "\" would be one too many");
        }
        begin();
        moveClock(timeMillis);
        if (a == null) {
            a = addAsset(asset);
        }
        if (slot < 0) {
            slot = a.addSource(source);
        }
        a.apply(timeMillis, slot, price);
        touch(a);
        if (a.nextExpiry() < nextExpiry) {
            nextExpiry = a.nextExpiry();
        }
        return finish();
    }

    /** {@link #quote(long, String, String, double)} at an {@link Instant} (sub-millisecond part dropped). */
    public int quote(Instant time, String source, String asset, double price) {
        return quote(millis(time), source, asset, price);
    }

    /**
     * Moves the clock to {@code timeMillis} without a quote: quotes older than {@code staleAfter} stop counting.
     *
     * @return the number of assets whose index or status changed ({@link #changed(int)})
     * @throws InputException naming {@code time} when it is before {@link #timeMillis()} or out of range
     */
    public int advanceTo(long timeMillis) {
        checkTime(timeMillis);
        begin();
        moveClock(timeMillis);
        return finish();
    }

    /** {@link #advanceTo(long)} at an {@link Instant} (sub-millisecond part dropped). */
    public int advanceTo(Instant time) {
        return advanceTo(millis(time));
    }

    /** The number of assets the last successful {@link #quote} or {@link #advanceTo} changed. */
    public int changedCount() {
        return changedCount;
    }

    /**
     * The i-th asset (in name order) whose price or status the last successful call changed, compared with
     * what the calls before it reported; a live view.
     */
    public AssetIndex changed(int i) {
        if (i < 0 || i >= changedCount) {
            throw new IndexOutOfBoundsException("changed(" + i + ") of " + changedCount);
        }
        return changed[i];
    }

    /** The index of {@code asset} (a live view), or null when no source has quoted it. */
    public AssetIndex asset(String asset) {
        return byName.get(asset);
    }

    /** The assets quoted so far, in name order. Allocates. */
    public List<String> assets() {
        List<String> out = new ArrayList<>(assetCount);
        for (int i = 0; i < assetCount; i++) {
            out.add(assets[i].asset());
        }
        return List.copyOf(out);
    }

    /** Immutable copies of every asset's index, in name order. Allocates. */
    public List<IndexSnapshot> snapshot() {
        List<IndexSnapshot> out = new ArrayList<>(assetCount);
        for (int i = 0; i < assetCount; i++) {
            out.add(assets[i].snapshot());
        }
        return List.copyOf(out);
    }

    /**
     * Writes the whole state, for the engine's snapshots: {@link #readState} into a new index with the same
     * parameters gives an index that behaves the same, bit for bit.
     */
    public void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(now);
        out.writeLong(nextExpiry);
        out.writeInt(assetCount);
        for (int i = 0; i < assetCount; i++) {
            out.writeUTF(assets[i].asset());
            assets[i].writeState(out);
        }
    }

    /**
     * Reads a state written by {@link #writeState} into this index, which must be new (no quote yet) and have the
     * same parameters as the one that wrote it.
     *
     * @throws IllegalStateException if this index has already been used
     */
    public void readState(java.io.DataInput in) throws java.io.IOException {
        if (assetCount != 0 || now != Long.MIN_VALUE) {
            throw new IllegalStateException("readState needs a new index");
        }
        now = in.readLong();
        nextExpiry = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            throw new java.io.IOException("assets " + n);
        }
        for (int i = 0; i < n; i++) {
            addAsset(in.readUTF()).readState(in);
        }
    }

    private void checkTime(long t) {
        if (t < MIN_TIME || t > MAX_TIME) {
            throw new InputException("time", "out of range (years 0000 to 9999): " + t + " ms");
        }
        if (t < now) {
            throw new InputException("time", Instant.ofEpochMilli(t) + " is earlier than the index time "
                + Instant.ofEpochMilli(now));
        }
    }

    private static long millis(Instant time) {
        if (time == null) {
            throw new InputException("time", "missing");
        }
        if (time.isBefore(Instant.ofEpochMilli(MIN_TIME)) || time.isAfter(Instant.ofEpochMilli(MAX_TIME))) {
            throw new InputException("time", "out of range (years 0000 to 9999): " + time);
        }
        return time.toEpochMilli();
    }

    private void begin() {
        changedCount = 0;
        touchedCount = 0;
    }

    /** Moves the clock to t, evaluating each asset at every instant up to t at which one of its quotes expires. */
    private void moveClock(long t) {
        now = t;
        if (t < nextExpiry) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < assetCount; i++) {
            AssetIndex a = assets[i];
            if (a.nextExpiry() <= t) {
                a.expireUpTo(t);
                touch(a);
            }
            if (a.nextExpiry() < next) {
                next = a.nextExpiry();
            }
        }
        nextExpiry = next;
    }

    private AssetIndex addAsset(String name) {
        AssetIndex a = new AssetIndex(this, name, parameters(name));
        byName.put(name, a);
        if (assetCount == assets.length) {
            assets = Arrays.copyOf(assets, assetCount * 2);
            touched = Arrays.copyOf(touched, assetCount * 2);
            changed = Arrays.copyOf(changed, assetCount * 2);
        }
        int at = 0;
        while (at < assetCount && assets[at].asset().compareTo(name) < 0) {
            at++;
        }
        System.arraycopy(assets, at, assets, at + 1, assetCount - at);
        assets[at] = a;
        assetCount++;
        return a;
    }

    private void touch(AssetIndex a) {
        if (!a.touched) {
            a.touched = true;
            touched[touchedCount++] = a;
        }
    }

    /** Lists the touched assets whose price or status changed, in name order. */
    private int finish() {
        for (int i = 0; i < touchedCount; i++) {
            AssetIndex a = touched[i];
            a.touched = false;
            touched[i] = null;
            if (a.takeChange()) {
                int j = changedCount++;
                while (j > 0 && changed[j - 1].asset().compareTo(a.asset()) > 0) {
                    changed[j] = changed[j - 1];
                    j--;
                }
                changed[j] = a;
            }
        }
        return changedCount;
    }
}
