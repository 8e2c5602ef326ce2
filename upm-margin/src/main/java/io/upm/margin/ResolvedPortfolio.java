package io.upm.margin;

import io.upm.input.InputException;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A portfolio resolved against a {@link RiskArrays} universe: instrument and asset indices, sizes,
 * entry prices and exposures (size, or size / entry price for inverse perpetuals and futures) in
 * primitive arrays for the hot path. Immutable; valid for the universe it was resolved against and for
 * every universe derived from it by {@link RiskArrays#withMarket} or {@link RiskArrays#withInstruments}.
 *
 * <p>Canonical order: positions are held sorted by instrument name (then size and entry price), balances by
 * asset code, whatever the order of the source portfolio, so that every sum over them is taken in one order
 * and the margin is bit-identical for any input order. {@link #sourceIndex} maps back to the input order.
 */
public final class ResolvedPortfolio {
    private final Portfolio portfolio;
    private final String account;
    final int[] instrument;
    final double[] size;
    final double[] entry;
    final double[] exposure;
    final int[] balanceAsset;
    final double[] balance;
    private final int[] sourceIndex;

    private ResolvedPortfolio(Portfolio portfolio, String account, int[] instrument, double[] size, double[] entry,
                              double[] exposure, int[] balanceAsset, double[] balance, int[] sourceIndex) {
        this.portfolio = portfolio;
        this.account = account;
        this.sourceIndex = sourceIndex;
        this.instrument = instrument;
        this.size = size;
        this.entry = entry;
        this.exposure = exposure;
        this.balanceAsset = balanceAsset;
        this.balance = balance;
    }

    /**
     * Resolves a portfolio.
     *
     * @throws InputException if a position's instrument is not in the universe or a balance's asset has no
     *                        price
     */
    public static ResolvedPortfolio resolve(Portfolio p, RiskArrays arrays) {
        List<Position> positions = p.positions();
        int n = positions.size();
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, CANONICAL.apply(positions));
        int[] ins = new int[n];
        double[] size = new double[n];
        double[] entry = new double[n];
        double[] exposure = new double[n];
        int[] source = new int[n];
        for (int x = 0; x < n; x++) {
            int k = order[x];
            Position pos = positions.get(k);
            int i = arrays.instrumentIndex(pos.instrument().name());
            if (i < 0) {
                throw new InputException("positions[" + k + "].instrument",
                    "instrument " + pos.instrument().name() + " is not in the risk-array universe (unknown or expired)");
            }
            ins[x] = i;
            size[x] = pos.size();
            entry[x] = pos.entryPrice();
            exposure[x] = arrays.isInverseDelta1(i) ? pos.size() / pos.entryPrice() : pos.size();
            source[x] = k;
        }
        TreeMap<String, Double> sorted = new TreeMap<>(p.balances());
        int nb = sorted.size();
        int[] assets = new int[nb];
        double[] amounts = new double[nb];
        int k = 0;
        for (var e : sorted.entrySet()) {
            int a = arrays.assetIndex(e.getKey());
            if (a < 0 || Double.isNaN(arrays.assetPrice(a))) {
                throw new InputException("balances." + e.getKey(), "no index price for " + e.getKey()
                    + " in the market snapshot (prices." + e.getKey() + ")");
            }
            assets[k] = a;
            amounts[k] = e.getValue();
            k++;
        }
        return new ResolvedPortfolio(p, p.account(), ins, size, entry, exposure, assets, amounts, source);
    }

    /**
     * An account held as universe indices (the engine's account state): positions (instrument index, signed size,
     * entry price; NaN entry for options) and balances (asset index, amount), in any order; put into canonical
     * order here. Duplicate instruments are kept as separate positions.
     *
     * @throws InputException if an instrument is expired or an index is out of the universe
     */
    public static ResolvedPortfolio of(String account, RiskArrays arrays, int[] instruments, double[] sizes,
                                       double[] entries, int positionCount, int[] assets, double[] amounts,
                                       int balanceCount) {
        int[] order = new int[positionCount];
        for (int k = 0; k < positionCount; k++) {
            int i = instruments[k];
            if (i < 0 || i >= arrays.instrumentCount() || arrays.isExpired(i)) {
                throw new InputException("positions[" + k + "].instrument", "instrument index " + i
                    + " is not a live instrument of the universe");
            }
            // a stable insertion sort by (instrument rank, size, entry): accounts are small, and no boxing
            int x = k;
            while (x > 0 && comparePositions(arrays, instruments, sizes, entries, order[x - 1], k) > 0) {
                order[x] = order[x - 1];
                x--;
            }
            order[x] = k;
        }
        int[] ins = new int[positionCount];
        double[] size = new double[positionCount];
        double[] entry = new double[positionCount];
        double[] exposure = new double[positionCount];
        int[] source = new int[positionCount];
        for (int x = 0; x < positionCount; x++) {
            int k = order[x];
            int i = instruments[k];
            ins[x] = i;
            size[x] = sizes[k];
            entry[x] = entries[k];
            exposure[x] = arrays.isInverseDelta1(i) ? sizes[k] / entries[k] : sizes[k];
            source[x] = k;
        }
        int[] bOrder = new int[balanceCount];
        for (int b = 0; b < balanceCount; b++) {
            if (assets[b] < 0 || assets[b] >= arrays.assetCount()) {
                throw new InputException("balances[" + b + "]", "asset index " + assets[b] + " is not in the universe");
            }
            int x = b;
            while (x > 0 && arrays.assetRank(assets[bOrder[x - 1]]) > arrays.assetRank(assets[b])) {
                bOrder[x] = bOrder[x - 1];
                x--;
            }
            bOrder[x] = b;
        }
        int[] a = new int[balanceCount];
        double[] amount = new double[balanceCount];
        for (int x = 0; x < balanceCount; x++) {
            a[x] = assets[bOrder[x]];
            amount[x] = amounts[bOrder[x]];
        }
        return new ResolvedPortfolio(null, account, ins, size, entry, exposure, a, amount, source);
    }

    /** The canonical order of {@link #of}'s positions j and k: instrument rank, then size, then entry price. */
    private static int comparePositions(RiskArrays arrays, int[] instruments, double[] sizes, double[] entries, int j,
                                        int k) {
        int c = Integer.compare(arrays.instrumentRank(instruments[j]), arrays.instrumentRank(instruments[k]));
        if (c != 0) {
            return c;
        }
        c = Double.compare(sizes[j], sizes[k]);
        return c != 0 ? c : Double.compare(entries[j], entries[k]);
    }

    /** Position order: instrument name, then size, then entry price (total, also for equal instruments). */
    private static final java.util.function.Function<List<Position>, Comparator<Integer>> CANONICAL = positions ->
        Comparator.<Integer, String>comparing(k -> positions.get(k).instrument().name())
            .thenComparingDouble(k -> positions.get(k).size())
            .thenComparingDouble(k -> positions.get(k).entryPrice());

    /** The source portfolio, or null for an account built from indices ({@link #of}). */
    public Portfolio portfolio() {
        return portfolio;
    }

    /** The account id. */
    public String account() {
        return account;
    }

    /** Number of positions. */
    public int positionCount() {
        return instrument.length;
    }

    /** The index in the source portfolio's {@code positions} of canonical position k. */
    public int sourceIndex(int k) {
        return sourceIndex[k];
    }

    /** Universe index of canonical position k's instrument. */
    public int instrumentAt(int k) {
        return instrument[k];
    }
}
