package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.upm.margin.params.MarginParameters;
import io.upm.margin.reference.NaiveMarginCalculator;
import io.upm.margin.synthetic.SyntheticVenue;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimised calculator (risk arrays, {@link AccountMarginCalculator}) in lock-step with the naive
 * full-repricing reference ({@link NaiveMarginCalculator}): every matrix cell, every unit charge, the
 * cross-unit terms, equity and the requirements agree to 1e-9 relative (plus 1e-6 USD absolute for values
 * near zero, where the two sum the same P&amp;L in different orders).
 */
class FastVsNaiveTest {
    /** Relative tolerance of the lock-step comparison. */
    static final double RELATIVE = 1e-9;
    /** Absolute tolerance, USD, for figures that cancel to near zero. */
    static final double ABSOLUTE_USD = 1e-6;

    static final SyntheticVenue VENUE = SyntheticVenue.create(20251125L);
    static final MarginParameters DEFAULTS = MarginParameters.defaults();

    @Test
    void randomPortfoliosAgreeCellByCell() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 220; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(30));
            compareReport(VENUE.market(), p, DEFAULTS, "random portfolio #" + i);
        }
    }

    @Test
    void syntheticAccountsAgreeOnSharedUniverseArrays() {
        RiskArrays arrays = RiskArrays.build(VENUE.market(), DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (Portfolio p : VENUE.accounts(80, 99)) {
            double mm = calc.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
            NaiveMarginCalculator.Result naive = NaiveMarginCalculator.compute(VENUE.market(), p, DEFAULTS);
            String what = p.account();
            close(mm, naive.maintenanceMargin(), what + " MM");
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
        String[] names = {"BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "BTC-26DEC25", "BTC_USDC-27MAR26", "BTC-26DEC25-85000-C",
            "BTC-30JAN26-95000-P", "BTC_USDC-27MAR26-120000-C", "BTC_USDC-28NOV25-90000-P", "ETH-PERPETUAL",
            "ETH_USDC-26DEC25-3000-C", "ETH-27MAR26-2500-P", "XRP_USDC-PERPETUAL", "XRP_USDC-27MAR26-3d5-C",
            "XRP_USDC-26DEC25-1d8-P", "BTC-25NOV25-90000-C"};
        SplittableRandom rnd = new SplittableRandom(7);
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
            compareReport(market, new Portfolio("hand-" + i, balances, ps), DEFAULTS, "hand-built #" + i);
        }
    }

    @Test
    void nonDefaultParametersAgree() {
        MarginParameters d = DEFAULTS;
        MarginParameters p = new MarginParameters(d.assets(), d.otherAsset(), 6, 0.6, 0.05, 20.0, 0.4, 0.2, 2.0,
            List.of(-0.5, 0.75, 1.5), 0.02, 0.2, 0.3, 0.25, 0, 0.05, 1.5, d.stablecoins(), 1.0,
            d.standardShortOptionMaintenance(), d.standardShortOptionInitial(), d.standardShortOptionInitialMin(),
            d.standardLoanMaintenance(), d.standardLoanInitial());
        SplittableRandom rnd = new SplittableRandom(4242);
        for (int i = 0; i < 40; i++) {
            compareReport(VENUE.market(), VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(25)), p, "params #" + i);
        }
    }

    /** The whole report of the fast path against the naive result. */
    static void compareReport(MarketSnapshot market, Portfolio p, MarginParameters params, String what) {
        MarginReport fast = MarginCalculator.report(market, p, params);
        NaiveMarginCalculator.Result naive = NaiveMarginCalculator.compute(market, p, params);
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
            close(fast.positions().get(k).greeks().delta(), naive.positionDeltas()[k], what + " delta of position " + k);
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
