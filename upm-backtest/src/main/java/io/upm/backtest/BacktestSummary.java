package io.upm.backtest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The statistics of a backtest (issue 3, item 2), in USD where money: how often the margin was breached
 * and whether that is consistent with a 99% margin, how large the margin was, and how tight it was
 * against the losses.
 *
 * @param strategy                  the strategy
 * @param model                     the margin model
 * @param from                      first day asked for
 * @param to                        last day asked for
 * @param horizonDays               the P&amp;L horizon
 * @param firstDay                  first evaluated day
 * @param lastDay                   last evaluated day
 * @param days                      evaluated days N
 * @param skippedDays               days skipped (strategy not set up)
 * @param breaches                  days with loss &gt; MM
 * @param coverage                  1 - breaches / days
 * @param expectedBreaches          N x 0.01
 * @param kupiecPValue              Kupiec proportion-of-failures test p-value (chi-squared, 1 d.o.f.)
 * @param christoffersenPValue      Christoffersen independence test p-value (chi-squared, 1 d.o.f.)
 * @param conditionalCoveragePValue Christoffersen conditional coverage p-value (Kupiec + independence, 2 d.o.f.)
 * @param trafficLight              Basel zone scaled to N days
 * @param yellowFrom                fewest breaches that would be yellow for N days
 * @param redFrom                   fewest breaches that would be red for N days
 * @param averageMargin             mean MM
 * @param medianMargin              median MM
 * @param maxMargin                 largest MM
 * @param averageStandardMargin     mean siloed-baseline MM
 * @param marginToStandard          averageMargin / averageStandardMargin (null when the baseline is 0)
 * @param averageLoss               mean loss (negative: the strategy gained on average)
 * @param lossQuantile99            the empirical 99% quantile of the losses (order statistic ceil(0.99 N))
 * @param maxLoss                   largest loss
 * @param marginToLossQuantile      averageMargin / lossQuantile99 (null when the quantile is below half a cent)
 * @param worstDays                 the largest losses, largest first
 * @param breachDates               the days with a breach, in date order
 * @param horizonHours              the intraday horizon in hours (each "day" is then one bar), 0 for days
 * @param breachTimes               the margin times of the breaches, in order
 */
public record BacktestSummary(String strategy, String model, LocalDate from, LocalDate to, int horizonDays,
                              LocalDate firstDay, LocalDate lastDay, int days, int skippedDays, int breaches,
                              double coverage, double expectedBreaches, double kupiecPValue,
                              double christoffersenPValue, double conditionalCoveragePValue,
                              CoverageTests.Zone trafficLight, int yellowFrom, int redFrom, double averageMargin,
                              double medianMargin, double maxMargin, double averageStandardMargin,
                              Double marginToStandard, double averageLoss, double lossQuantile99, double maxLoss,
                              Double marginToLossQuantile, List<DayResult> worstDays, List<LocalDate> breachDates,
                              int horizonHours, List<java.time.Instant> breachTimes) {

    /** Worst days listed by default. */
    public static final int DEFAULT_WORST_DAYS = 10;
    /** Below this (USD, half a cent) the loss quantile counts as zero and marginToLossQuantile is null. */
    public static final double MIN_LOSS_QUANTILE_USD = 0.005;
    /** The loss quantile level. */
    public static final double LOSS_QUANTILE = 0.99;

    /** Copies the lists. */
    public BacktestSummary {
        worstDays = List.copyOf(worstDays);
        breachDates = List.copyOf(breachDates);
        breachTimes = List.copyOf(breachTimes);
    }

    /** Whether the horizon is intraday (one bar of {@link #horizonHours} hours). */
    public boolean isIntraday() {
        return horizonHours > 0;
    }

    /** The statistics of a run, listing its {@code worst} largest losses. */
    public static BacktestSummary of(BacktestResult r, int worst) {
        List<DayResult> d = r.days();
        int n = d.size();
        double p = CoverageTests.NOMINAL_BREACH_PROBABILITY;
        boolean[] breach = r.breaches();
        int x = 0;
        List<LocalDate> breachDates = new ArrayList<>();
        List<java.time.Instant> breachTimes = new ArrayList<>();
        for (DayResult day : d) {
            if (day.breach()) {
                x++;
                breachDates.add(day.date());
                breachTimes.add(day.time());
            }
        }
        double[] margins = r.margins();
        double[] losses = r.losses();
        double avgMargin = mean(margins);
        double avgStandard = d.stream().mapToDouble(DayResult::standardMargin).average().orElse(0.0);
        double q99 = quantile(losses, LOSS_QUANTILE);
        List<DayResult> worstDays = d.stream()
            .sorted(Comparator.comparingDouble(DayResult::loss).reversed().thenComparing(DayResult::time))
            .limit(worst).toList();
        return new BacktestSummary(r.strategy(), r.model(), r.from(), r.to(), r.horizonDays(),
            n == 0 ? null : d.get(0).date(), n == 0 ? null : d.get(n - 1).date(), n, r.skipped().size(), x,
            n == 0 ? 1.0 : 1.0 - (double) x / n, n * p, CoverageTests.kupiecPValue(n, x, p),
            CoverageTests.independencePValue(breach), CoverageTests.conditionalCoveragePValue(breach, p),
            CoverageTests.trafficLight(n, x, p), CoverageTests.yellowFrom(n, p), CoverageTests.redFrom(n, p),
            avgMargin, median(margins), max(margins), avgStandard, avgStandard > 0 ? avgMargin / avgStandard : null,
            mean(losses), q99, max(losses), q99 > MIN_LOSS_QUANTILE_USD ? avgMargin / q99 : null, worstDays, breachDates,
            r.horizonHours(), breachTimes);
    }

    /**
     * The empirical quantile: the order statistic of rank ceil(level x N) (the inverse of the empirical
     * distribution function); NaN for no values.
     */
    public static double quantile(double[] values, double level) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(level * s.length - 1e-9);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
