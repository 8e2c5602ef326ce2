package io.upm.hedge;

import static io.upm.hedge.HedgeFixtures.MARKET;
import static io.upm.hedge.HedgeFixtures.PARAMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The linear model in lock-step with the risk core: at random trade sizes, each unit's W, X, SOM, RS and LA equal the
 * calculator's on the booked portfolio, and the model's MM is the calculator's for one unit and an upper bound of it
 * across units.
 */
class HedgeModelTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void unitChargesEqualTheCalculatorsAtRandomTrades(long seed) {
        int units = 1 + (int) (seed % 3);
        Portfolio p = HedgeFixtures.shortAccount(seed, units, 0.6);
        List<Instrument> candidates = new ArrayList<>(HedgeFixtures.deltaOneCandidates(p));
        candidates.addAll(HedgeFixtures.someOptions(p));
        List<Instrument> all = new ArrayList<>(candidates);
        p.positions().forEach(x -> all.add(x.instrument()));
        RiskArrays arrays = RiskArrays.build(MARKET, PARAMS, all, all.stream().map(Instrument::name).toList());
        candidates = new ArrayList<>(new java.util.TreeMap<>(candidates.stream()
            .collect(java.util.stream.Collectors.toMap(Instrument::name, i -> i, (a, b) -> a))).values());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double mm0 = calc.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
        HedgeModel model = new HedgeModel(arrays, p, candidates, calc.equity(), mm0, TradeCostModel.DEFAULT);
        SplittableRandom rnd = new SplittableRandom(seed * 31);
        double[] zeroRates = new double[candidates.size()];
        for (int trial = 0; trial < 6; trial++) {
            double[] x = new double[candidates.size()];
            Portfolio booked = p;
            for (int t = 0; t < (trial == 0 ? 0 : 3); t++) {
                int k = rnd.nextInt(candidates.size());
                if (x[k] != 0) {
                    continue;
                }
                double notional = (rnd.nextDouble() - 0.5) * 2 * mm0 * 5;
                x[k] = notional / model.unitNotional[k];
                booked = HedgeFixtures.book(booked, arrays, candidates.get(k), x[k], zeroCost());
            }
            double mm = calc.compute(arrays, ResolvedPortfolio.resolve(booked, arrays), -1);
            double[][] charges = model.unitCharges(x);
            assertThat(calc.unitCount()).isEqualTo(model.units);
            for (int u = 0; u < model.units; u++) {
                int cu = unitIndex(calc, model.unitAsset[u]);
                double tol = 1e-9 * Math.max(1, mm0);
                assertThat(charges[u][0]).as("W").isCloseTo(calc.worstLoss(cu), within(tol));
                assertThat(charges[u][1]).as("X").isCloseTo(calc.extendedLoss(cu), within(tol));
                assertThat(charges[u][2]).as("SOM").isCloseTo(calc.shortOptionMinimum(cu), within(tol));
                assertThat(charges[u][3]).as("RS").isCloseTo(calc.rollShock(cu), within(tol));
                assertThat(charges[u][4]).as("LA").isCloseTo(calc.liquidityAddOn(cu), within(tol));
            }
            double fitted = model.margin(x, zeroRates);
            if (model.units == 1) {
                assertThat(fitted).isCloseTo(mm, within(1e-9 * Math.max(1, mm)));
            } else {
                assertThat(fitted).isGreaterThanOrEqualTo(mm - 1e-9 * Math.max(1, mm));
            }
        }
    }

    private static int unitIndex(AccountMarginCalculator calc, int asset) {
        for (int u = 0; u < calc.unitCount(); u++) {
            if (calc.unitAsset(u) == asset) {
                return u;
            }
        }
        throw new AssertionError("no unit for asset " + asset);
    }

    /** Trades booked without cost (the model's MM is compared at zero cost rates). */
    private static TradeCostModel zeroCost() {
        return new TradeCostModel(Double.MIN_VALUE, 0.0, 1.0 / 365, 1.0, 30.0, 0.0);
    }
}
