package io.upm.backtest;

import java.time.LocalDate;
import java.util.List;

/**
 * The day-by-day record of one backtest run.
 *
 * @param strategy    the strategy's name
 * @param model       the margin model's name
 * @param from        first day asked for
 * @param to          last day asked for
 * @param horizonDays the P&amp;L horizon
 * @param days        the evaluated days, in date order
 * @param skipped     days in the range on which the strategy could not be set up
 * @param horizonHours the intraday horizon in hours (then horizonDays is 0 and each entry of {@code days} is one
 *                     bar), 0 for a horizon in days
 */
public record BacktestResult(String strategy, String model, LocalDate from, LocalDate to, int horizonDays,
                             List<DayResult> days, List<LocalDate> skipped, int horizonHours) {

    /** Copies the lists. */
    public BacktestResult {
        days = List.copyOf(days);
        skipped = List.copyOf(skipped);
    }

    /** A run over a horizon in days. */
    public BacktestResult(String strategy, String model, LocalDate from, LocalDate to, int horizonDays,
                          List<DayResult> days, List<LocalDate> skipped) {
        this(strategy, model, from, to, horizonDays, days, skipped, 0);
    }

    /** The horizon. */
    public Horizon horizon() {
        return new Horizon(horizonHours > 0 ? 0 : horizonDays, horizonHours);
    }

    /** The statistics of item 2 of issue 3, with {@link BacktestSummary#DEFAULT_WORST_DAYS} worst days. */
    public BacktestSummary summary() {
        return BacktestSummary.of(this, BacktestSummary.DEFAULT_WORST_DAYS);
    }

    /** The procyclicality of the margin series (30-day increases, 365-day rolling peak-to-trough). */
    public Procyclicality procyclicality() {
        return Procyclicality.of(days.stream().map(DayResult::date).toList(), margins());
    }

    /** The margins, in date order. */
    public double[] margins() {
        return days.stream().mapToDouble(DayResult::margin).toArray();
    }

    /** The losses, in date order. */
    public double[] losses() {
        return days.stream().mapToDouble(DayResult::loss).toArray();
    }

    /** The breach flags, in date order. */
    public boolean[] breaches() {
        boolean[] b = new boolean[days.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = days.get(i).breach();
        }
        return b;
    }
}
