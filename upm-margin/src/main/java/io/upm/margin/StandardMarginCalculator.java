package io.upm.margin;

import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.MarginParameters;
import io.upm.pricing.ResolvedInstrument;

/**
 * The siloed baseline ("standard margin", MODEL.md section 7): per position, no offsets at all. Reported
 * beside the portfolio margin to show what netting saves. Stateless.
 */
public final class StandardMarginCalculator {
    private StandardMarginCalculator() {
    }

    /** The siloed IM and MM of a resolved portfolio. */
    public static MarginReport.Requirements compute(RiskArrays arrays, ResolvedPortfolio p) {
        MarginParameters params = arrays.params();
        double im = 0.0;
        double mm = 0.0;
        for (int k = 0; k < p.instrument.length; k++) {
            int i = p.instrument[k];
            ResolvedInstrument r = arrays.instrument(i);
            double q = p.size[k];
            double s = r.spot();
            if (r.isOption()) {
                if (q < 0) {
                    double value = Math.abs(q * arrays.optionValue(i));
                    double otm = r.isCall() ? Math.max(0.0, r.strike() - s) : Math.max(0.0, s - r.strike());
                    mm += params.standardShortOptionMaintenance() * s * -q + value;
                    im += Math.max(params.standardShortOptionInitial() - otm / s, params.standardShortOptionInitialMin())
                        * s * -q + value;
                }
            } else {
                AssetParameters ap = arrays.assetParams(arrays.instrumentAsset(i));
                double notional = r.isLinear() ? Math.abs(q) * s : Math.abs(q);
                im += ap.standardFutureInitial() * notional;
                mm += ap.standardFutureMaintenance() * notional;
            }
        }
        for (int b = 0; b < p.balanceAsset.length; b++) {
            if (p.balance[b] < 0) {
                double usd = -p.balance[b] * arrays.assetPrice(p.balanceAsset[b]);
                im += params.standardLoanInitial() * usd;
                mm += params.standardLoanMaintenance() * usd;
            }
        }
        return new MarginReport.Requirements(im, mm);
    }
}
