package io.upm.backtest.carry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.Backtest;
import io.upm.backtest.BacktestProgress;
import io.upm.backtest.BacktestResult;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.DayResult;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.backtest.TestHistories;
import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.backtest.strategy.DeribitExpiries;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real carry on synthetic data whose answer is computed by hand or by a naive loop: funding P&amp;L, the
 * funding-based basis model of futures, the perpetual basis, and bad input.
 */
class MarketCarryTest {
    static final MarginParameters P = MarginParameters.defaults();
    static final long H8 = 8 * 3_600_000L;
    static final int DAYS = 120;
    /** Funding times every 8 hours from 40 days before the history to 5 days after it. */
    static final long FIRST_FUNDING = TestHistories.START.minusDays(40).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

    static long[] fundingTimes() {
        int n = (DAYS + 45) * 3;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = FIRST_FUNDING + i * H8;
        }
        return t;
    }

    static double[] randomRates(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (r.nextDouble() - 0.4) * 0.001; // -0.04% to +0.06% per 8 hours: within the cap
        }
        return out;
    }

    static DailyHistory history(double[] btc) {
        double[] vol = TestHistories.constant(btc.length, 0.6);
        return DailyHistory.of(TestHistories.days(btc.length), Map.of("BTC", btc), Map.of("BTC", vol));
    }

    static BacktestResult run(DailyHistory h, MarketCarry carry, BuiltInStrategy s) {
        return new Backtest(new HistoricalSnapshots(h, carry), P).run(s, new RiskMatrixMarginModel(P), h.date(40),
            h.date(h.size() - 2), 1, BacktestProgress.NONE);
    }

    /** The naive sum of the rates whose time is in (from, to]. */
    static double naiveSum(long[] times, double[] rates, long from, long to) {
        double s = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] > from && times[i] <= to) {
                s += rates[i];
            }
        }
        return s;
    }

    static long close(DailyHistory h, int i) {
        return h.date(i).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    @Test
    void aLongPerpetualPaysTheHandSumOfTheRatesOfItsDayTimesItsNotional() {
        long[] times = fundingTimes();
        double[] rates = randomRates(7, times.length);
        DailyHistory h = history(TestHistories.constant(DAYS, 50_000.0));
        // the day 2020-03-01 (index 60): its close is 03-02 00:00; the funding of 03-02 08:00, 16:00 and 03-03 00:00
        int day = 60;
        long t0 = close(h, day);
        int k = (int) ((t0 - FIRST_FUNDING) / H8);
        rates[k + 1] = 0.0001;
        rates[k + 2] = 0.0003;
        rates[k + 3] = -0.0002;
        MarketCarry carry = MarketCarry.of(Map.of("BTC", FundingSeries.of("synthetic", times, rates)), Map.of());
        BacktestResult r = run(h, carry, BuiltInStrategy.LONG_PERP);
        // constant price: the loss is the funding, 1M x (0.0001 + 0.0003 - 0.0002) = 200 USD
        DayResult d = r.days().stream().filter(x -> x.date().equals(h.date(day))).findFirst().orElseThrow();
        assertThat(d.loss()).isCloseTo(200.0, within(1e-9));
        for (DayResult x : r.days()) {
            int i = h.indexOf(x.date());
            double expected = BuiltInStrategy.NOTIONAL_USD * naiveSum(times, rates, close(h, i), close(h, i + 1));
            assertThat(x.loss()).as(x.date().toString()).isCloseTo(expected, within(1e-9));
        }
        // without carry the same days lose nothing
        assertThat(run(h, null, BuiltInStrategy.LONG_PERP).losses()).containsOnly(0.0);
    }

    @Test
    void anInversePerpetualPaysTheRateTimesItsUsdSizeAndAShortReceives() {
        long[] times = {0L, H8, 2 * H8, 3 * H8};
        double[] rates = {0.001, 0.0002, 0.0004, 0.0008};
        MarketCarry carry = MarketCarry.of(Map.of("BTC", FundingSeries.of("synthetic", times, rates)), Map.of());
        MarketSnapshot m = MarketSnapshot.builder(Instant.ofEpochMilli(0)).price("BTC", 40_000).price("USDC", 1)
            .mark("BTC-PERPETUAL", 40_400).mark("BTC_USDC-PERPETUAL", 40_400).build();
        Portfolio p = new Portfolio("x", Map.of(), List.of(
            Position.of(InstrumentNames.parse("BTC-PERPETUAL", "t"), 100_000, 40_000, "t"),
            Position.of(InstrumentNames.parse("BTC_USDC-PERPETUAL", "t"), -2, 40_000, "t")));
        // (0, 16h]: rates 0.0002 + 0.0004; inverse pays 0.0006 x 100,000 x 40,000 / 40,400 USD, the short linear
        // receives 0.0006 x 2 x 40,400
        double expected = 0.0006 * 100_000 * 40_000 / 40_400 - 0.0006 * 2 * 40_400;
        assertThat(carry.fundingPaid(p, m, Instant.ofEpochMilli(2 * H8))).isCloseTo(expected, within(1e-9));
        assertThat(((Perpetual) p.positions().get(0).instrument()).underlying()).isEqualTo("BTC");
    }

    @Test
    void theBasisRateIsTheAnnualisedThirtyDaySumOfTheFundingAndZeroOutsideTheData() {
        long[] times = fundingTimes();
        double[] rates = randomRates(11, times.length);
        MarketCarry carry = MarketCarry.of(Map.of("BTC", FundingSeries.of("synthetic", times, rates)), Map.of());
        SplittableRandom rnd = new SplittableRandom(3);
        for (int k = 0; k < 200; k++) {
            long t = FIRST_FUNDING + 31 * 86_400_000L + (long) (rnd.nextDouble() * (DAYS + 10) * 86_400_000L);
            double naive = naiveSum(times, rates, t - 30 * 86_400_000L, t) * 365.0 / 30.0;
            assertThat(carry.annualBasisRate("BTC", Instant.ofEpochMilli(t))).isCloseTo(naive, within(1e-12));
        }
        // a constant 0.01% per 8 hours is 10.95% a year
        double[] flat = new double[times.length];
        java.util.Arrays.fill(flat, 0.0001);
        MarketCarry constant = MarketCarry.of(Map.of("BTC", FundingSeries.of("c", times, flat)), Map.of());
        Instant mid = Instant.ofEpochMilli(FIRST_FUNDING).plus(Duration.ofDays(60));
        assertThat(constant.annualBasisRate("BTC", mid)).isCloseTo(0.1095, within(1e-12));
        // before 30 days of data, after the data and for an asset without funding: flat
        assertThat(constant.annualBasisRate("BTC", Instant.ofEpochMilli(FIRST_FUNDING).plus(Duration.ofDays(20)))).isZero();
        assertThat(constant.annualBasisRate("BTC", Instant.ofEpochMilli(times[times.length - 1]).plus(Duration.ofDays(3))))
            .isZero();
        assertThat(constant.annualBasisRate("ETH", mid)).isZero();
        // a squeeze's funding (0.1% per 8 hours, 109.5% a year) is capped at 50% a year, either way
        double[] squeeze = new double[times.length];
        java.util.Arrays.fill(squeeze, 0.001);
        assertThat(MarketCarry.of(Map.of("BTC", FundingSeries.of("s", times, squeeze)), Map.of())
            .annualBasisRate("BTC", mid)).isEqualTo(MarketCarry.MAX_ANNUAL_BASIS_RATE);
        java.util.Arrays.fill(squeeze, -0.001);
        assertThat(MarketCarry.of(Map.of("BTC", FundingSeries.of("s", times, squeeze)), Map.of())
            .annualBasisRate("BTC", mid)).isEqualTo(-MarketCarry.MAX_ANNUAL_BASIS_RATE);
        // the forward grows at that rate to the expiry
        Instant q = DeribitExpiries.quarterly(mid, 0, 1);
        double years = Duration.between(mid, q).getSeconds() / (365.0 * 86400);
        assertThat(constant.forward("BTC", 30_000, mid, q)).isCloseTo(30_000 * Math.exp(0.1095 * years), within(1e-9));
    }

    @Test
    void cashAndCarryAndCalendarSpreadLoseWhatTheBasisModelSaysDayByDay() {
        long[] times = fundingTimes();
        double[] rates = randomRates(5, times.length);
        MarketCarry carry = MarketCarry.of(Map.of("BTC", FundingSeries.of("synthetic", times, rates)), Map.of());
        DailyHistory h = history(TestHistories.randomWalk(17, DAYS, 40_000, 0.03));
        BacktestResult cc = run(h, carry, BuiltInStrategy.CASH_AND_CARRY);
        BacktestResult cal = run(h, carry, BuiltInStrategy.CALENDAR_SPREAD);
        assertThat(cc.days()).hasSize(DAYS - 2 - 40 + 1);
        for (int k = 0; k < cc.days().size(); k++) {
            int i = h.indexOf(cc.days().get(k).date());
            Instant t0 = Instant.ofEpochMilli(close(h, i));
            Instant t1 = Instant.ofEpochMilli(close(h, i + 1));
            double s0 = h.close("BTC", i);
            double s1 = h.close("BTC", i + 1);
            double b0 = naiveSum(times, rates, t0.toEpochMilli() - 30 * 86_400_000L, t0.toEpochMilli()) * 365 / 30;
            double b1 = naiveSum(times, rates, t1.toEpochMilli() - 30 * 86_400_000L, t1.toEpochMilli()) * 365 / 30;
            double q = BuiltInStrategy.NOTIONAL_USD / s0;
            Instant front = DeribitExpiries.quarterly(t0, BuiltInStrategy.FUTURE_ROLL_DAYS, 0);
            Instant next = DeribitExpiries.quarterly(t0, BuiltInStrategy.FUTURE_ROLL_DAYS, 1);
            double f0 = s0 * Math.exp(b0 * years(t0, front));
            double f1 = s1 * Math.exp(b1 * years(t1, front));
            double g0 = s0 * Math.exp(b0 * years(t0, next));
            double g1 = s1 * Math.exp(b1 * years(t1, next));
            // long q spot, short q front: loss = q (s0 - s1) + q (f1 - f0)
            assertThat(cc.days().get(k).loss()).as("cash-and-carry " + h.date(i))
                .isCloseTo(q * (s0 - s1) + q * (f1 - f0), within(1e-6));
            // long q front, short q next: loss = q (f0 - f1) - q (g0 - g1)
            assertThat(cal.days().get(k).loss()).as("calendar-spread " + h.date(i))
                .isCloseTo(q * (f0 - f1) - q * (g0 - g1), within(1e-6));
        }
        // with flat forwards both lose nothing (up to rounding), as before
        BacktestResult flat = run(h, null, BuiltInStrategy.CALENDAR_SPREAD);
        for (double l : flat.losses()) {
            assertThat(l).isCloseTo(0.0, within(1e-6));
        }
        assertThat(cc.summary().marginToLossQuantile()).isNotNull().isPositive();
        assertThat(cal.summary().marginToLossQuantile()).isNotNull().isPositive();
    }

    static double years(Instant from, Instant to) {
        return Duration.between(from, to).getSeconds() / (365.0 * 86400);
    }

    @Test
    void thePerpetualMarkIsTheIndexPlusTheBasisOfTheLastCompletedDay() {
        LocalDate d = LocalDate.of(2024, 8, 1);
        MarketCarry carry = MarketCarry.of(Map.of(), Map.of("BTC", Map.of(d, -30.0)));
        Instant closeOfD = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(carry.perpetualBasisUsd("BTC", closeOfD)).isEqualTo(-30.0);
        assertThat(carry.perpetualBasisUsd("BTC", closeOfD.plus(Duration.ofHours(23)))).isEqualTo(-30.0);
        assertThat(carry.perpetualBasisUsd("BTC", closeOfD.minusSeconds(1))).isZero(); // d not completed yet
        assertThat(carry.perpetualBasisUsd("BTC", closeOfD.plus(Duration.ofDays(1)))).isZero(); // no value for d + 1
        MarketSnapshot.Builder b = MarketSnapshot.builder(closeOfD).price("BTC", 60_000);
        carry.addTo(b, "BTC", 60_000, closeOfD);
        MarketSnapshot m = b.build();
        assertThat(m.perpetualMark((Perpetual) InstrumentNames.parse("BTC_USDC-PERPETUAL", "t"))).isEqualTo(59_970.0);
        assertThat(m.forwards()).isEmpty(); // no funding: forwards stay flat
    }

    @Test
    void badFilesAreRejectedNamingFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(MarketCarry.BINANCE_FUNDING_FILE);
        Files.writeString(f, "timestamp,funding_rate\n2020-01-01T00:00:00Z,0.0001\n2020-01-01T08:00:00Z,abc\n");
        assertThatThrownBy(() -> FundingSeries.read(f)).isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo(f + ":3:funding_rate"));
        Files.writeString(f, "timestamp,funding_rate\n2020-01-01T08:00:00Z,0.0001\n2020-01-01T00:00:00Z,0.0001\n");
        assertThatThrownBy(() -> FundingSeries.read(f)).hasMessageContaining("times must increase");
        Files.writeString(f, "timestamp,funding_rate\n2020-01-01T08:00:00Z,2.5\n");
        assertThatThrownBy(() -> FundingSeries.read(f)).hasMessageContaining("within +-1.0");
        Path basis = dir.resolve(MarketCarry.PERPETUAL_BASIS_FILE);
        Files.writeString(basis, "date,basis_usd\n2024-07-19,-26.5\n2024-07-20,x\n");
        assertThatThrownBy(() -> MarketCarry.readBasis(basis))
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo(basis + ":3:basis_usd"));
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThatThrownBy(() -> MarketCarry.load(empty)).isInstanceOf(InputException.class)
            .hasMessageContaining("file not found")
            .satisfies(e -> assertThat(((InputException) e).field()).endsWith(MarketCarry.BINANCE_FUNDING_FILE));
    }

    @Test
    void theLaterSourceWinsWhereBothHaveData() {
        FundingSeries early = FundingSeries.of("bitmex", new long[] {0, H8, 2 * H8, 3 * H8}, new double[] {1e-4, 2e-4, 3e-4, 4e-4});
        FundingSeries late = FundingSeries.of("binance", new long[] {2 * H8, 3 * H8, 4 * H8}, new double[] {-1e-4, -2e-4, -3e-4});
        FundingSeries both = late.after(early);
        assertThat(both.size()).isEqualTo(5);
        assertThat(both.sum(-1, 4 * H8)).isCloseTo(1e-4 + 2e-4 - 1e-4 - 2e-4 - 3e-4, within(1e-18));
        assertThat(both.count(0, 2 * H8)).isEqualTo(2);
        assertThatThrownBy(() -> FundingSeries.of("x", new long[] {0, 0}, new double[] {0, 0}))
            .hasMessageContaining("times must increase");
    }
}
