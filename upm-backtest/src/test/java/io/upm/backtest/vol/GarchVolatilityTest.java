package io.upm.backtest.vol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GARCH(1,1): maximum likelihood recovers simulated parameters; the filter and the forecasts. */
class GarchVolatilityTest {
    static final double OMEGA = 4.5e-5;
    static final double ALPHA = 0.10;
    static final double BETA = 0.85;

    /** A GARCH(1,1) path with Gaussian innovations, started at the long-run variance, NaN at index 0. */
    static double[] simulate(long seed, int n, double omega, double alpha, double beta) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double v = omega / (1 - alpha - beta);
        double[] r = new double[n + 1];
        r[0] = Double.NaN;
        for (int i = 1; i <= n; i++) {
            r[i] = Math.sqrt(v) * SyntheticHistories.gaussian(rnd);
            v = omega + alpha * r[i] * r[i] + beta * v;
        }
        return r;
    }

    @Test
    void maximumLikelihoodRecoversTheParametersOfASimulatedSeries() {
        for (long seed : new long[] {1L, 2L, 3L}) {
            double[] r = simulate(seed, 8000, OMEGA, ALPHA, BETA);
            GarchVolatility.Fit fit = GarchVolatility.fit(r);
            GarchVolatility.Parameters p = fit.parameters();
            String w = "seed " + seed + ": " + p;
            // asymptotic standard errors at n = 8000 are about 0.012 (alpha) and 0.016 (beta): 3 sd
            assertThat(p.alpha()).as(w).isCloseTo(ALPHA, within(0.04));
            assertThat(p.beta()).as(w).isCloseTo(BETA, within(0.05));
            assertThat(p.persistence()).as(w).isCloseTo(ALPHA + BETA, within(0.02));
            assertThat(p.longRunVariance()).as(w).isCloseTo(OMEGA / (1 - ALPHA - BETA), within(0.25 * 9e-4));
            assertThat(fit.observations()).isEqualTo(8000);
            // the optimum is at least as likely as the truth
            double atTruth = GarchVolatility.logLikelihood(OMEGA, ALPHA, BETA, java.util.Arrays.copyOfRange(r, 1,
                r.length), fit.initialVariance());
            assertThat(fit.logLikelihood()).as(w).isGreaterThanOrEqualTo(atTruth - 1e-6);
        }
    }

    @Test
    void theFitOfIidReturnsHasLittleArchEffect() {
        double[] r = SyntheticHistories.constantVolReturns(5L, 4000, 0.02);
        GarchVolatility.Parameters p = GarchVolatility.fit(r).parameters();
        assertThat(p.alpha()).isLessThan(0.05);
        assertThat(p.longRunVariance()).isCloseTo(0.0004, within(0.00004));
        assertThat(p.persistence()).isLessThan(1.0);
    }

    @Test
    void filterAndForecastsFollowTheirFormulas() {
        GarchVolatility g = new GarchVolatility(new GarchVolatility.Parameters(OMEGA, ALPHA, BETA));
        double[] r = {Double.NaN, 0.01, Double.NaN, -0.05};
        double[] v = g.variances(r, 0.001);
        assertThat(v[0]).isNaN();
        assertThat(v[1]).isEqualTo(0.001);
        assertThat(v[2]).isCloseTo(OMEGA + ALPHA * 1e-4 + BETA * 0.001, within(1e-18));
        assertThat(v[3]).isEqualTo(v[2]);
        assertThat(v[4]).isCloseTo(OMEGA + ALPHA * 0.0025 + BETA * v[3], within(1e-18));

        double vl = OMEGA / (1 - ALPHA - BETA);
        double one = 0.004;
        assertThat(g.forecast(one, 1)).isCloseTo(one, within(1e-18));
        double sum = 0.0;
        double e = one;
        for (int h = 1; h <= 10; h++) {
            assertThat(g.forecast(one, h)).isCloseTo(e, within(1e-15));
            sum += e;
            e = OMEGA + (ALPHA + BETA) * e; // E[sigma^2_{t+1}] = omega + (alpha + beta) E[sigma^2_t]
            assertThat(g.horizonVariance(one, h)).isCloseTo(sum, within(1e-15));
        }
        assertThat(g.forecast(one, 2000)).isCloseTo(vl, within(1e-12));
    }

    @Test
    void rejectsNonStationaryParametersAndShortSeries() {
        assertThatThrownBy(() -> new GarchVolatility.Parameters(1e-5, 0.2, 0.8))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GarchVolatility.Parameters(0.0, 0.1, 0.8))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GarchVolatility.fit(SyntheticHistories.constantVolReturns(1L, 30, 0.02)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
