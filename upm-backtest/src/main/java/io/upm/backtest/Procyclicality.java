package io.upm.backtest;

import java.time.LocalDate;
import java.util.List;

/**
 * Procyclicality of a margin model for a fixed portfolio: how far and how fast its daily maintenance margin
 * moves over a period (the measures of the ESMA anti-procyclicality guidelines and of CPMI-IOSCO's quantitative
 * disclosures 6.5: peak-to-trough ratio, largest n-day increases).
 *
 * <p>Definitions, over the days with a finite MM (a {@code NaN} day is treated as absent):
 * <ul>
 *   <li>peak-to-trough ratio = max MM / min MM over the whole period, the minimum taken over positive MM only
 *       ({@code NaN} without a positive MM). This is the ratio of the extremes, whichever comes first, not a
 *       drawdown.</li>
 *   <li>rolling peak-to-trough: the largest ratio max / min within any window of {@code rollingWindowDays}
 *       calendar days (a window ending on each day, {@code [date - w + 1, date]}), reported with the window's
 *       last day;</li>
 *   <li>one-day increase on day t: {@code MM_t - MM_s}, s the previous observation (one calendar day earlier for a
 *       daily series without gaps); relative: {@code MM_t / MM_s - 1} where {@code MM_s > 0}. The largest absolute
 *       and the largest relative increase are each reported with their day t (they may differ);</li>
 *   <li>n-day increase ({@code increaseDays}, 30 by default) on day t: the same with s the last observation on or
 *       before {@code date_t - n} calendar days (days earlier than the first observation + n have none).</li>
 * </ul>
 * Increases are maxima over the period and may be negative when MM only ever fell. USD and fractions
 * (0.5 = +50%). Immutable.
 *
 * <p>For a fixed portfolio (fixed sizes) MM in USD also moves with the price level (BTC went from 10,000 to
 * 100,000 USD in 2020-2024), so the ratio of USD margins mixes the model's procyclicality with the market's
 * drift. Passing {@code MM_t / grossNotional_t} (a margin rate) instead of MM isolates the model's response to
 * volatility; the measures are then rates and the "USD" increases are increases of the rate.
 *
 * @param days                      the number of days with a finite MM
 * @param minMargin                 the smallest positive MM, USD
 * @param minDate                   its day
 * @param maxMargin                 the largest MM, USD
 * @param maxDate                   its day
 * @param peakToTroughRatio         maxMargin / minMargin
 * @param rollingWindowDays         the rolling window, calendar days
 * @param maxRollingPeakToTrough    the largest max / min within a rolling window
 * @param maxRollingPeakToTroughEnd the last day of that window
 * @param maxOneDayIncrease         the largest one-day increase, USD
 * @param maxOneDayIncreaseDate     its day
 * @param maxOneDayIncreaseRelative the largest relative one-day increase, a fraction
 * @param maxOneDayIncreaseRelativeDate its day
 * @param increaseDays              n of the n-day increase, calendar days
 * @param maxNDayIncrease           the largest n-day increase, USD
 * @param maxNDayIncreaseDate       its (last) day
 * @param maxNDayIncreaseRelative   the largest relative n-day increase, a fraction
 * @param maxNDayIncreaseRelativeDate its (last) day
 */
public record Procyclicality(int days, double minMargin, LocalDate minDate, double maxMargin, LocalDate maxDate,
                             double peakToTroughRatio, int rollingWindowDays, double maxRollingPeakToTrough,
                             LocalDate maxRollingPeakToTroughEnd, double maxOneDayIncrease,
                             LocalDate maxOneDayIncreaseDate, double maxOneDayIncreaseRelative,
                             LocalDate maxOneDayIncreaseRelativeDate, int increaseDays, double maxNDayIncrease,
                             LocalDate maxNDayIncreaseDate, double maxNDayIncreaseRelative,
                             LocalDate maxNDayIncreaseRelativeDate) {

    /** Default n of the n-day increase: 30 days. */
    public static final int DEFAULT_INCREASE_DAYS = 30;
    /** Default rolling window of the peak-to-trough ratio: 365 days. */
    public static final int DEFAULT_ROLLING_WINDOW_DAYS = 365;

    /** The measures with a 30-day increase and a 365-day rolling window. */
    public static Procyclicality of(List<LocalDate> dates, double[] margins) {
        return of(dates, margins, DEFAULT_INCREASE_DAYS, DEFAULT_ROLLING_WINDOW_DAYS);
    }

    /**
     * The measures of a daily MM series.
     *
     * @param dates             strictly increasing days
     * @param margins           MM per day, USD, {@code NaN} where absent
     * @param increaseDays      n of the n-day increase, at least 1
     * @param rollingWindowDays the rolling window of the peak-to-trough ratio, at least 1
     */
    public static Procyclicality of(List<LocalDate> dates, double[] margins, int increaseDays, int rollingWindowDays) {
        if (dates.size() != margins.length) {
            throw new IllegalArgumentException(dates.size() + " dates for " + margins.length + " margins");
        }
        if (increaseDays < 1 || rollingWindowDays < 1) {
            throw new IllegalArgumentException("increaseDays and rollingWindowDays must be at least 1");
        }
        int n = 0;
        LocalDate[] d = new LocalDate[margins.length];
        double[] m = new double[margins.length];
        for (int i = 0; i < margins.length; i++) {
            if (i > 0 && !dates.get(i).isAfter(dates.get(i - 1))) {
                throw new IllegalArgumentException("dates must increase: " + dates.get(i) + " after " + dates.get(i - 1));
            }
            if (Double.isFinite(margins[i])) {
                d[n] = dates.get(i);
                m[n] = margins[i];
                n++;
            }
        }
        double min = Double.NaN;
        LocalDate minDate = null;
        double max = Double.NaN;
        LocalDate maxDate = null;
        for (int i = 0; i < n; i++) {
            if (m[i] > 0 && (Double.isNaN(min) || m[i] < min)) {
                min = m[i];
                minDate = d[i];
            }
            if (Double.isNaN(max) || m[i] > max) {
                max = m[i];
                maxDate = d[i];
            }
        }
        double ratio = Double.isNaN(min) ? Double.NaN : max / min;

        // rolling peak-to-trough
        double rolling = Double.NaN;
        LocalDate rollingEnd = null;
        int start = 0;
        for (int i = 0; i < n; i++) {
            LocalDate first = d[i].minusDays(rollingWindowDays - 1L);
            while (d[start].isBefore(first)) {
                start++;
            }
            double lo = Double.NaN;
            double hi = Double.NaN;
            for (int j = start; j <= i; j++) {
                if (m[j] > 0 && (Double.isNaN(lo) || m[j] < lo)) {
                    lo = m[j];
                }
                if (Double.isNaN(hi) || m[j] > hi) {
                    hi = m[j];
                }
            }
            if (!Double.isNaN(lo) && (Double.isNaN(rolling) || hi / lo > rolling)) {
                rolling = hi / lo;
                rollingEnd = d[i];
            }
        }

        Increase one = increase(d, m, n, 1, true);
        Increase nDay = increase(d, m, n, increaseDays, false);
        return new Procyclicality(n, min, minDate, max, maxDate, ratio, rollingWindowDays, rolling, rollingEnd,
            one.absolute, one.absoluteDate, one.relative, one.relativeDate, increaseDays, nDay.absolute,
            nDay.absoluteDate, nDay.relative, nDay.relativeDate);
    }

    private record Increase(double absolute, LocalDate absoluteDate, double relative, LocalDate relativeDate) {
    }

    /** The largest increases against the previous observation, or the last one on or before date - days. */
    private static Increase increase(LocalDate[] d, double[] m, int n, int days, boolean previousObservation) {
        double abs = Double.NaN;
        LocalDate absDate = null;
        double rel = Double.NaN;
        LocalDate relDate = null;
        int ref = -1;
        for (int i = 1; i < n; i++) {
            int s;
            if (previousObservation) {
                s = i - 1;
            } else {
                LocalDate limit = d[i].minusDays(days);
                while (ref + 1 < i && !d[ref + 1].isAfter(limit)) {
                    ref++;
                }
                s = ref;
            }
            if (s < 0) {
                continue;
            }
            double inc = m[i] - m[s];
            if (Double.isNaN(abs) || inc > abs) {
                abs = inc;
                absDate = d[i];
            }
            if (m[s] > 0) {
                double r = m[i] / m[s] - 1.0;
                if (Double.isNaN(rel) || r > rel) {
                    rel = r;
                    relDate = d[i];
                }
            }
        }
        return new Increase(abs, absDate, rel, relDate);
    }
}
