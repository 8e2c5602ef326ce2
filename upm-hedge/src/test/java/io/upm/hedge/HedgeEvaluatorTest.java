package io.upm.hedge;

import static io.upm.hedge.HedgeFixtures.MARKET;
import static io.upm.hedge.HedgeFixtures.PARAMS;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.RiskArrays;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimiser's fast paths against the plain ones on seeded random inputs: {@link PlanEvaluator} (trades booked on
 * the account's indices, only the traded units re-summed) gives the MM and equity of {@code MarginCalculator.report}
 * on the portfolio {@link PlanEvaluator#book} builds, bit for bit, for random plans of up to four trades in perpetuals,
 * futures (linear and inverse) and linear options, including instruments the account holds; and
 * {@link HedgeModel#bindingRows} keeps rows whose maximum is that of all rows (and of 0) at random points.
 */
class HedgeEvaluatorTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void fastEvaluationEqualsTheCalculatorOnTheBookedPortfolio(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Portfolio p = HedgeFixtures.shortAccount(seed, 1 + (int) (seed % 3), 0.5);
        List<Instrument> candidates = new ArrayList<>(HedgeFixtures.deltaOneCandidates(p));
        candidates.addAll(HedgeFixtures.someOptions(p));
        p.positions().forEach(x -> {
            if (!candidates.contains(x.instrument())) {
                candidates.add(x.instrument()); // trades in held instruments too (options, inverse contracts)
            }
        });
        candidates.sort(java.util.Comparator.comparing(Instrument::name));
        List<Instrument> all = new ArrayList<>(candidates);
        p.positions().forEach(x -> all.add(x.instrument()));
        RiskArrays arrays = RiskArrays.build(MARKET, PARAMS, all, all.stream().map(Instrument::name).toList());
        PlanEvaluator evaluator = new PlanEvaluator(arrays, new AccountMarginCalculator(), TradeCostModel.DEFAULT, p,
            candidates);
        MarginReport base = MarginCalculator.report(MARKET, p, PARAMS);
        assertThat(evaluator.baseMaintenance()).isEqualTo(base.maintenanceMargin());
        assertThat(evaluator.baseEquity()).isEqualTo(base.equity());
        for (int trial = 0; trial < 25; trial++) {
            double[] x = new double[candidates.size()];
            int trades = 1 + rnd.nextInt(4);
            for (int t = 0; t < trades; t++) {
                int k = rnd.nextInt(x.length);
                var r = arrays.instrument(arrays.instrumentIndex(candidates.get(k).name()));
                double unit = r.isInverseDelta1() ? 10_000.0 : 1.0; // inverse sizes are USD
                x[k] = (rnd.nextDouble() * 2 - 1) * unit * (1 + rnd.nextInt(20));
            }
            double mm = evaluator.evaluate(x);
            double equity = evaluator.equity();
            double cost = evaluator.cost();
            List<HedgeTrade> booked = new ArrayList<>();
            Portfolio hedged = evaluator.book(x, booked);
            MarginReport report = MarginCalculator.report(MARKET, hedged, PARAMS);
            assertThat(mm).as("MM, trial %d", trial).isEqualTo(report.maintenanceMargin());
            assertThat(evaluator.maintenanceMargin()).isEqualTo(mm);
            assertThat(equity).as("equity, trial %d", trial).isEqualTo(report.equity());
            double total = 0.0;
            for (HedgeTrade t : booked) {
                total += t.cost(); // in trade order, as the plan's totalCost is summed
            }
            assertThat(cost).isEqualTo(total);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void bindingRowsKeepTheMaximumOfAllRows(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int family = 0; family < 200; family++) {
            int rows = 1 + rnd.nextInt(35);
            int m = 1 + rnd.nextInt(4);
            boolean rankOne = family % 2 == 0;
            double[] w = new double[m];
            for (int i = 0; i < m; i++) {
                w[i] = rnd.nextDouble() * 2 - 1;
            }
            double[][] a = new double[rows][m];
            double[] b = new double[rows];
            for (int j = 0; j < rows; j++) {
                double s = rnd.nextInt(5) == 0 ? 0.0 : rnd.nextInt(7) - 3; // repeated slopes, as a vol state's
                for (int i = 0; i < m; i++) {
                    a[j][i] = rankOne ? s * w[i] : rnd.nextInt(3) - 1;
                }
                b[j] = rnd.nextInt(3) == 0 ? b[rnd.nextInt(j + 1)] : rnd.nextDouble() * 4 - 2;
            }
            boolean[] keep = HedgeModel.bindingRows(a, b);
            for (int point = 0; point < 50; point++) {
                double[] y = new double[m];
                for (int i = 0; i < m; i++) {
                    y[i] = (rnd.nextDouble() * 2 - 1) * 5;
                }
                double all = 0.0;
                double kept = 0.0;
                for (int j = 0; j < rows; j++) {
                    double v = b[j];
                    for (int i = 0; i < m; i++) {
                        v -= a[j][i] * y[i];
                    }
                    all = Math.max(all, v);
                    if (keep[j]) {
                        kept = Math.max(kept, v);
                    }
                }
                assertThat(kept).as("family %d, point %d", family, point).isCloseTo(all,
                    org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(all))));
            }
        }
    }
}
