package io.upm.backtest.vol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.DailyHistory;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The EWMA variance: the recursion, its seed, missing days, and what it measures on synthetic and real data. */
class EwmaVolatilityTest {

    @Test
    void recoversTheVolOfAConstantVolRandomWalk() {
        double sigma = 0.03;
        double[] r = SyntheticHistories.constantVolReturns(11L, 6001, sigma);
        double[] v = EwmaVolatility.riskMetrics().variances(r);
        double sum = 0.0;
        int count = 0;
        for (int i = 1001; i <= 6001; i++) {
            sum += Math.sqrt(v[i]);
            count++;
        }
        // the mean of the forecast vols: within 2% of the true vol (EWMA's sampling noise averages out; the
        // mean of sqrt(v) is biased low by about 1% at lambda 0.94)
        assertThat(sum / count).isCloseTo(sigma, within(0.02 * sigma));
        // and 95% of the forecasts are within 30% of it (its relative sampling sd is about 12%)
        int inside = 0;
        for (int i = 1001; i <= 6001; i++) {
            inside += Math.abs(Math.sqrt(v[i]) / sigma - 1) <= 0.3 ? 1 : 0;
        }
        assertThat(inside).isGreaterThan((int) (0.95 * count));
    }

    @Test
    void seedsWithTheZeroMeanSampleVarianceAndThenFollowsTheRecursion() {
        double[] r = {Double.NaN, 0.01, -0.02, 0.03, 0.01, Double.NaN, -0.04};
        EwmaVolatility ewma = new EwmaVolatility(0.9, 3);
        double[] v = ewma.variances(r);
        assertThat(v).hasSize(8);
        // forecasts of the seed returns (indices 1..3) need those returns: NaN
        for (int i = 0; i <= 3; i++) {
            assertThat(v[i]).isNaN();
        }
        double seed = (0.01 * 0.01 + 0.02 * 0.02 + 0.03 * 0.03) / 3;
        assertThat(v[4]).isCloseTo(seed, within(1e-18));
        assertThat(v[5]).isCloseTo(0.9 * seed + 0.1 * 0.01 * 0.01, within(1e-18));
        assertThat(v[6]).isEqualTo(v[5]); // a missing day leaves the forecast unchanged
        assertThat(v[7]).isCloseTo(0.9 * v[6] + 0.1 * 0.04 * 0.04, within(1e-18));
        assertThat(ewma.next(v[6], -0.04)).isEqualTo(v[7]);
        assertThat(ewma.next(v[6], Double.NaN)).isEqualTo(v[6]);

        double[] z = EwmaVolatility.residuals(r, v);
        assertThat(z[3]).isNaN();
        assertThat(z[4]).isCloseTo(0.01 / Math.sqrt(seed), within(1e-12));
        assertThat(z[5]).isNaN();
    }

    @Test
    void tooShortASeriesHasNoForecastAndBadArgumentsAreRejected() {
        double[] v = new EwmaVolatility(0.94, 30).variances(SyntheticHistories.constantVolReturns(1L, 20, 0.02));
        for (double x : v) {
            assertThat(x).isNaN();
        }
        assertThatThrownBy(() -> new EwmaVolatility(1.0, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EwmaVolatility(0.94, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EwmaVolatility.annualised(0.0004)).isCloseTo(0.02 * Math.sqrt(365), within(1e-12));
    }

    @Test
    void realBtcVolSpikesInMarch2020AndMay2021AboveIts2019Level() {
        Path data = SyntheticHistories.realData();
        Assumptions.assumeTrue(data != null, io.upm.backtest.TestHistories.NO_REAL_DATA);
        DailyHistory h = DailyHistory.load(data);
        double[] r = new double[h.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = h.logReturn("BTC", i);
        }
        double[] v = EwmaVolatility.riskMetrics().variances(r);
        double sum2019 = 0.0;
        int n2019 = 0;
        double max2019 = 0.0;
        double maxMarch2020 = 0.0;
        double maxMay2021 = 0.0;
        for (int i = 0; i < r.length; i++) {
            LocalDate d = h.date(i);
            double vol = EwmaVolatility.annualised(v[i + 1]); // the forecast made at day i's close
            if (d.getYear() == 2019) {
                sum2019 += vol;
                n2019++;
                max2019 = Math.max(max2019, vol);
            } else if (d.getYear() == 2020 && d.getMonthValue() == 3) {
                maxMarch2020 = Math.max(maxMarch2020, vol);
            } else if (d.getYear() == 2021 && d.getMonthValue() == 5) {
                maxMay2021 = Math.max(maxMay2021, vol);
            }
        }
        double mean2019 = sum2019 / n2019;
        assertThat(mean2019).isBetween(0.4, 0.9); // BTC's 2019 vol: about 67% a year
        assertThat(maxMarch2020).isGreaterThan(3.0 * mean2019).isGreaterThan(max2019);
        assertThat(maxMay2021).isGreaterThan(1.5 * mean2019);
    }
}
