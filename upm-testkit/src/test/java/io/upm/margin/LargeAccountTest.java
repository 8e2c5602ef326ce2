package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.testkit.ManyCoinVenue;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Large accounts: a report of 10,000 positions (contributions included) and the requirement of 100,000 positions,
 * and a report of a 50-unit account. Each contribution takes the position out of its own unit only, so a report
 * costs about one full compute plus one unit recompute and one cross-unit solve per position, not one full
 * recompute per position. Timings are printed (measured in docs/operations.md), never asserted; what is asserted is
 * that the report's MM equals the requirement path's and that the contributions agree with full recomputes.
 */
class LargeAccountTest {
    static final SyntheticVenue VENUE = SyntheticVenue.create(31L);
    static final RiskArrays ARRAYS = RiskArrays.build(VENUE.market(), MarginParameters.defaults(), VENUE.universe(),
        VENUE.universe().stream().map(Instrument::name).toList());

    @Test
    void tenThousandPositionsReportAndAHundredThousandPositionsRequirement() {
        SplittableRandom rnd = new SplittableRandom(1);
        Portfolio big = VENUE.randomPortfolio(rnd, 10_000);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        ResolvedPortfolio p = ResolvedPortfolio.resolve(big, ARRAYS);
        MarginCalculator.report(ARRAYS, p, calc); // warm-up
        long t0 = System.nanoTime();
        MarginReport r = MarginCalculator.report(ARRAYS, p, calc);
        long t1 = System.nanoTime();
        assertThat(r.positions()).hasSize(big.positions().size());
        double mm = new AccountMarginCalculator().compute(ARRAYS, p, -1);
        assertThat(Double.doubleToLongBits(r.maintenanceMargin())).isEqualTo(Double.doubleToLongBits(mm));
        // a sample of contributions against full recomputes without the position
        for (int k = 0; k < 20; k++) {
            int i = rnd.nextInt(big.positions().size());
            double without = new AccountMarginCalculator().compute(ARRAYS, ResolvedPortfolio.resolve(big.without(i), ARRAYS), -1);
            assertThat(r.positions().get(i).marginContribution())
                .isCloseTo(mm - without, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1.0, mm)));
        }
        Portfolio huge = VENUE.randomPortfolio(rnd, 100_000);
        ResolvedPortfolio h = ResolvedPortfolio.resolve(huge, ARRAYS);
        calc.compute(ARRAYS, h, -1);
        long t2 = System.nanoTime();
        double hugeMm = calc.compute(ARRAYS, h, -1);
        long t3 = System.nanoTime();
        assertThat(hugeMm).isFinite().isPositive();
        System.out.printf(Locale.ROOT, "[LargeAccountTest] report of %,d positions: %.0f ms; MM of %,d positions: %.1f ms%n",
            big.positions().size(), (t1 - t0) / 1e6, huge.positions().size(), (t3 - t2) / 1e6);
    }

    @Test
    void aFiftyUnitReport() {
        ManyCoinVenue coins = ManyCoinVenue.create(50, 5L);
        RiskArrays arrays = RiskArrays.build(coins.market(), MarginParameters.defaults(), coins.universe(),
            coins.universe().stream().map(Instrument::name).toList());
        Portfolio p = coins.account("fifty", 50, new SplittableRandom(3));
        AccountMarginCalculator calc = new AccountMarginCalculator();
        ResolvedPortfolio rp = ResolvedPortfolio.resolve(p, arrays);
        MarginCalculator.report(arrays, rp, calc);
        long t0 = System.nanoTime();
        MarginReport r = MarginCalculator.report(arrays, rp, calc);
        long t1 = System.nanoTime();
        assertThat(r.units()).hasSize(50);
        assertThat(r.crossUnit().jointLossMethod()).isEqualTo("bounded");
        List<Double> contributions = new ArrayList<>();
        r.positions().forEach(l -> contributions.add(l.marginContribution()));
        assertThat(contributions).allMatch(Double::isFinite);
        System.out.printf(Locale.ROOT, "[LargeAccountTest] report of a 50-unit account (%d positions): %.1f ms%n",
            p.positions().size(), (t1 - t0) / 1e6);
    }
}
