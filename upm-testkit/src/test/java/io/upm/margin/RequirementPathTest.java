package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.params.MarginParameters;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The requirement-only hot path ({@link AccountMarginCalculator#compute}) prunes J(Q_stress) against the floor
 * and J(rho) against both; it must give the same MM as the detailed path that resolves both joint losses,
 * for accounts of 1 to 6 risk units (up to 3 units by the exact cell enumeration, 4 to 6 by the branch
 * and bound over the grid's faces).
 */
class RequirementPathTest {
    private static final String[] EXTRA = {"ADA", "AVAX", "XRP"};

    @Test
    void requirementOnlyMmEqualsDetailedMmFromOneToSixUnits() {
        SyntheticVenue venue = SyntheticVenue.create(3);
        MarketSnapshot base = venue.market();
        MarketSnapshot.Builder b = MarketSnapshot.builder(base.time());
        base.prices().forEach(b::price);
        base.forwards().forEach((u, f) -> f.forEach((t, v) -> b.forward(u, io.upm.product.ExpiryCodes.format(t), v)));
        base.marks().forEach(b::mark);
        // the venue's vols are by expiry and strike: re-create them through the builder
        MarketSnapshot market = withExtraAssets(venue, b);
        MarginParameters params = MarginParameters.defaults();
        SplittableRandom rnd = new SplittableRandom(17);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        int[] unitsSeen = new int[8];
        for (int k = 0; k < 120; k++) {
            Portfolio p = venue.randomPortfolio(rnd, 2 + rnd.nextInt(10));
            Map<String, Double> balances = new LinkedHashMap<>(p.balances());
            int extra = rnd.nextInt(EXTRA.length + 1);
            for (int e = 0; e < extra; e++) {
                balances.put(EXTRA[e], (rnd.nextBoolean() ? 1 : -1) * (1_000 + rnd.nextDouble() * 100_000));
            }
            Portfolio q = new Portfolio(p.account(), balances, p.positions());
            RiskArrays arrays = MarginCalculator.arraysFor(market, params, List.of(q));
            ResolvedPortfolio r = ResolvedPortfolio.resolve(q, arrays);
            double fast = calc.compute(arrays, r, -1);
            double detailed = calc.computeDetailed(arrays, r);
            unitsSeen[Math.min(calc.unitCount(), 7)]++;
            assertThat(fast).as(q.account() + " with " + calc.unitCount() + " units")
                .isCloseTo(detailed, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1.0, Math.abs(detailed))));
            assertThat(calc.crossUnitCharge()).isGreaterThanOrEqualTo(
                Math.max(calc.jointLoss(), Math.max(calc.stressedJointLoss(), calc.floor())) - 1e-9);
        }
        assertThat(unitsSeen[4] + unitsSeen[5] + unitsSeen[6]).as("accounts of 4 to 6 units").isGreaterThan(10);
    }

    private static MarketSnapshot withExtraAssets(SyntheticVenue venue, MarketSnapshot.Builder b) {
        MarketSnapshot base = venue.market();
        b.price("ADA", 0.7).price("AVAX", 30).price("XRP", 2.1);
        base.correlations().pairs().forEach(b::correlation);
        b.correlation("ADA/AVAX", 0.6); // uncorrelated with the majors: the whole matrix stays positive semi-definite
        base.adv().forEach(b::adv);
        b.rate(base.rate());
        // flat vols at each underlying's ATM level keep the options priceable
        for (String u : List.of("BTC", "ETH", "SOL")) {
            double s = base.priceOrNaN(u);
            double vol = base.volSurface(u).vol(s, base.time().getEpochSecond() + 30 * 86400L, base.time().getEpochSecond());
            b.flatVol(u, vol);
        }
        return b.build();
    }
}
