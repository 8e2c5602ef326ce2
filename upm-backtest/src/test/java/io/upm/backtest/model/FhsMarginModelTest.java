package io.upm.backtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.model.FhsMarginModel.HorizonScaling;
import io.upm.backtest.model.FhsMarginModel.MissingHistory;
import io.upm.backtest.model.FhsMarginModel.Settings;
import io.upm.backtest.model.FhsMarginModel.StressPeriod;
import io.upm.backtest.model.FhsMarginModel.VolScenarios;
import io.upm.backtest.vol.SyntheticHistories;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Filtered historical simulation: the ES of a linear position against an independent computation, scaling,
 * diversification, ES against VaR, full repricing in lock-step with snapshot-by-snapshot repricing, missing
 * history, horizons, stress periods, the add-ons, speed, and the breach rate on real BTC data.
 */
class FhsMarginModelTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();
    /** 1,800 days from 2016-01-01: BTC, ETH from day 0, SOL from day 900, DVOL from day 600. */
    static final DailyHistory HISTORY = SyntheticHistories.regimeHistory(7L, 1800, 0.8, 900, 600);
    static final Settings PLAIN = Settings.defaults().withStressPeriods(List.of());
    static final int T = 1700;

    static Position pos(String name, double size, double entry) {
        return Position.of(InstrumentNames.parse(name, "test"), size, entry, "test");
    }

    static Portfolio portfolio(Map<String, Double> balances, Position... positions) {
        return new Portfolio("acct", balances, List.of(positions));
    }

    static Portfolio portfolio(Position... positions) {
        return portfolio(Map.of(), positions);
    }

    static BacktestDay day(int i) {
        return SyntheticHistories.day(HISTORY, i, 0.7);
    }

    /** A Deribit expiry code {@code days} after the day's date. */
    static String expiry(int i, int days) {
        LocalDate d = HISTORY.date(i).plusDays(days);
        return d.getDayOfMonth() + d.getMonth().name().substring(0, 3) + String.format(Locale.ROOT, "%02d",
            d.getYear() % 100);
    }

    /** A strike near {@code moneyness x S}, rounded to 100. */
    static long strike(String asset, int i, double moneyness) {
        return Math.max(1, Math.round(HISTORY.close(asset, i) * moneyness / 100.0)) * 100;
    }

    static double es(FhsMarginModel m, BacktestDay d, Portfolio p) {
        return m.evaluate(d, p).expectedShortfall();
    }

    @Test
    void theEsOfALinearPositionEqualsAnIndependentFilteredHistoricalComputation() {
        double q = 2.0;
        double s = HISTORY.close("BTC", T);
        Portfolio p = portfolio(pos("BTC_USDC-PERPETUAL", q, s));
        FhsMarginModel model = new FhsMarginModel(PARAMS, PLAIN);
        FhsMarginModel.Result r = model.evaluate(day(T), p);

        // independently: EWMA 0.94 seeded with the mean square of the first 30 returns, z = r / sigma,
        // scenario return z sigma_today, P&L q S (e^r - 1), ES = mean of the worst ceil(1% n) losses
        int n = HISTORY.size();
        double[] ret = new double[n];
        for (int i = 1; i < n; i++) {
            ret[i] = Math.log(HISTORY.close("BTC", i) / HISTORY.close("BTC", i - 1));
        }
        double[] var = new double[n + 1];
        double seed = 0.0;
        for (int i = 1; i <= 30; i++) {
            seed += ret[i] * ret[i] / 30;
        }
        var[31] = seed;
        for (int i = 31; i < n; i++) {
            var[i + 1] = 0.94 * var[i] + 0.06 * ret[i] * ret[i];
        }
        double sigmaToday = Math.sqrt(var[T + 1]);
        List<Double> losses = new ArrayList<>();
        for (int k = T - 1460; k <= T; k++) {
            double filtered = ret[k] / Math.sqrt(var[k]) * sigmaToday;
            losses.add(-q * s * (Math.exp(filtered) - 1));
        }
        losses.sort((a, b) -> Double.compare(b, a));
        int m = (int) Math.ceil(losses.size() * 0.01 - 1e-9);
        double expected = 0.0;
        for (int i = 0; i < m; i++) {
            expected += losses.get(i) / m;
        }
        assertThat(r.scenarios()).isEqualTo(1461);
        assertThat(r.tailCount()).isEqualTo(15);
        assertThat(r.expectedShortfall()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(r.valueAtRisk()).isCloseTo(losses.get(m - 1), within(1e-9 * expected));
        // MM: ES plus the roll shock of the perpetual, 1% of its notional (MODEL.md minMove for BTC)
        assertThat(r.rollShock()).isCloseTo(0.01 * q * s, within(1e-9 * s));
        assertThat(r.maintenanceMargin()).isCloseTo(expected + 0.01 * q * s, within(1e-9 * expected));
        assertThat(model.maintenanceMargin(day(T), p)).isEqualTo(r.maintenanceMargin());
    }

    @Test
    void onConstantVolReturnsTheEsIsCloseToTheNormalEs() {
        int n = 1700;
        double sigma = 0.03;
        double[] c = SyntheticHistories.closes(30_000, SyntheticHistories.constantVolReturns(3L, n, sigma));
        DailyHistory h = DailyHistory.of(SyntheticHistories.days(LocalDate.of(2017, 1, 1), n), Map.of("BTC", c),
            Map.of());
        int t = n - 1;
        double s = c[t];
        FhsMarginModel.Result r = new FhsMarginModel(PARAMS, PLAIN).evaluate(SyntheticHistories.day(h, t, 0.6),
            portfolio(pos("BTC_USDC-PERPETUAL", -1.0, s)));
        // normal 99% ES of a short: sigma phi(z) / 0.01 of the notional (2.665 sigma), up to exp and sampling
        double normalEs = 2.665 * sigma * s;
        assertThat(r.expectedShortfall()).isCloseTo(normalEs, within(0.2 * normalEs));
    }

    @Test
    void doublingThePortfolioDoublesEsAndVar() {
        int t = T;
        String e = expiry(t, 28);
        Portfolio p = portfolio(new LinkedHashMap<>(Map.of("BTC", 0.5, "USDC", -3000.0)),
            pos("BTC_USDC-PERPETUAL", 1.5, HISTORY.close("BTC", t)),
            pos("ETH-" + e + "-" + strike("ETH", t, 1.1) + "-C", -20, Double.NaN),
            pos("BTC_USDC-" + e + "-" + strike("BTC", t, 0.9) + "-P", 2, Double.NaN),
            pos("SOL_USDC-PERPETUAL", -100, HISTORY.close("SOL", t)));
        FhsMarginModel model = new FhsMarginModel(PARAMS, Settings.defaults());
        FhsMarginModel.Result one = model.evaluate(day(t), p);
        FhsMarginModel.Result two = model.evaluate(day(t), p.scaled(2.0));
        assertThat(two.expectedShortfall()).isCloseTo(2 * one.expectedShortfall(),
            within(1e-9 * Math.abs(one.expectedShortfall())));
        assertThat(two.valueAtRisk()).isCloseTo(2 * one.valueAtRisk(), within(1e-9 * Math.abs(one.valueAtRisk())));
        assertThat(one.expectedShortfall()).isPositive();
    }

    @Test
    void aHedgedPairHasLowerEsThanItsLegsSummed() {
        double sb = HISTORY.close("BTC", T);
        double se = HISTORY.close("ETH", T);
        Position longBtc = pos("BTC_USDC-PERPETUAL", 1.0, sb);
        Position shortEth = pos("ETH_USDC-PERPETUAL", -sb / se, se);
        FhsMarginModel model = new FhsMarginModel(PARAMS, Settings.defaults());
        double legs = es(model, day(T), portfolio(longBtc)) + es(model, day(T), portfolio(shortEth));
        double pair = es(model, day(T), portfolio(longBtc, shortEth));
        assertThat(pair).isPositive().isLessThan(0.8 * legs);
    }

    @Test
    void esIsAtLeastVarAndGrowsWithTheConfidence() {
        SplittableRandom rnd = new SplittableRandom(5);
        FhsMarginModel m99 = new FhsMarginModel(PARAMS, Settings.defaults());
        FhsMarginModel m975 = new FhsMarginModel(PARAMS, Settings.defaults().withConfidence(0.975));
        String[] assets = {"BTC", "ETH", "SOL"};
        for (int trial = 0; trial < 20; trial++) {
            int t = 1000 + rnd.nextInt(790);
            List<Position> ps = new ArrayList<>();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                String a = assets[rnd.nextInt(3)];
                double size = (rnd.nextDouble() - 0.5) * 10;
                if (rnd.nextBoolean()) {
                    ps.add(pos(a + "_USDC-PERPETUAL", size, HISTORY.close(a, t)));
                } else {
                    ps.add(pos(a + "-" + expiry(t, 7 + rnd.nextInt(60)) + "-" + strike(a, t, 0.8 + 0.4 * rnd.nextDouble())
                        + (rnd.nextBoolean() ? "-C" : "-P"), size, Double.NaN));
                }
            }
            Portfolio p = portfolio(ps.toArray(new Position[0]));
            FhsMarginModel.Result r = m99.evaluate(day(t), p);
            assertThat(r.expectedShortfall()).as("trial " + trial).isGreaterThanOrEqualTo(r.valueAtRisk());
            assertThat(r.expectedShortfall()).as("trial " + trial)
                .isGreaterThanOrEqualTo(m975.evaluate(day(t), p).expectedShortfall() - 1e-9);
        }
    }

    @Test
    void fullRepricingMatchesScenarioSnapshotsRepricedInstrumentByInstrument() {
        int t = T;
        int h = 3;
        String far = expiry(t, 28);
        String near = expiry(t, 1); // expires inside the horizon: worth its intrinsic value at the horizon
        Instant time = HISTORY.date(t).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        double sb = HISTORY.close("BTC", t);
        double se = HISTORY.close("ETH", t);
        double ss = HISTORY.close("SOL", t);
        MarketSnapshot market = MarketSnapshot.builder(time).price("BTC", sb).price("ETH", se).price("SOL", ss)
            .price("USDC", 1.0).forward("BTC", far, sb * 1.01).forward("ETH", far, se * 1.005)
            .flatVol("BTC", HISTORY.impliedVol("BTC", t)).flatVol("ETH", HISTORY.impliedVol("ETH", t))
            .flatVol("SOL", 0.9).mark("BTC-PERPETUAL", sb * 1.001).build();
        BacktestDay d = new BacktestDay(t, HISTORY.date(t), market, HISTORY);
        Portfolio p = portfolio(new LinkedHashMap<>(Map.of("ETH", 3.0, "USDC", 10_000.0, "SOL", -50.0)),
            pos("BTC-PERPETUAL", 50_000, sb * 0.97),
            pos("BTC-" + far, -20_000, sb * 1.02),
            pos("ETH_USDC-" + far, 4, se),
            pos("BTC-" + far + "-" + strike("BTC", t, 1.1) + "-C", -1.5, Double.NaN),
            pos("BTC_USDC-" + far + "-" + strike("BTC", t, 0.9) + "-P", 2, Double.NaN),
            pos("ETH-" + near + "-" + strike("ETH", t, 1.0) + "-C", -10, Double.NaN),
            pos("SOL_USDC-" + far + "-" + strike("SOL", t, 1.0) + "-P", 30, Double.NaN));
        FhsMarginModel model = new FhsMarginModel(PARAMS, Settings.defaults().withHorizon(h, HorizonScaling.OVERLAPPING));
        FhsMarginModel.Scenarios sc = model.scenarios(d, p);
        List<String> units = sc.units();
        assertThat(units).containsExactlyInAnyOrder("BTC", "ETH", "SOL");
        // the naive path: a new snapshot per scenario, every instrument resolved again and valued from MODEL.md
        Instant later = time.plusSeconds(h * 86400L);
        double scale = 0.0;
        for (int s = 0; s < sc.days().length; s += 37) {
            double[] g = new double[units.size()];
            MarketSnapshot.Builder b = MarketSnapshot.builder(later).price("USDC", 1.0);
            for (int u = 0; u < units.size(); u++) {
                String a = units.get(u);
                g[u] = Math.exp(sc.logReturns()[s * units.size() + u]);
                b.price(a, market.priceOrNaN(a) * g[u]);
                b.flatVol(a, Math.max(market.volSurface(a).vol(1.0, later.getEpochSecond(), time.getEpochSecond())
                    * Math.exp(sc.volLogChanges()[s * units.size() + u]), PARAMS.volDownFloor()));
            }
            b.forward("BTC", far, sb * 1.01 * g[units.indexOf("BTC")]);
            b.forward("ETH", far, se * 1.005 * g[units.indexOf("ETH")]);
            b.mark("BTC-PERPETUAL", sb * 1.001 * g[units.indexOf("BTC")]);
            MarketSnapshot shocked = b.build();
            double pnl = 3.0 * se * (g[units.indexOf("ETH")] - 1) - 50.0 * ss * (g[units.indexOf("SOL")] - 1);
            for (Position pos : p.positions()) {
                ResolvedInstrument now = ResolvedInstrument.resolve(pos.instrument(), market, "now");
                double v0 = now.value(pos.entryPrice());
                double v1;
                if (pos.instrument().expiry() != null && pos.instrument().expiry().isBefore(later)) {
                    EuropeanOption o = (EuropeanOption) pos.instrument();
                    double f = now.mark() * g[units.indexOf(o.underlying())];
                    double intrinsic = Black76.price(o.type().isCall(), f, o.strike(), 0.0, 0.5, 0.0);
                    v1 = o.settlement() == io.upm.product.Settlement.INVERSE ? intrinsic * now.spot() / now.mark() : intrinsic;
                    assertThat(intrinsic).isEqualTo(Math.max(0, o.type().isCall() ? f - o.strike() : o.strike() - f));
                } else {
                    v1 = ResolvedInstrument.resolve(pos.instrument(), shocked, "scenario").value(pos.entryPrice());
                }
                pnl += pos.size() * (v1 - v0);
            }
            scale = Math.max(scale, Math.abs(pnl));
            assertThat(sc.pnl()[s]).as("scenario " + s).isCloseTo(pnl, within(1e-9 * (Math.abs(pnl) + sb)));
        }
        assertThat(scale).isPositive();
        // h-day overlapping sums: the scenario of day k sums the filtered residuals of days k-2..k
        assertThat(sc.days()[0]).isGreaterThanOrEqualTo(h);
    }

    @Test
    void missingHistoryIsFilledFromTheProxyOrLimitsTheScenariosToTheJointHistory() {
        int t = 1200; // SOL has closes from day 900, residuals from day 931
        Portfolio p = portfolio(pos("SOL_USDC-PERPETUAL", 100, HISTORY.close("SOL", t)),
            pos("BTC_USDC-PERPETUAL", -1, HISTORY.close("BTC", t)));
        FhsMarginModel.Result proxy = new FhsMarginModel(PARAMS, PLAIN).evaluate(day(t), p);
        FhsMarginModel.Result joint = new FhsMarginModel(PARAMS, PLAIN.withMissingHistory(MissingHistory.JOINT))
            .evaluate(day(t), p);
        assertThat(proxy.scenarios()).isEqualTo(t - 31 + 1); // BTC residuals from day 31
        assertThat(joint.scenarios()).isEqualTo(t - 931 + 1);
        // the 100 stressed days (700-800) are only in the proxy-filled set
        assertThat(proxy.expectedShortfall()).isGreaterThan(joint.expectedShortfall());

        assertThatThrownBy(() -> new FhsMarginModel(PARAMS, PLAIN).evaluate(day(910), p))
            .isInstanceOf(InputException.class).hasMessageContaining("SOL").hasMessageContaining("30 daily returns");
        assertThatThrownBy(() -> new FhsMarginModel(PARAMS, PLAIN.withMissingHistory(MissingHistory.JOINT))
            .evaluate(day(940), p)).isInstanceOf(InputException.class).hasMessageContaining("minScenarios");
    }

    @Test
    void longerHorizonsScaleTheEs() {
        double s = HISTORY.close("BTC", T);
        Portfolio p = portfolio(pos("BTC_USDC-PERPETUAL", 1, s));
        double one = es(new FhsMarginModel(PARAMS, PLAIN), day(T), p);
        double sqrt4 = es(new FhsMarginModel(PARAMS, PLAIN.withHorizon(4, HorizonScaling.SQRT)), day(T), p);
        double overlapping4 = es(new FhsMarginModel(PARAMS, PLAIN.withHorizon(4, HorizonScaling.OVERLAPPING)), day(T), p);
        // a long loses at most its notional: exp makes the 4-day ES a little less than twice the 1-day one
        assertThat(sqrt4 / one).isBetween(1.7, 2.0);
        assertThat(overlapping4 / one).isBetween(1.3, 3.0);
    }

    @Test
    void stressPeriodsStayInTheScenarioSetOnceTheyLeaveTheLookback() {
        int t = 1790;
        Settings shortLookback = PLAIN.withLookbackDays(250);
        StressPeriod stress = new StressPeriod(HISTORY.date(700), HISTORY.date(800));
        Portfolio p = portfolio(pos("ETH_USDC-PERPETUAL", 10, HISTORY.close("ETH", t)));
        FhsMarginModel.Result without = new FhsMarginModel(PARAMS, shortLookback).evaluate(day(t), p);
        FhsMarginModel.Result with = new FhsMarginModel(PARAMS, shortLookback.withStressPeriods(List.of(stress)))
            .evaluate(day(t), p);
        assertThat(without.scenarios()).isEqualTo(250);
        assertThat(with.scenarios()).isEqualTo(250 + 101);
        int[] days = new FhsMarginModel(PARAMS, shortLookback.withStressPeriods(List.of(stress))).scenarios(day(t), p)
            .days();
        assertThat(days).contains(700, 750, 800).doesNotContain(699, 801, 1540).contains(t - 249, t);
        // a stress period in the future of the day is never used
        FhsMarginModel.Result early = new FhsMarginModel(PARAMS, shortLookback.withStressPeriods(
            List.of(new StressPeriod(HISTORY.date(1795), HISTORY.date(1799))))).evaluate(day(t), p);
        assertThat(early.scenarios()).isEqualTo(250);
    }

    @Test
    void theMarginIsTheEsFlooredByTheShortOptionMinimumPlusMatrixAddOns() {
        int t = T;
        Instant time = HISTORY.date(t).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        double sb = HISTORY.close("BTC", t);
        String far = expiry(t, 60);
        MarketSnapshot market = MarketSnapshot.builder(time).price("BTC", sb).price("USDC", 1.0)
            .flatVol("BTC", 0.5).adv("BTC", 2e8).build();
        BacktestDay d = new BacktestDay(t, HISTORY.date(t), market, HISTORY);
        // far out-of-the-money short puts: tiny historical tail, the short-option minimum binds
        Portfolio p = portfolio(new LinkedHashMap<>(Map.of("USDC", -20_000.0)),
            pos("BTC-" + far + "-" + strike("BTC", t, 0.3) + "-P", -40, Double.NaN),
            pos("BTC-" + far, 30_000, sb));
        FhsMarginModel.Result r = new FhsMarginModel(PARAMS, PLAIN).evaluate(d, p);
        MarginReport report = MarginCalculator.report(market, p, PARAMS);
        MarginReport.Unit u = report.units().get("BTC");
        assertThat(r.shortOptionMinimum()).isCloseTo(u.shortOptionMinimum(), within(1e-9));
        assertThat(r.rollShock()).isCloseTo(u.rollShock(), within(1e-9));
        assertThat(r.liquidityAddOn()).isCloseTo(u.liquidityAddOn(), within(1e-9)).isPositive();
        assertThat(r.borrowingCharge()).isCloseTo(report.borrowingCharge(), within(1e-9)).isEqualTo(0.04 * 20_000);
        assertThat(r.shortOptionMinimum()).isGreaterThan(r.expectedShortfall());
        assertThat(r.maintenanceMargin()).isCloseTo(r.shortOptionMinimum() + r.rollShock() + r.liquidityAddOn()
            + r.borrowingCharge(), within(1e-9));
        FhsMarginModel.Result noFloor = new FhsMarginModel(PARAMS, PLAIN.withShortOptionMinimumFloor(false)).evaluate(d, p);
        assertThat(noFloor.maintenanceMargin()).isCloseTo(Math.max(0, r.expectedShortfall()) + r.rollShock()
            + r.liquidityAddOn() + r.borrowingCharge(), within(1e-9));
        // vol scenarios move the option's value: NONE differs from DVOL
        assertThat(new FhsMarginModel(PARAMS, PLAIN.withVolScenarios(VolScenarios.NONE)).evaluate(d, p)
            .expectedShortfall()).isNotEqualTo(r.expectedShortfall());
    }

    @Test
    void aUnitWithoutHistoryIsBadInput() {
        Instant time = HISTORY.date(T).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        MarketSnapshot market = MarketSnapshot.builder(time).price("BTC", 1000).price("XRP", 0.5).build();
        BacktestDay d = new BacktestDay(T, HISTORY.date(T), market, HISTORY);
        assertThatThrownBy(() -> new FhsMarginModel(PARAMS, PLAIN).evaluate(d,
            portfolio(new LinkedHashMap<>(Map.of("XRP", 100.0)))))
            .isInstanceOf(InputException.class).hasMessageContaining("balances.XRP").hasMessageContaining("no price history");
    }

    @Test
    void everyDayOfAFourYearLookbackUsesAllFourteenHundredScenarios() {
        FhsMarginModel model = new FhsMarginModel(PARAMS, Settings.defaults());
        int days = 300;
        BacktestDay[] ds = new BacktestDay[days];
        Portfolio[] ps = new Portfolio[days];
        for (int k = 0; k < days; k++) {
            int t = 1499 + k;
            String e1 = expiry(t, 28);
            String e2 = expiry(t, 90);
            ds[k] = day(t);
            ps[k] = portfolio(new LinkedHashMap<>(Map.of("BTC", 1.0)),
                pos("BTC_USDC-PERPETUAL", -1, HISTORY.close("BTC", t)),
                pos("BTC-" + e1 + "-" + strike("BTC", t, 1.1) + "-C", -2, Double.NaN),
                pos("BTC_USDC-" + e2 + "-" + strike("BTC", t, 0.9) + "-P", 2, Double.NaN),
                pos("ETH-" + e1 + "-" + strike("ETH", t, 1.0) + "-C", 5, Double.NaN),
                pos("ETH_USDC-PERPETUAL", 3, HISTORY.close("ETH", t)));
        }
        long start = 0;
        for (int rep = 0; rep < 2; rep++) { // the first pass warms up the JIT
            start = System.nanoTime();
            for (int k = 0; k < days; k++) {
                assertThat(model.evaluate(ds[k], ps[k]).scenarios()).isEqualTo(1461);
            }
        }
        double msPerDay = (System.nanoTime() - start) / 1e6 / days;
        System.out.printf(Locale.ROOT, "FhsMarginModel: %.2f ms per day (1461 scenarios, 5 positions, 3 options, "
            + "2 units), %s, %d cores%n", msPerDay, System.getProperty("java.vm.name") + " "
            + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        // informational only: timings are measured, never asserted in unit tests (JMH and `upm bench` measure speed)
    }

    @Test
    void onRealBtcDataALongPerpetualBreachesRoughlyAtTheNominalRateIn2021And2022() {
        Path data = SyntheticHistories.realData();
        Assumptions.assumeTrue(data != null, io.upm.backtest.TestHistories.NO_REAL_DATA);
        DailyHistory h = DailyHistory.load(data);
        FhsMarginModel model = new FhsMarginModel(PARAMS, Settings.defaults());
        int from = h.indexOf(LocalDate.of(2021, 1, 1));
        int to = h.indexOf(LocalDate.of(2022, 12, 31));
        int days = 0;
        int varBreaches = 0;
        int esBreaches = 0;
        int mmBreaches = 0;
        for (int i = from; i <= to; i++) {
            double s = h.close("BTC", i);
            Portfolio p = portfolio(pos("BTC_USDC-PERPETUAL", 1.0, s));
            FhsMarginModel.Result r = model.evaluate(SyntheticHistories.day(h, i, 0.7), p);
            double loss = -(h.close("BTC", i + 1) - s);
            days++;
            varBreaches += loss > r.valueAtRisk() ? 1 : 0;
            esBreaches += loss > r.expectedShortfall() ? 1 : 0;
            mmBreaches += loss > r.maintenanceMargin() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "FHS long BTC perpetual 2021-2022: %d days, VaR99 breaches %d, ES99 breaches %d,"
            + " MM breaches %d%n", days, varBreaches, esBreaches, mmBreaches);
        // nominal 1% of 730 days = 7.3 VaR breaches; Kupiec's 95% acceptance region for 730 days is 2..13
        assertThat(varBreaches).isBetween(2, 14);
        assertThat(esBreaches).isLessThanOrEqualTo(varBreaches);
        assertThat(mmBreaches).isLessThanOrEqualTo(esBreaches);
        assertThat(days).isEqualTo(730);
    }
}
