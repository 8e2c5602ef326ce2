package io.upm.engine.liquidation;

import io.upm.margin.RiskArrays;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;

/**
 * The annualised volatility of each asset that liquidation uses (the impact of a slice, the margin call's move): by
 * default the market snapshot's at-the-money implied vol of the nearest expiry after the snapshot time (the flat vol
 * of a flat surface); an engine that keeps an EWMA of index returns (MODEL.md section 10) passes its own figures
 * instead. NaN for an asset without a vol surface (a stablecoin): its impact then has no square-root term.
 *
 * <p>Stateless.
 */
public final class UnitVolatility {
    private UnitVolatility() {
    }

    /** Per asset index of the universe: the snapshot's at-the-money vol of the nearest expiry, or NaN. */
    public static double[] fromSnapshot(RiskArrays arrays) {
        MarketSnapshot market = arrays.market();
        long now = market.time().getEpochSecond();
        double[] vol = new double[arrays.assetCount()];
        for (int a = 0; a < vol.length; a++) {
            VolSurface surface = market.vols().get(arrays.asset(a));
            double spot = arrays.assetPrice(a);
            if (surface == null || !(spot > 0)) {
                vol[a] = Double.NaN;
                continue;
            }
            long expiry = now;
            if (!surface.isFlat()) {
                for (long e : surface.expiries()) {
                    if (e > now) {
                        expiry = e;
                        break;
                    }
                }
            }
            vol[a] = surface.vol(spot, expiry, now);
        }
        return vol;
    }
}
