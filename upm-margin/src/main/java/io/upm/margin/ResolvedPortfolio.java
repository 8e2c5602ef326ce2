package io.upm.margin;

import io.upm.input.InputException;
import io.upm.product.Portfolio;
import io.upm.product.Position;

/**
 * A portfolio resolved against a {@link RiskArrays} universe: instrument and asset indices, sizes,
 * entry prices and exposures (size, or size / entry price for inverse perpetuals and futures) in
 * primitive arrays for the hot path. Immutable; valid for the universe it was resolved against and for
 * every universe derived from it by {@link RiskArrays#withMarket}.
 */
public final class ResolvedPortfolio {
    private final Portfolio portfolio;
    final int[] instrument;
    final double[] size;
    final double[] entry;
    final double[] exposure;
    final int[] balanceAsset;
    final double[] balance;

    private ResolvedPortfolio(Portfolio portfolio, int[] instrument, double[] size, double[] entry, double[] exposure,
                              int[] balanceAsset, double[] balance) {
        this.portfolio = portfolio;
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
        int n = p.positions().size();
        int[] ins = new int[n];
        double[] size = new double[n];
        double[] entry = new double[n];
        double[] exposure = new double[n];
        for (int k = 0; k < n; k++) {
            Position pos = p.positions().get(k);
            int i = arrays.instrumentIndex(pos.instrument().name());
            if (i < 0) {
                throw new InputException("positions[" + k + "].instrument",
                    "instrument " + pos.instrument().name() + " is not in the risk-array universe");
            }
            ins[k] = i;
            size[k] = pos.size();
            entry[k] = pos.entryPrice();
            exposure[k] = arrays.isInverseDelta1(i) ? pos.size() / pos.entryPrice() : pos.size();
        }
        int nb = p.balances().size();
        int[] assets = new int[nb];
        double[] amounts = new double[nb];
        int k = 0;
        for (var e : p.balances().entrySet()) {
            int a = arrays.assetIndex(e.getKey());
            if (a < 0 || Double.isNaN(arrays.assetPrice(a))) {
                throw new InputException("balances." + e.getKey(), "no index price for " + e.getKey()
                    + " in the market snapshot (prices." + e.getKey() + ")");
            }
            assets[k] = a;
            amounts[k] = e.getValue();
            k++;
        }
        return new ResolvedPortfolio(p, ins, size, entry, exposure, assets, amounts);
    }

    /** The source portfolio. */
    public Portfolio portfolio() {
        return portfolio;
    }

    /** Number of positions. */
    public int positionCount() {
        return instrument.length;
    }

    /** Universe index of position k's instrument. */
    public int instrumentAt(int k) {
        return instrument[k];
    }
}
