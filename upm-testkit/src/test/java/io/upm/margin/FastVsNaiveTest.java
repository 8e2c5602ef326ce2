package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.upm.margin.params.MarginParameters;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimised calculator (risk arrays, {@link AccountMarginCalculator}) in lock-step with the naive
 * full-repricing reference ({@link NaiveMarginCalculator}): every matrix cell, every unit charge, the
 * cross-unit terms, equity and the requirements agree to 1e-9 relative (plus 1e-6 USD absolute for values
 * near zero, where the two sum the same P&amp;L in different orders).
 */
class FastVsNaiveTest {
    /** The naive reference calculator (its own geometry cache; JUnit runs a class on one thread). */
    private static final NaiveMarginCalculator NAIVE = new NaiveMarginCalculator();

    /** Relative tolerance of the lock-step comparison. */
    static final double RELATIVE = 1e-9;
    /** Absolute tolerance, USD, for figures that cancel to near zero. */
    static final double ABSOLUTE_USD = 1e-6;

    static final SyntheticVenue VENUE = SyntheticVenue.create(20251125L);
    static final MarginParameters DEFAULTS = MarginParameters.defaults();
    /** The risk arrays of the venue's whole universe, shared by the accounts. */
    static final RiskArrays UNIVERSE = universeArrays(DEFAULTS);

    static RiskArrays universeArrays(MarginParameters params) {
        return RiskArrays.build(VENUE.market(), params, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
    }

    @Test
    void randomPortfoliosAgreeCellByCell() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 220; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(30));
            // mostly on the shared universe arrays; every tenth through the one-account facade
            MarginReport fast = i % 10 == 0 ? MarginCalculator.report(VENUE.market(), p, DEFAULTS)
                : report(UNIVERSE, p);
            compareReport(fast, VENUE.market(), p, DEFAULTS, "random portfolio #" + i);
        }
    }

    @Test
    void syntheticAccountsAgreeOnSharedUniverseArrays() {
        RiskArrays arrays = UNIVERSE;
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (Portfolio p : VENUE.accounts(80, 99)) {
            ResolvedPortfolio resolved = ResolvedPortfolio.resolve(p, arrays);
            double requirementOnly = calc.compute(arrays, resolved, -1);
            double mm = calc.computeDetailed(arrays, resolved);
            NaiveMarginCalculator.Result naive = NAIVE.compute(VENUE.market(), p, DEFAULTS);
            String what = p.account();
            close(mm, naive.maintenanceMargin(), what + " MM");
            // the hot path prunes the joint losses against each other and the floor, and must give the same MM
            close(requirementOnly, mm, what + " MM of the requirement-only path");
            close(calc.equity(), naive.equity(), what + " equity");
            close(calc.jointLoss(), naive.jointLoss(), what + " J(rho)");
            close(calc.stressedJointLoss(), naive.stressedJointLoss(), what + " J(Q_stress)");
            close(calc.crossUnitCharge(), naive.crossUnitCharge(), what + " CU");
            close(calc.borrowingCharge(), naive.borrowingCharge(), what + " borrowing");
            assertThat(calc.unitCount()).as(what + " units").isEqualTo(naive.units().size());
            int u = 0;
            for (NaiveMarginCalculator.UnitResult nu : naive.units().values()) {
                assertThat(arrays.asset(calc.unitAsset(u))).isEqualTo(nu.asset());
                for (int j = 0; j < nu.matrix().length; j++) {
                    for (int v = 0; v < 3; v++) {
                        close(calc.cell(u, j, v), nu.matrix()[j][v], what + " " + nu.asset() + " cell " + j + "," + v);
                    }
                }
                close(calc.worstLoss(u), nu.worstLoss(), what + " W");
                close(calc.extendedLoss(u), nu.extendedLoss(), what + " X");
                close(calc.shortOptionMinimum(u), nu.shortOptionMinimum(), what + " SOM");
                close(calc.rollShock(u), nu.rollShock(), what + " RS");
                close(calc.liquidityAddOn(u), nu.liquidityAddOn(), what + " LA");
                u++;
            }
        }
    }

    @Test
    void handBuiltMarketWithRateFlatVolsOtherAssetAndNoAdv() {
        MarketSnapshot market = MarketSnapshot.builder(Instant.parse("2025-11-25T08:00:00Z"))
            .price("BTC", 90_000).price("ETH", 3_000).price("XRP", 2.2).price("USDC", 0.9995)
            .forward("BTC", "26DEC25", 90_600).forward("BTC", "27MAR26", 92_100)
            .mark("BTC-PERPETUAL", 90_040).mark("XRP_USDC-PERPETUAL", 2.205)
            .vol("BTC", "26DEC25", "80000", 0.62).vol("BTC", "26DEC25", "90000", 0.55)
            .vol("BTC", "26DEC25", "100000", 0.53).vol("BTC", "27MAR26", "90000", 0.58)
            .flatVol("ETH", 0.70).flatVol("XRP", 1.1)
            .correlation("BTC/ETH", 0.82).correlation("BTC/XRP", 0.6).correlation("ETH/XRP", 0.55)
            .adv("BTC", 25e9)
            .rate(0.03)
            .build();
        String[] names = {"BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "BTC-26DEC25", "BTC_USDC-27MAR26",
            "BTC-26DEC25-85000-C",
            "BTC-30JAN26-95000-P", "BTC_USDC-27MAR26-120000-C", "BTC_USDC-28NOV25-90000-P", "ETH-PERPETUAL",
            "ETH_USDC-26DEC25-3000-C", "ETH-27MAR26-2500-P", "XRP_USDC-PERPETUAL", "XRP_USDC-27MAR26-3d5-C",
            "XRP_USDC-26DEC25-1d8-P", "BTC-25NOV25-90000-C"};
        SplittableRandom rnd = new SplittableRandom(7);
        List<Portfolio> portfolios = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<Position> ps = new ArrayList<>();
            int n = 1 + rnd.nextInt(10);
            for (int k = 0; k < n; k++) {
                Instrument ins = InstrumentNames.parse(names[rnd.nextInt(names.length)], "test");
                double size = (rnd.nextDouble() - 0.5) * (ins.isLinear() || ins instanceof io.upm.product.EuropeanOption
                    ? (ins.underlying().equals("XRP") ? 20_000 : ins.underlying().equals("ETH") ? 200 : 10) : 500_000);
                double entry = ins instanceof io.upm.product.EuropeanOption ? Double.NaN
                    : ins.underlying().equals("XRP") ? 2.1 : ins.underlying().equals("ETH") ? 2_900 : 88_000;
                ps.add(Position.of(ins, size, entry, "positions[" + k + "]"));
            }
            Map<String, Double> balances = new LinkedHashMap<>();
            balances.put("USDC", 1e6 * rnd.nextDouble());
            if (rnd.nextBoolean()) {
                balances.put("XRP", (rnd.nextDouble() - 0.3) * 1e6);
            }
            if (rnd.nextBoolean()) {
                balances.put("DAI", (rnd.nextDouble() - 0.3) * 1e5); // unquoted stablecoin, default price
            }
            portfolios.add(new Portfolio("hand-" + i, balances, ps));
        }
        RiskArrays arrays = MarginCalculator.arraysFor(market, DEFAULTS, portfolios);
        for (int i = 0; i < portfolios.size(); i++) {
            Portfolio p = portfolios.get(i);
            compareReport(report(arrays, p), market, p, DEFAULTS, "hand-built #" + i);
        }
    }

    @Test
    void nonDefaultParametersAgree() {
        MarginParameters d = DEFAULTS;
        MarginParameters p = new MarginParameters(d.assets(), d.otherAsset(), 6, 0.6, 0.05, 20.0, 0.4, 0.2, 2.0,
            List.of(-0.5, 0.75, 1.5), 0.02, 0.2, 0.3, 0.25, 0, 0.05, 1.5, d.stablecoins(), 1.0,
            d.standardShortOptionMaintenance(), d.standardShortOptionInitial(), d.standardShortOptionInitialMin(),
            d.standardLoanMaintenance(), d.standardLoanInitial());
        RiskArrays arrays = universeArrays(p);
        SplittableRandom rnd = new SplittableRandom(4242);
        for (int i = 0; i < 40; i++) {
            Portfolio portfolio = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(25));
            compareReport(report(arrays, portfolio), VENUE.market(), portfolio, p, "params #" + i);
        }
    }

    @Test
    void arraysUpdatedForAPriceMoveAgreeWithNaiveOnTheNewSnapshot() {
        RiskArrays before = RiskArrays.build(VENUE.market(), DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        MarketSnapshot moved = VENUE.market().withPriceMove("BTC", 0.03).withPriceMove("SOL", -0.05);
        RiskArrays after = before.withMarket(moved);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (Portfolio p : VENUE.accounts(40, 5)) {
            double mm = calc.compute(after, ResolvedPortfolio.resolve(p, after), -1);
            NaiveMarginCalculator.Result naive = NAIVE.compute(moved, p, DEFAULTS);
            close(mm, naive.maintenanceMargin(), p.account() + " MM after the move");
            close(calc.equity(), naive.equity(), p.account() + " equity after the move");
        }
    }

    /**
     * {@link RiskArrays#withMarket} given a snapshot at a new valuation time agrees with a fresh build and the
     * naive path. Regression: it re-resolved every instrument (new T, new vol shocks) but kept the base
     * arrays' roll-group factors max(minMove, e^{amr T} - 1), computed with the old T. A long
     * BTC_USDC-26JUN26 future valued four months later keeps the roll shock of 213 days instead of 93
     * (4160.73 USD instead of 1794.28).
     */
    @Test
    void arraysUpdatedToANewValuationTimeAgreeWithNaive() {
        Portfolio p = new Portfolio("future", Map.of("USDC", 1e5),
            List.of(Position.of(InstrumentNames.parse("BTC_USDC-26JUN26", "x"), 1.0, 92_000.0, "x")));
        MarketSnapshot november = futureMarket("2025-11-25T08:00:00Z");
        MarketSnapshot march = futureMarket("2026-03-25T08:00:00Z");
        RiskArrays later = MarginCalculator.arraysFor(november, DEFAULTS, List.of(p)).withMarket(march);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double mm = calc.compute(later, ResolvedPortfolio.resolve(p, later), -1);
        NaiveMarginCalculator.Result naive = NAIVE.compute(march, p, DEFAULTS);
        close(calc.rollShock(0), naive.units().get("BTC").rollShock(), "RS after withMarket to a new time");
        close(mm, naive.maintenanceMargin(), "MM after withMarket to a new time");
    }

    private static MarketSnapshot futureMarket(String time) {
        return MarketSnapshot.builder(Instant.parse(time)).price("BTC", 90_000).price("USDC", 1.0)
            .forward("BTC", "26JUN26", 93_000).flatVol("BTC", 0.5).build();
    }

    @Test
    void marginContributionsAreTheChangeInMmWhenThePositionIsRemoved() {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int i = 0; i < 12; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 2 + rnd.nextInt(12));
            MarginReport fast = report(UNIVERSE, p);
            double mm = NAIVE.compute(VENUE.market(), p, DEFAULTS).maintenanceMargin();
            for (int k = 0; k < p.positions().size(); k++) {
                double without = NAIVE.compute(VENUE.market(), p.without(k), DEFAULTS)
                    .maintenanceMargin();
                close(fast.positions().get(k).marginContribution(), mm - without,
                    "portfolio #" + i + " contribution of position " + k);
            }
        }
    }

    /** The full report of an account on shared arrays. */
    static MarginReport report(RiskArrays arrays, Portfolio p) {
        return MarginCalculator.report(arrays, ResolvedPortfolio.resolve(p, arrays), new AccountMarginCalculator());
    }

    /** The whole report of the fast path against the naive result. */
    static void compareReport(MarginReport fast, MarketSnapshot market, Portfolio p, MarginParameters params,
                              String what) {
        NaiveMarginCalculator.Result naive = NAIVE.compute(market, p, params);
        assertThat(fast.units().keySet()).as(what + " units").containsExactlyElementsOf(naive.units().keySet());
        for (NaiveMarginCalculator.UnitResult nu : naive.units().values()) {
            MarginReport.Unit fu = fast.units().get(nu.asset());
            String w = what + " " + nu.asset();
            for (int j = 0; j < nu.matrix().length; j++) {
                assertThat(fu.priceMoves()[j]).as(w + " move " + j).isCloseTo(nu.priceMoves()[j],
                    org.assertj.core.data.Offset.offset(1e-15));
                for (int v = 0; v < 3; v++) {
                    close(fu.pnl()[j][v], nu.matrix()[j][v], w + " cell [" + j + "][" + v + "]");
                }
            }
            close(fu.worstLoss(), nu.worstLoss(), w + " W");
            close(fu.extendedLoss(), nu.extendedLoss(), w + " X");
            close(fu.shortOptionMinimum(), nu.shortOptionMinimum(), w + " SOM");
            close(fu.coreCharge(), nu.coreCharge(), w + " C");
            close(fu.rollShock(), nu.rollShock(), w + " RS");
            close(fu.liquidityAddOn(), nu.liquidityAddOn(), w + " LA");
            close(fu.greeks().delta(), nu.delta(), w + " delta");
        }
        close(fast.crossUnit().jointLoss(), naive.jointLoss(), what + " J(rho)");
        close(fast.crossUnit().stressedJointLoss(), naive.stressedJointLoss(), what + " J(Q_stress)");
        close(fast.crossUnit().floor(), naive.floor(), what + " floor");
        close(fast.crossUnit().charge(), naive.crossUnitCharge(), what + " CU");
        close(fast.borrowingCharge(), naive.borrowingCharge(), what + " borrowing");
        close(fast.equity(), naive.equity(), what + " equity");
        close(fast.maintenanceMargin(), naive.maintenanceMargin(), what + " MM");
        close(fast.initialMargin(), naive.initialMargin(), what + " IM");
        for (int k = 0; k < p.positions().size(); k++) {
            close(fast.positions().get(k).value(), naive.positionValues()[k], what + " value of position " + k);
            close(fast.positions().get(k).greeks().delta(), naive.positionDeltas()[k],
                what + " delta of position " + k);
        }
        if (!nearBoundary(naive.equity(), naive.maintenanceMargin(), naive.initialMargin())) {
            assertThat(fast.status()).as(what + " status").isEqualTo(naive.status());
        }
    }

    private static boolean nearBoundary(double equity, double mm, double im) {
        double tol = 1e-9 * Math.max(Math.abs(equity), im) + ABSOLUTE_USD;
        return Math.abs(equity) < tol || Math.abs(equity - mm) < tol || Math.abs(equity - im) < tol;
    }

    static void close(double actual, double expected, String what) {
        double tol = RELATIVE * Math.max(Math.abs(actual), Math.abs(expected)) + ABSOLUTE_USD;
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": fast " + actual + " vs naive " + expected + " (difference " + (actual - expected) + ")");
        }
    }
}
