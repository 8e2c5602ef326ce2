package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VENUE;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.core.Ledger;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.pricing.ResolvedInstrument;
import io.upm.testkit.SyntheticVenue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The planner's choice against a brute force on small random accounts (3 to 6 positions, put in liquidation): every
 * slice priced here from MODEL.md section 11's formulas written out naively, each account after it margined by a full
 * compute (no unit reuse), the best MM drop per USD of cost taken. The planner must choose the same slice, at the same
 * price and fee, and announce the same MM.
 */
class LiquidationPlannerBruteForceTest {
    private static final LiquidationParameters P = LiquidationParameters.defaults();

    @Test
    void thePlannerChoosesTheSliceABruteForceChooses() {
        SplittableRandom rnd = new SplittableRandom(5150);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        LiquidationPlanner planner = new LiquidationPlanner(P, new AccountMarginCalculator());
        int compared = 0;
        for (int trial = 0; trial < 150; trial++) {
            AccountState s = LiquidationFixtures.state(VENUE.randomPortfolio(rnd, 3 + rnd.nextInt(4)), ARRAYS);
            double[] f = LiquidationFixtures.figures(calc, s);
            // put the account between 0 and MM: top up or draw down USDC
            double want = f[1] * (0.2 + 0.7 * rnd.nextDouble());
            s.addBalance(ARRAYS.assetIndex("USDC"), want - f[0]);
            f = LiquidationFixtures.figures(calc, s);
            if (!(f[0] >= 0 && f[0] < f[1])) {
                continue;
            }
            LiquidationDecision d = planner.plan(ARRAYS, s, SyntheticVenue.TIME, VOL, null, null);
            double target = f[1] + P.targetFraction() * (ARRAYS.params().initialMarginMultiplier() * f[1] - f[1]);
            assertThat(d.target()).isEqualTo(target);
            // brute force
            String bestName = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            double bestSize = 0;
            double bestPrice = 0;
            double bestFee = 0;
            double bestMm = 0;
            for (int k = 0; k < s.positionCount() + s.balanceCount(); k++) {
                boolean spot = k >= s.positionCount();
                int i = spot ? -1 : s.positionInstrument(k);
                int a = spot ? s.balanceAsset(k - s.positionCount()) : ARRAYS.instrumentAsset(i);
                if (spot && ARRAYS.isStablecoin(a)) {
                    continue;
                }
                ResolvedInstrument r = spot ? null : ARRAYS.instrument(i);
                double q = spot ? s.balance(a) : s.positionSize(i);
                double spotPrice = ARRAYS.assetPrice(a);
                double perUnit = spot || r.isOption() ? spotPrice : r.isLinear() ? r.mark() : 1.0;
                double x = Math.abs(q) * perUnit < 1_000 ? q : q / 4;
                double n = Math.abs(x) * perUnit;
                double adv = ARRAYS.adv(a);
                double price;
                double impact;
                double fee = 0.005 * n;
                if (!spot && r.isOption()) {
                    double v = ARRAYS.optionValue(i);
                    double delta = Math.abs(ARRAYS.greek(i, ResolvedInstrument.DELTA));
                    double frac = 0.001 + 0.5 * VOL[a] * Math.sqrt(Math.abs(x) * delta * spotPrice / adv) * Math.sqrt(1 / 365.0);
                    double usd = Math.max(0, v - Math.signum(x) * frac * delta * spotPrice);
                    impact = Math.abs(x) * Math.abs(usd - v);
                    price = r.isLinear() ? usd : usd / r.spot();
                    fee = Math.min(fee, Math.abs(x) * v);
                } else {
                    double m = spot ? spotPrice : r.mark();
                    double frac = 0.001 + 0.5 * VOL[a] * Math.sqrt(n / adv) * Math.sqrt(1 / 365.0);
                    price = m * (1 - Math.signum(x) * frac);
                    impact = spot || r.isLinear() ? Math.abs(x) * Math.abs(m - price)
                        : Math.abs(x) * Math.abs(1 / m - 1 / price) * r.spot();
                }
                fee = Math.max(0, Math.min(fee, f[0] - impact));
                AccountState after = s.copy();
                if (spot) {
                    after.addBalance(a, -x);
                    after.addBalance(ARRAYS.assetIndex("USDC"), x * price);
                    after.addBalance(ARRAYS.assetIndex("USDC"), -fee);
                } else {
                    Ledger.trade(after, ARRAYS, i, -x, price, fee, Ledger.NONE);
                }
                double mm = new AccountMarginCalculator().compute(ARRAYS, after.resolve(ARRAYS), -1);
                double drop = f[1] - mm;
                double score = drop / Math.max(impact + fee, 1e-9);
                String name = spot ? ARRAYS.asset(a) : r.instrument().name();
                boolean earlier = bestName == null || order(a, i) < order(ARRAYS.assetIndex(underlying(bestName)),
                    ARRAYS.instrumentIndex(bestName));
                if (drop > 0 && (score > bestScore || (score == bestScore && earlier))) {
                    bestName = name;
                    bestScore = score;
                    bestSize = -x;
                    bestPrice = price;
                    bestFee = fee;
                    bestMm = mm;
                }
            }
            if (bestName == null) {
                assertThat(d.outcome()).isEqualTo(LiquidationDecision.Outcome.NO_SLICE_LOWERS_MM);
                continue;
            }
            compared++;
            assertThat(d.outcome()).isEqualTo(LiquidationDecision.Outcome.STEP);
            assertThat(d.step().instrument()).as("trial " + trial).isEqualTo(bestName);
            assertThat(d.step().size()).isEqualTo(bestSize);
            assertThat(d.step().price()).isCloseTo(bestPrice, org.assertj.core.data.Offset.offset(1e-9 * Math.abs(bestPrice)));
            assertThat(d.step().feeUsd()).isCloseTo(bestFee, org.assertj.core.data.Offset.offset(1e-9 * (1 + bestFee)));
            assertThat(d.mmAfter()).isCloseTo(bestMm, org.assertj.core.data.Offset.offset(1e-9 * bestMm));
            assertThat(d.score()).isCloseTo(bestScore, org.assertj.core.data.Offset.offset(1e-9 * Math.abs(bestScore)));
        }
        assertThat(compared).as("trials compared").isGreaterThan(50);
    }

    private static String underlying(String name) {
        int i = ARRAYS.instrumentIndex(name);
        return i < 0 ? name : ARRAYS.instrument(i).instrument().underlying();
    }

    /** The planner's candidate order: underlying code, then positions by name, then the coin balance. */
    private static long order(int asset, int instrument) {
        return ARRAYS.assetRank(asset) * 1_000_000L + (instrument < 0 ? 999_999 : ARRAYS.instrumentRank(instrument));
    }
}
