package io.upm.backtest.haircut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.CloseSeries;
import io.upm.backtest.TestHistories;
import io.upm.backtest.vol.EwmaVolatility;
import io.upm.margin.AccountStatus;
import io.upm.margin.haircut.DailyEwmaVolatility;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stablecoin-collateral replays on the real data (skipped with a message when it is absent): UST in May 2022,
 * USDC in March 2023 (not in the data folder: skipped with a message) and USDC in March 2020 (its deepest close in the
 * data). Prints each replay's table and writes its chart under {@code target/haircuts/}. Run with
 * {@code ./mvnw -o -q test -pl upm-backtest -am -Dtest=StablecoinCollateralReplayTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StablecoinCollateralReplayTest {
    /** UST: 1,000,000 UST against a 3,000,000 USD short BTC perpetual opened at the 2022-05-01 close. */
    static final StablecoinCollateralReplay.Scenario UST = new StablecoinCollateralReplay.Scenario("UST",
        "ustc_usd_yahoo_1d.csv", LocalDate.of(2022, 5, 1), LocalDate.of(2022, 6, 30), 1_000_000, 3_000_000);
    /** USDC, March 2023 (the SVB depeg): the same account. */
    static final StablecoinCollateralReplay.Scenario USDC_2023 = new StablecoinCollateralReplay.Scenario("USDC",
        "usdc_usd_yahoo_1d.csv", LocalDate.of(2023, 3, 1), LocalDate.of(2023, 3, 31), 1_000_000, 3_000_000);
    /** USDC, March 2020 (its lowest closes in the data, 0.970 on 17 and 18 March): the same account. */
    static final StablecoinCollateralReplay.Scenario USDC_2020 = new StablecoinCollateralReplay.Scenario("USDC",
        "usdc_usd_yahoo_1d.csv", LocalDate.of(2020, 3, 1), LocalDate.of(2020, 4, 30), 1_000_000, 3_000_000);

    private static Path data() {
        Assumptions.assumeTrue(TestHistories.realData().isPresent(), TestHistories.NO_REAL_DATA);
        return TestHistories.realData().orElseThrow();
    }

    private static void assumeCovers(Path data, StablecoinCollateralReplay.Scenario s) {
        TreeMap<LocalDate, Double> closes = CloseSeries.read(data.resolve(s.file()), CloseSeries.TimeColumn.DATE)
            .closesByDate();
        Assumptions.assumeTrue(!closes.lastKey().isBefore(s.to()) && !closes.firstKey().isAfter(s.from()),
            "skipped: " + s.file() + " covers " + closes.firstKey() + " to " + closes.lastKey() + ", not the "
                + s.stablecoin() + " replay's window " + s.from() + " to " + s.to()
                + " (see ../shared/data/market/SOURCES.md)");
    }

    @Test
    void ustMay2022DynamicHaircutsFlagTheAccountEarlier() {
        Path data = data();
        assumeCovers(data, UST);
        StablecoinCollateralReplay.Result r = StablecoinCollateralReplay.run(data, UST);
        print(r);
        StablecoinReplayChart.writePng(r, Path.of("target", "haircuts", "ust-2022-05.png"));
        // healthy at the start under both
        assertThat(r.staticTiers().days().get(0).status()).isEqualTo(AccountStatus.HEALTHY);
        assertThat(r.dynamic().days().get(0).status()).isEqualTo(AccountStatus.HEALTHY);
        // the dynamic haircut restricts the account strictly earlier (the static run never does: never counts as
        // later); liquidation no later (the short BTC perpetual gains as BTC falls with UST: neither run reaches it)
        assertThat(r.dynamic().firstRestricted()).isNotNull();
        assertThat(r.staticTiers().firstRestricted() == null
            || r.dynamic().firstRestricted().isBefore(r.staticTiers().firstRestricted())).isTrue();
        assertNoLaterAndNeverRicher(r);
        // every day: the dynamic haircut is at least the tier, so equity is never above the static run's
        for (int i = 0; i < r.dynamic().days().size(); i++) {
            assertThat(r.dynamic().days().get(i).equity()).isLessThanOrEqualTo(r.staticTiers().days().get(i).equity());
        }
        assertThat(r.dynamic().finalEquity()).isLessThan(r.staticTiers().finalEquity());
        // the depeg term sets the haircut once UST is far off its peg (its close of 9 May 2022 was 0.79)
        StablecoinCollateralReplay.Day may9 = r.dynamic().days().stream()
            .filter(d -> d.date().equals(LocalDate.of(2022, 5, 9))).findFirst().orElseThrow();
        assertThat(may9.haircutTerm()).isEqualTo("depeg");
        assertThat(may9.haircut()).isCloseTo(2 * (0.995 - may9.stablecoinPrice()), within(1e-12));
    }

    @Test
    void usdcMarch2023() {
        Path data = data();
        assumeCovers(data, USDC_2023);
        StablecoinCollateralReplay.Result r = StablecoinCollateralReplay.run(data, USDC_2023);
        print(r);
        StablecoinReplayChart.writePng(r, Path.of("target", "haircuts", "usdc-2023-03.png"));
        assertNoLaterAndNeverRicher(r);
    }

    @Test
    void usdcMarch2020() {
        Path data = data();
        assumeCovers(data, USDC_2020);
        StablecoinCollateralReplay.Result r = StablecoinCollateralReplay.run(data, USDC_2020);
        print(r);
        StablecoinReplayChart.writePng(r, Path.of("target", "haircuts", "usdc-2020-03.png"));
        assertNoLaterAndNeverRicher(r);
        // USDC closed at 0.970 on 2020-03-17: the depeg term (2 x (0.995 - 0.970) = 5%) set the haircut that day
        StablecoinCollateralReplay.Day day = r.dynamic().days().stream()
            .filter(d -> d.date().equals(LocalDate.of(2020, 3, 17))).findFirst().orElseThrow();
        assertThat(day.haircutTerm()).isEqualTo("depeg");
        assertThat(day.haircut()).isCloseTo(2 * (0.995 - day.stablecoinPrice()), within(1e-12));
    }

    private static void assertNoLaterAndNeverRicher(StablecoinCollateralReplay.Result r) {
        if (r.staticTiers().firstRestricted() != null) {
            assertThat(r.dynamic().firstRestricted()).isNotNull().isBeforeOrEqualTo(r.staticTiers().firstRestricted());
        }
        if (r.staticTiers().firstLiquidation() != null) {
            assertThat(r.dynamic().firstLiquidation()).isNotNull()
                .isBeforeOrEqualTo(r.staticTiers().firstLiquidation());
        }
        for (int i = 0; i < r.dynamic().days().size(); i++) {
            assertThat(r.dynamic().days().get(i).equity()).isLessThanOrEqualTo(r.staticTiers().days().get(i).equity());
        }
    }

    /** The estimator the replay uses agrees with the backtest's batch EWMA on the same closes (same seeding). */
    @Test
    void theReplaysSigmaIsTheBacktestsEwmaOfTheSameCloses() {
        Path data = data();
        TreeMap<LocalDate, Double> closes = CloseSeries.read(data.resolve(UST.file()), CloseSeries.TimeColumn.DATE)
            .closesByDate();
        DailyEwmaVolatility ewma = DailyEwmaVolatility.riskMetrics();
        List<Double> prices = closes.headMap(LocalDate.of(2022, 5, 12), true).values().stream().toList();
        int k = 0;
        for (Map.Entry<LocalDate, Double> e : closes.headMap(LocalDate.of(2022, 5, 12), true).entrySet()) {
            ewma.add(e.getKey().atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 43_200, e.getValue());
            k++;
        }
        double[] returns = new double[prices.size() - 1];
        for (int i = 1; i < prices.size(); i++) {
            returns[i - 1] = Math.log(prices.get(i) / prices.get(i - 1));
        }
        double[] v = EwmaVolatility.riskMetrics().variances(returns);
        assertThat(k).isEqualTo(prices.size());
        assertThat(ewma.dailyVariance()).isCloseTo(v[returns.length], within(1e-15));
    }

    private static void print(StablecoinCollateralReplay.Result r) {
        StablecoinCollateralReplay.Scenario s = r.scenario();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "%n%s replay %s to %s: %,.0f %s vs %.4f BTC perpetual (entry %,.2f)%n", s.stablecoin(), s.from(), s.to(),
            s.collateralUnits(), s.stablecoin(), r.perpSize(), r.entryPrice()));
        b.append(String.format(Locale.ROOT, "%-10s %10s %8s %7s | %12s %12s %-11s | %7s %-10s %12s %-11s%n", "date",
            "BTC", "price", "sigma", "MM", "eq static", "static", "haircut", "term", "eq dynamic", "dynamic"));
        for (int i = 0; i < r.dynamic().days().size(); i++) {
            StablecoinCollateralReplay.Day st = r.staticTiers().days().get(i);
            StablecoinCollateralReplay.Day dy = r.dynamic().days().get(i);
            b.append(String.format(Locale.ROOT, "%-10s %10.2f %8.4f %7.3f | %12.2f %12.2f %-11s | %6.2f%% %-10s %12.2f %-11s%n",
                dy.date(), dy.btc(), dy.stablecoinPrice(), dy.sigma(), dy.maintenanceMargin(), st.equity(),
                st.status().wireName(), 100 * dy.haircut(), dy.haircutTerm(), dy.equity(), dy.status().wireName()));
        }
        b.append(String.format(Locale.ROOT, "static:  first restricted %s, first liquidation %s, final equity %,.2f%n",
            r.staticTiers().firstRestricted(), r.staticTiers().firstLiquidation(), r.staticTiers().finalEquity()));
        b.append(String.format(Locale.ROOT, "dynamic: first restricted %s, first liquidation %s, final equity %,.2f%n",
            r.dynamic().firstRestricted(), r.dynamic().firstLiquidation(), r.dynamic().finalEquity()));
        System.out.print(b);
    }
}
