package io.upm.backtest;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Statistical tests of a margin's breach record against its nominal breach probability p (0.01 for a
 * 99% margin): Kupiec's proportion-of-failures test, Christoffersen's independence and conditional
 * coverage tests (likelihood ratios, chi-squared p-values from commons-math3) and the Basel traffic light
 * scaled to the number of days. Stateless and thread-safe.
 */
public final class CoverageTests {
    /** The nominal breach probability of a 99% margin. */
    public static final double NOMINAL_BREACH_PROBABILITY = 0.01;
    /** Cumulative binomial probability from which the Basel zone is yellow. */
    public static final double YELLOW_FROM = 0.95;
    /** Cumulative binomial probability from which the Basel zone is red. */
    public static final double RED_FROM = 0.9999;

    private CoverageTests() {
    }

    /** Basel traffic-light zones. */
    public enum Zone {
        /** The breach count is consistent with the nominal probability. */
        green,
        /** More breaches than the nominal probability makes likely (cumulative probability &gt;= 95%). */
        yellow,
        /** Far more (cumulative probability &gt;= 99.99%): the model is rejected. */
        red
    }

    /**
     * Kupiec's proportion-of-failures likelihood-ratio statistic for {@code breaches} in {@code days}:
     * {@code -2 ln[(1-p)^(n-x) p^x] + 2 ln[(1-x/n)^(n-x) (x/n)^x]}, chi-squared with 1 degree of freedom.
     */
    public static double kupiecStatistic(int days, int breaches, double p) {
        if (days <= 0) {
            return 0.0;
        }
        double x = breaches;
        double n = days;
        double phat = x / n;
        double null0 = (n - x) * Math.log(1 - p) + x * Math.log(p);
        double alt = xlogy(n - x, 1 - phat) + xlogy(x, phat);
        return Math.max(0.0, -2.0 * (null0 - alt));
    }

    /** The p-value of {@link #kupiecStatistic}: 1 for a breach rate exactly at p, small when far from it. */
    public static double kupiecPValue(int days, int breaches, double p) {
        return days <= 0 ? 1.0 : chiSquaredSurvival(kupiecStatistic(days, breaches, p), 1);
    }

    /**
     * Christoffersen's independence likelihood-ratio statistic: a first-order Markov chain of breaches
     * (probabilities pi01 after a day without and pi11 after a day with a breach) against a constant
     * probability; chi-squared with 1 degree of freedom. 0 when there are no breaches or only breaches.
     */
    public static double independenceStatistic(boolean[] breach) {
        long n00 = 0;
        long n01 = 0;
        long n10 = 0;
        long n11 = 0;
        for (int t = 1; t < breach.length; t++) {
            if (breach[t - 1]) {
                if (breach[t]) {
                    n11++;
                } else {
                    n10++;
                }
            } else if (breach[t]) {
                n01++;
            } else {
                n00++;
            }
        }
        double pi01 = n00 + n01 == 0 ? 0.0 : (double) n01 / (n00 + n01);
        double pi11 = n10 + n11 == 0 ? 0.0 : (double) n11 / (n10 + n11);
        double total = n00 + n01 + n10 + n11;
        if (total == 0) {
            return 0.0;
        }
        double pi = (n01 + n11) / total;
        double constant = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
        double markov = xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11) + xlogy(n11, pi11);
        return Math.max(0.0, -2.0 * (constant - markov));
    }

    /** The p-value of {@link #independenceStatistic} (chi-squared, 1 degree of freedom). */
    public static double independencePValue(boolean[] breach) {
        return chiSquaredSurvival(independenceStatistic(breach), 1);
    }

    /**
     * Christoffersen's conditional coverage p-value: the Kupiec and independence statistics summed,
     * chi-squared with 2 degrees of freedom.
     */
    public static double conditionalCoveragePValue(boolean[] breach, double p) {
        int x = 0;
        for (boolean b : breach) {
            if (b) {
                x++;
            }
        }
        return chiSquaredSurvival(kupiecStatistic(breach.length, x, p) + independenceStatistic(breach), 2);
    }

    /**
     * The Basel zone of {@code breaches} in {@code days}: yellow when the binomial(days, p) probability of at
     * most that many breaches reaches {@value #YELLOW_FROM}, red from {@value #RED_FROM} (for 250 days and
     * p = 0.01: green 0-4, yellow 5-9, red 10 or more, as in the Basel framework).
     */
    public static Zone trafficLight(int days, int breaches, double p) {
        if (breaches < firstBreachCountWithCumulative(days, p, YELLOW_FROM)) {
            return Zone.green;
        }
        return breaches < firstBreachCountWithCumulative(days, p, RED_FROM) ? Zone.yellow : Zone.red;
    }

    /** The fewest breaches that are yellow for {@code days} days. */
    public static int yellowFrom(int days, double p) {
        return firstBreachCountWithCumulative(days, p, YELLOW_FROM);
    }

    /** The fewest breaches that are red for {@code days} days. */
    public static int redFrom(int days, double p) {
        return firstBreachCountWithCumulative(days, p, RED_FROM);
    }

    private static int firstBreachCountWithCumulative(int days, double p, double level) {
        if (days <= 0) {
            return 1;
        }
        BinomialDistribution b = new BinomialDistribution(null, days, p);
        for (int x = 0; x <= days; x++) {
            // a tolerance so that a cumulative of exactly the level (in exact arithmetic) counts
            if (b.cumulativeProbability(x) >= level - 1e-12) {
                return x;
            }
        }
        return days + 1;
    }

    private static double chiSquaredSurvival(double statistic, int degreesOfFreedom) {
        if (statistic <= 0) {
            return 1.0;
        }
        return 1.0 - new ChiSquaredDistribution(null, degreesOfFreedom).cumulativeProbability(statistic);
    }

    /** x ln y with 0 ln 0 = 0. */
    private static double xlogy(double x, double y) {
        return x == 0 ? 0.0 : x * Math.log(y);
    }
}
