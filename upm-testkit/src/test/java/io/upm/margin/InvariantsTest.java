package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.upm.margin.params.MarginParameters;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of the portfolio margin that hold for every account, checked over seeded random portfolios
 * on a synthetic venue: homogeneity under scaling, conservation when a position and its exact opposite are
 * added, independence of input order, agreement with brute-force repricing, determinism, and the shape of
 * the cross-unit offset (a hedge lowers the requirement; the offset is capped).
 */
class InvariantsTest {
    /** The naive reference calculator (its own geometry cache; JUnit runs a class on one thread). */
    private static final NaiveMarginCalculator NAIVE = new NaiveMarginCalculator();

    static final double RELATIVE = 1e-9;
    static final SyntheticVenue VENUE = SyntheticVenue.create(777L);
    static final MarketSnapshot MARKET = VENUE.market();
    static final MarginParameters DEFAULTS = MarginParameters.defaults();
    /** The risk arrays of the whole universe, shared by the properties (as a venue would share them). */
    static final RiskArrays ARRAYS = RiskArrays.build(MARKET, DEFAULTS, VENUE.universe(),
        VENUE.universe().stream().map(Instrument::name).toList());

    /** The full report of an account on the shared universe arrays. */
    static MarginReport report(Portfolio p) {
        return MarginCalculator.report(ARRAYS, ResolvedPortfolio.resolve(p, ARRAYS), new AccountMarginCalculator());
    }

    @Test
    void scalingAPortfolioByKScalesEveryChargeByKAndTheLiquidityAddOnByKToTheThreeHalves() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] factors = {0.25, 3.0, 17.5};
        for (int i = 0; i < 60; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(25));
            double k = factors[i % factors.length];
            MarginReport a = report(p);
            MarginReport b = report(p.scaled(k));
            String w = "portfolio #" + i + " x " + k;
            assertThat(b.units().keySet()).containsExactlyElementsOf(a.units().keySet());
            double laA = 0.0;
            double laB = 0.0;
            for (String u : a.units().keySet()) {
                MarginReport.Unit ua = a.units().get(u);
                MarginReport.Unit ub = b.units().get(u);
                for (int j = 0; j < ua.pnl().length; j++) {
                    for (int v = 0; v < 3; v++) {
                        scaled(ub.pnl()[j][v], ua.pnl()[j][v], k, w + " " + u + " cell");
                    }
                }
                scaled(ub.worstLoss(), ua.worstLoss(), k, w + " " + u + " W");
                scaled(ub.extendedLoss(), ua.extendedLoss(), k, w + " " + u + " X");
                scaled(ub.shortOptionMinimum(), ua.shortOptionMinimum(), k, w + " " + u + " SOM");
                scaled(ub.coreCharge(), ua.coreCharge(), k, w + " " + u + " C");
                scaled(ub.rollShock(), ua.rollShock(), k, w + " " + u + " RS");
                scaled(ub.liquidityAddOn(), ua.liquidityAddOn(), Math.pow(k, 1.5), w + " " + u + " LA");
                laA += ua.liquidityAddOn();
                laB += ub.liquidityAddOn();
            }
            scaled(b.crossUnit().jointLoss(), a.crossUnit().jointLoss(), k, w + " J(rho)");
            scaled(b.crossUnit().stressedJointLoss(), a.crossUnit().stressedJointLoss(), k, w + " J(Q_stress)");
            scaled(b.crossUnit().floor(), a.crossUnit().floor(), k, w + " floor");
            scaled(b.crossUnit().charge(), a.crossUnit().charge(), k, w + " CU");
            scaled(b.borrowingCharge(), a.borrowingCharge(), k, w + " borrowing");
            scaled(b.maintenanceMargin() - laB, a.maintenanceMargin() - laA, k, w + " MM - LA");
            scaled(b.standard().maintenanceMargin(), a.standard().maintenanceMargin(), k, w + " standard MM");
            scaled(b.standard().initialMargin(), a.standard().initialMargin(), k, w + " standard IM");
        }
    }

    @Test
    void equityScalesByKOnlyBelowTheFirstHaircutBracket() {
        // USDC below 50M and no coin balances: no haircut applies, equity is linear in the holdings
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 20; i++) {
            Portfolio r = VENUE.randomPortfolio(rnd, 10);
            Portfolio p = new Portfolio("p", Map.of("USDC", 1e5 * rnd.nextDouble()), r.positions());
            MarginReport a = report(p);
            MarginReport b = report(p.scaled(3.0));
            scaled(b.equity(), a.equity(), 3.0, "equity #" + i);
        }
    }

    @Test
    void addingAPositionAndItsExactOppositeChangesNothing() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<Instrument> universe = VENUE.universe();
        for (int i = 0; i < 80; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(20));
            Instrument ins;
            if (rnd.nextBoolean()) {
                ins = p.positions().get(rnd.nextInt(p.positions().size())).instrument();
            } else {
                // any instrument on an underlying the portfolio already has
                do {
                    ins = universe.get(rnd.nextInt(universe.size()));
                } while (!underlyings(p).contains(ins.underlying()));
            }
            checkOppositeLeavesAllUnchanged(p, ins, rnd, "portfolio #" + i, RELATIVE);
        }
    }

    /**
     * Adding a position and its opposite on an underlying the account does not have yet adds a risk unit whose
     * P&amp;L is exactly zero everywhere. The joint loss over the larger ellipsoid is mathematically the same
     * (the shadow of the ellipsoid of rho on the old units is the ellipsoid of their sub-matrix), but the
     * solver samples a space of one more dimension, so J moves within the solver's accuracy (seen: 1e-4
     * relative). Cells, Greeks and equity are unchanged to 1e-9; J and MM to 0.5%.
     */
    @Test
    void aPositionAndItsOppositeOnANewUnderlyingAddAnEmptyUnitAndChangeNothing() {
        SplittableRandom rnd = new SplittableRandom(33);
        List<Instrument> universe = VENUE.universe();
        int checked = 0;
        double worstNewUnit = 0.0;
        for (int i = 0; i < 200 && checked < 40; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(20));
            Instrument ins = universe.get(rnd.nextInt(universe.size()));
            if (!underlyings(p).contains(ins.underlying())) {
                worstNewUnit = Math.max(worstNewUnit, checkOppositeLeavesAllUnchanged(p, ins, rnd, "portfolio #" + i,
                    5e-3));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
        System.out.printf("[InvariantsTest] an empty extra unit moved J or MM by at most %.2e relative%n",
            worstNewUnit);
    }

    /** Checks p against p + pos + (-pos); returns the largest relative change of J, J_stress and MM. */
    private static double checkOppositeLeavesAllUnchanged(Portfolio p, Instrument ins, SplittableRandom rnd, String w,
                                                          double jointLossTolerance) {
        double size = (rnd.nextDouble() - 0.5) * (ins.isLinear() || ins instanceof EuropeanOption ? 20 : 2e6);
        double entry = ins instanceof EuropeanOption ? Double.NaN
            : ResolvedInstrument.resolve(ins, MARKET, "x").mark() * (0.95 + 0.1 * rnd.nextDouble());
        Position pos = Position.of(ins, size, entry, "x");
        Portfolio q = p.plus(pos).plus(Position.of(ins, -size, entry, "x"));
        MarginReport a = report(p);
        MarginReport b = report(q);
        String what = w + " + " + ins.name() + " x " + size + " and its opposite";
        for (String u : b.units().keySet()) {
            MarginReport.Unit ub = b.units().get(u);
            MarginReport.Unit ua = a.units().get(u);
            for (int j = 0; j < ub.pnl().length; j++) {
                for (int v = 0; v < 3; v++) {
                    close(ub.pnl()[j][v], ua == null ? 0.0 : ua.pnl()[j][v], what + " " + u + " cell");
                }
            }
            MarginReport.Greeks ga = ua == null ? new MarginReport.Greeks(0, 0, 0, 0, 0, 0) : ua.greeks();
            MarginReport.Greeks gb = ub.greeks();
            close(gb.delta(), ga.delta(), what + " " + u + " delta");
            close(gb.gamma(), ga.gamma(), what + " " + u + " gamma");
            close(gb.vega(), ga.vega(), what + " " + u + " vega");
            close(gb.theta(), ga.theta(), what + " " + u + " theta");
            close(gb.vanna(), ga.vanna(), what + " " + u + " vanna");
            close(gb.volga(), ga.volga(), what + " " + u + " volga");
        }
        close(b.equity(), a.equity(), what + " equity");
        close(b.crossUnit().jointLoss(), a.crossUnit().jointLoss(), jointLossTolerance, what + " J(rho)");
        close(b.crossUnit().stressedJointLoss(), a.crossUnit().stressedJointLoss(), jointLossTolerance,
            what + " J(Q_stress)");
        close(b.maintenanceMargin(), a.maintenanceMargin(), jointLossTolerance, what + " MM");
        close(b.initialMargin(), a.initialMargin(), jointLossTolerance, what + " IM");
        return Math.max(relative(b.crossUnit().jointLoss(), a.crossUnit().jointLoss()),
            Math.max(relative(b.crossUnit().stressedJointLoss(), a.crossUnit().stressedJointLoss()),
                relative(b.maintenanceMargin(), a.maintenanceMargin())));
    }

    private static double relative(double x, double y) {
        return Math.abs(x - y) / Math.max(Math.max(Math.abs(x), Math.abs(y)), 1e-300);
    }

    @Test
    void theOrderOfPositionsAndBalancesDoesNotMatter() {
        SplittableRandom rnd = new SplittableRandom(4);
        Random shuffler = new Random(4);
        int bitIdentical = 0;
        int total = 0;
        double worst = 0.0;
        for (int i = 0; i < 100; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 2 + rnd.nextInt(28));
            double mm = report(p).maintenanceMargin();
            for (int s = 0; s < 3; s++) {
                List<Position> ps = new ArrayList<>(p.positions());
                Collections.shuffle(ps, shuffler);
                List<Map.Entry<String, Double>> bs = new ArrayList<>(p.balances().entrySet());
                Collections.shuffle(bs, shuffler);
                Map<String, Double> balances = new LinkedHashMap<>();
                bs.forEach(e -> balances.put(e.getKey(), e.getValue()));
                double shuffled = report(new Portfolio("s", balances, ps))
                    .maintenanceMargin();
                total++;
                if (Double.doubleToRawLongBits(shuffled) == Double.doubleToRawLongBits(mm)) {
                    bitIdentical++;
                }
                double rel = Math.abs(shuffled - mm) / Math.max(Math.abs(mm), 1e-300);
                worst = Math.max(worst, rel);
                assertThat(rel).as("portfolio #" + i + " shuffle " + s + ": " + mm + " vs " + shuffled)
                    .isLessThanOrEqualTo(1e-12);
            }
        }
        // Bit-for-bit equality does not hold in general: matrix cells, series and roll-group sums are added
        // in input order, so a shuffle changes the last bits of some sums.
        System.out.printf("[InvariantsTest] shuffled MM bit-identical in %d of %d shuffles; "
            + "worst relative change %.2e%n",
            bitIdentical, total, worst);
    }

    @Test
    void eachUnitsWorstLossEqualsBruteForceRepricing() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(25));
            MarginReport fast = report(p);
            NaiveMarginCalculator.Result naive = NAIVE.compute(MARKET, p, DEFAULTS);
            for (NaiveMarginCalculator.UnitResult u : naive.units().values()) {
                close(fast.units().get(u.asset()).worstLoss(), u.worstLoss(),
                    "portfolio #" + i + " " + u.asset() + " W");
            }
        }
    }

    @Test
    void theSameAccountGivesBitIdenticalResultsOnAnyCalculatorInAnyOrder() {
        List<Portfolio> accounts = VENUE.accounts(300, 6);
        RiskArrays arrays1 = RiskArrays.build(MARKET, DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        RiskArrays arrays2 = RiskArrays.build(MARKET, DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        AccountMarginCalculator calc1 = new AccountMarginCalculator();
        AccountMarginCalculator calc2 = new AccountMarginCalculator();
        long[] first = new long[accounts.size()];
        for (int i = 0; i < accounts.size(); i++) {
            ResolvedPortfolio p = ResolvedPortfolio.resolve(accounts.get(i), arrays1);
            first[i] = Double.doubleToRawLongBits(calc1.compute(arrays1, p, -1));
        }
        for (int i = accounts.size() - 1; i >= 0; i--) {
            ResolvedPortfolio p = ResolvedPortfolio.resolve(accounts.get(i), arrays1);
            assertThat(Double.doubleToRawLongBits(calc1.compute(arrays1, p, -1))).as("again " + i).isEqualTo(first[i]);
            ResolvedPortfolio p2 = ResolvedPortfolio.resolve(accounts.get(i), arrays2);
            assertThat(Double.doubleToRawLongBits(calc2.compute(arrays2, p2, -1))).as("other calculator " + i)
                .isEqualTo(first[i]);
        }
        for (int i = 0; i < 6; i++) {
            MarginReport r1 = MarginCalculator.report(MARKET, accounts.get(i), DEFAULTS);
            MarginReport r2 = MarginCalculator.report(MARKET, accounts.get(i), DEFAULTS);
            assertThat(Double.doubleToRawLongBits(r1.maintenanceMargin()))
                .isEqualTo(Double.doubleToRawLongBits(r2.maintenanceMargin()));
            // per-account arrays hold fewer instruments than the universe's, with the same figures
            assertThat(Double.doubleToRawLongBits(r1.maintenanceMargin())).as("report vs shared arrays " + i)
                .isEqualTo(first[i]);
        }
    }

    @Test
    void aPerpetualHedgedWithAPerpetualOfTheOtherKindNeedsFarLessMargin() {
        Instrument linear = InstrumentNames.parse("BTC_USDC-PERPETUAL", "x");
        Instrument inverse = InstrumentNames.parse("BTC-PERPETUAL", "x");
        double linearMark = ResolvedInstrument.resolve(linear, MARKET, "x").mark();
        double inverseMark = ResolvedInstrument.resolve(inverse, MARKET, "x").mark();
        Portfolio naked = new Portfolio("naked", Map.of("USDC", 1e6), List.of(Position.of(linear, 5, linearMark, "x")));
        // an inverse perpetual's delta is q / E: -5 E USD of notional has delta -5 BTC
        Portfolio hedged = naked.plus(Position.of(inverse, -5 * inverseMark, inverseMark, "x"));
        MarginReport a = report(naked);
        MarginReport b = report(hedged);
        assertThat(b.maintenanceMargin()).isLessThan(0.05 * a.maintenanceMargin());
        assertThat(b.units().get("BTC").greeks().delta()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aCrossAssetHedgeIsBelowTheSiloedSumButNeverBelowTheCap() {
        double notional = 1e6;
        Instrument btc = InstrumentNames.parse("BTC_USDC-PERPETUAL", "x");
        Instrument eth = InstrumentNames.parse("ETH_USDC-PERPETUAL", "x");
        double btcMark = ResolvedInstrument.resolve(btc, MARKET, "x").mark();
        double ethMark = ResolvedInstrument.resolve(eth, MARKET, "x").mark();
        Position longBtc = Position.of(btc, notional / btcMark, btcMark, "x");
        Position shortEth = Position.of(eth, -notional / ethMark, ethMark, "x");
        Map<String, Double> cash = Map.of("USDC", 1e6);
        MarginReport pair = MarginCalculator.report(MARKET, new Portfolio("pair", cash, List.of(longBtc, shortEth)),
            DEFAULTS);
        MarginReport btcAlone = report(new Portfolio("b", cash, List.of(longBtc)));
        MarginReport ethAlone = report(new Portfolio("e", cash, List.of(shortEth)));
        assertThat(MARKET.correlations().get("BTC", "ETH")).isEqualTo(0.8);
        double siloed = pair.units().get("BTC").worstLoss() + pair.units().get("ETH").worstLoss();
        assertThat(pair.crossUnit().charge()).isLessThan(siloed);
        assertThat(pair.crossUnit().charge()).isGreaterThanOrEqualTo((1 - DEFAULTS.offsetCap()) * siloed * (1 - 1e-12));
        assertThat(pair.crossUnit().jointLoss()).isLessThan(siloed);
        assertThat(pair.maintenanceMargin()).isLessThan(btcAlone.maintenanceMargin() + ethAlone.maintenanceMargin());
        // the plain correlation would allow more offset than the cap: J(rho) = sqrt(a^2 + b^2 - 2 rho a b)
        double a = pair.units().get("BTC").worstLoss();
        double b = pair.units().get("ETH").worstLoss();
        assertThat(pair.crossUnit().jointLoss()).isCloseTo(Math.sqrt(a * a + b * b - 2 * 0.8 * a * b),
            org.assertj.core.data.Percentage.withPercentage(0.5));
        // here the cap binds: CU is the floor (X exceeds W of a linear perpetual only by rounding)
        assertThat(pair.crossUnit().charge()).isCloseTo(pair.crossUnit().floor(),
            org.assertj.core.data.Percentage.withPercentage(1e-10));
    }

    @Test
    void withOneRiskUnitTheCrossUnitChargeIsTheCoreCharge() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 60; i++) {
            Portfolio r = VENUE.randomPortfolio(rnd, 2 + rnd.nextInt(25));
            String u = r.positions().get(0).instrument().underlying();
            List<Position> mine = r.positions().stream().filter(x -> x.instrument().underlying().equals(u)).toList();
            Map<String, Double> balances = new LinkedHashMap<>();
            balances.put("USDC", 1e5);
            if (rnd.nextBoolean()) {
                balances.put(u, (rnd.nextDouble() - 0.5) * 10);
            }
            Portfolio p = new Portfolio("single", balances, mine);
            MarginReport fast = report(p);
            assertThat(fast.units()).hasSize(1);
            assertThat(fast.crossUnit().charge()).isEqualTo(fast.units().get(u).coreCharge());
            NaiveMarginCalculator.Result naive = NAIVE.compute(MARKET, p, DEFAULTS);
            close(naive.crossUnitCharge(), naive.units().get(u).coreCharge(), "naive single unit CU");
        }
    }

    @Test
    void withNoOffsetAllowedTheCrossUnitChargeIsTheSiloedSumOfCoreCharges() {
        MarginParameters d = DEFAULTS;
        MarginParameters noOffset = new MarginParameters(d.assets(), d.otherAsset(), d.priceSteps(), d.volUpFloor(),
            d.volDownFloor(), d.volShockReferenceDays(), d.volShockExponentShort(), d.volShockExponentLong(),
            d.volShockMinDays(), d.extendedMoves(), d.shortOptionMinimum(), d.liquidityFactor(),
            d.correlationStressWeight(), 0.0, d.jointLossDirections(), d.borrowingRate(), d.initialMarginMultiplier(),
            d.stablecoins(), d.stablecoinDefaultPrice(), d.standardShortOptionMaintenance(),
            d.standardShortOptionInitial(), d.standardShortOptionInitialMin(), d.standardLoanMaintenance(),
            d.standardLoanInitial());
        RiskArrays noOffsetArrays = RiskArrays.build(MARKET, noOffset, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < 60; i++) {
            Portfolio p = VENUE.randomPortfolio(rnd, 1 + rnd.nextInt(25));
            MarginReport r = MarginCalculator.report(noOffsetArrays, ResolvedPortfolio.resolve(p, noOffsetArrays),
                new AccountMarginCalculator());
            double sum = 0.0;
            for (MarginReport.Unit u : r.units().values()) {
                sum += u.coreCharge();
            }
            close(r.crossUnit().charge(), sum, "portfolio #" + i + " CU with c_max = 0");
            MarginReport withCap = report(p);
            assertThat(withCap.crossUnit().charge()).isLessThanOrEqualTo(r.crossUnit().charge() * (1 + 1e-12));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static java.util.Set<String> underlyings(Portfolio p) {
        java.util.Set<String> s = new java.util.HashSet<>();
        p.positions().forEach(x -> s.add(x.instrument().underlying()));
        p.balances().forEach((k, v) -> {
            if (!DEFAULTS.isStablecoin(k) && v != 0) {
                s.add(k);
            }
        });
        return s;
    }

    private static void scaled(double actual, double unscaled, double factor, String what) {
        double expected = unscaled * factor;
        double tol = RELATIVE * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-9 * Math.max(1.0, factor);
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": " + actual + " but " + factor + " x " + unscaled + " = " + expected);
        }
    }

    private static void close(double actual, double expected, String what) {
        close(actual, expected, RELATIVE, what);
    }

    private static void close(double actual, double expected, double relative, String what) {
        double tol = relative * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-6;
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": " + actual + " vs " + expected + " (difference " + (actual - expected) + ")");
        }
    }
}
