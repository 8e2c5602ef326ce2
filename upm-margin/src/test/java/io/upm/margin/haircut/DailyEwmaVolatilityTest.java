package io.upm.margin.haircut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The daily EWMA volatility: known answers, a naive batch computation in lock-step, sampling, bad input. */
class DailyEwmaVolatilityTest {
    private static final long DAY = 86_400L;
    private static final long T0 = 1_650_000_000L - Math.floorMod(1_650_000_000L, DAY); // a UTC midnight

    @Test
    void aConstantDailyReturnGivesItsOwnAnnualisedSize() {
        DailyEwmaVolatility ewma = new DailyEwmaVolatility(0.94, 5);
        double r = 0.01;
        for (int d = 0; d <= 40; d++) {
            ewma.add(T0 + d * DAY + 3600, 100 * Math.exp(r * d));
        }
        assertThat(ewma.returnCount()).isEqualTo(40);
        assertThat(ewma.annualisedVolatility()).isCloseTo(r * Math.sqrt(365), within(1e-12));
    }

    @Test
    void noEstimateBeforeTheSeedReturns() {
        DailyEwmaVolatility ewma = new DailyEwmaVolatility(0.94, 3);
        ewma.add(T0, 1.0);
        assertThat(ewma.annualisedVolatility()).isNaN();
        ewma.add(T0 + DAY, 1.01);
        ewma.add(T0 + 2 * DAY, 1.0);
        assertThat(ewma.annualisedVolatility()).isNaN();
        ewma.add(T0 + 3 * DAY, 1.02);
        double r1 = Math.log(1.01);
        double r2 = Math.log(1.0 / 1.01);
        double r3 = Math.log(1.02);
        assertThat(ewma.dailyVariance()).isCloseTo((r1 * r1 + r2 * r2 + r3 * r3) / 3, within(1e-18));
    }

    /** Random intraday paths with gaps: the estimator equals a naive batch EWMA over the days' last prices. */
    @Test
    void agreesWithANaiveBatchOverTheDaysLastPrices() {
        SplittableRandom rnd = new SplittableRandom(2022);
        for (int path = 0; path < 20; path++) {
            DailyEwmaVolatility ewma = new DailyEwmaVolatility(0.94, 1 + rnd.nextInt(30));
            List<long[]> days = new ArrayList<>(); // day index, then the close's bits
            double price = 1.0;
            long day = 0;
            for (int k = 0; k < 200; k++) {
                day += rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(3) : 1; // sometimes a gap of days
                int ticks = 1 + rnd.nextInt(4);
                long second = 0;
                for (int t = 0; t < ticks; t++) {
                    second += rnd.nextInt((int) (DAY / 5));
                    price *= Math.exp(0.03 * (rnd.nextDouble() - 0.5));
                    ewma.add(T0 + day * DAY + second, price);
                }
                days.add(new long[] {day, Double.doubleToLongBits(price)});
                double expected = naive(days, 0.94, ewma.seedReturns());
                if (Double.isNaN(expected)) {
                    assertThat(ewma.dailyVariance()).isNaN();
                } else {
                    assertThat(ewma.dailyVariance()).as("path %d day %d", path, k)
                        .isCloseTo(expected, within(1e-15 * Math.max(1, expected)));
                }
            }
        }
    }

    /** Textbook EWMA over the closes: returns per day of gap, seeded with the mean square of the first returns. */
    private static double naive(List<long[]> days, double lambda, int seed) {
        List<Double> r2 = new ArrayList<>();
        for (int i = 1; i < days.size(); i++) {
            double r = Math.log(Double.longBitsToDouble(days.get(i)[1]) / Double.longBitsToDouble(days.get(i - 1)[1]));
            r2.add(r * r / (days.get(i)[0] - days.get(i - 1)[0]));
        }
        if (r2.size() < seed) {
            return Double.NaN;
        }
        double v = 0;
        for (int i = 0; i < seed; i++) {
            v += r2.get(i);
        }
        v /= seed;
        for (int i = seed; i < r2.size(); i++) {
            v = lambda * v + (1 - lambda) * r2.get(i);
        }
        return v;
    }

    @Test
    void onlyTheLastPriceOfADayCounts() {
        DailyEwmaVolatility a = DailyEwmaVolatility.riskMetrics();
        DailyEwmaVolatility b = DailyEwmaVolatility.riskMetrics();
        SplittableRandom rnd = new SplittableRandom(5);
        double price = 100;
        for (int d = 0; d < 60; d++) {
            price *= Math.exp(0.05 * (rnd.nextDouble() - 0.5));
            b.add(T0 + d * DAY + 100, price * 1.3); // an intraday spike, later replaced by the close
            b.add(T0 + d * DAY + DAY - 1, price);
            a.add(T0 + d * DAY + DAY - 1, price);
        }
        assertThat(Double.doubleToLongBits(b.annualisedVolatility()))
            .isEqualTo(Double.doubleToLongBits(a.annualisedVolatility()));
    }

    @Test
    void estimatesAKnownVolatility() {
        SplittableRandom rnd = new SplittableRandom(77);
        double daily = 0.02;
        DailyEwmaVolatility ewma = DailyEwmaVolatility.riskMetrics();
        double price = 1.0;
        double sum = 0;
        int n = 0;
        for (int d = 0; d < 3000; d++) {
            double z = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
            price *= Math.exp(daily * z);
            ewma.add(T0 + d * DAY, price);
            if (d > 100) {
                sum += ewma.dailyVariance();
                n++;
            }
        }
        // the EWMA variance is an unbiased estimate of the daily variance: its average is close to it
        assertThat(Math.sqrt(365 * sum / n)).isCloseTo(daily * Math.sqrt(365), within(0.03 * daily * Math.sqrt(365)));
    }

    @Test
    void badInputIsRejectedAndChangesNothing() {
        DailyEwmaVolatility ewma = new DailyEwmaVolatility(0.94, 1);
        ewma.add(T0, 1.0);
        ewma.add(T0 + DAY, 1.01);
        double before = ewma.dailyVariance();
        assertThatThrownBy(() -> ewma.add(T0 + DAY, Double.NaN)).hasMessageContaining("price");
        assertThatThrownBy(() -> ewma.add(T0 + DAY, -1)).hasMessageContaining("price");
        assertThatThrownBy(() -> ewma.add(T0 - 1, 1.0)).hasMessageContaining("time");
        assertThat(ewma.dailyVariance()).isEqualTo(before);
        assertThatThrownBy(() -> new DailyEwmaVolatility(1.0, 1)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new DailyEwmaVolatility(0.94, 0)).hasMessageContaining("seedReturns");
    }
}
