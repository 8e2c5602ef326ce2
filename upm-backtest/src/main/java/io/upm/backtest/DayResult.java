package io.upm.backtest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One evaluated day of a backtest, in USD.
 *
 * @param date           the day (margin computed at its close)
 * @param margin         the model's maintenance margin MM
 * @param standardMargin the siloed baseline's MM (MODEL.md section 7)
 * @param loss           the realised loss over the horizon with the holdings fixed: value on the day minus
 *                       value {@code horizon} days later (negative for a gain)
 * @param breach         {@code loss > margin}
 * @param time           the instant the margin was computed: the day's close ({@code date + 1} at 00:00 UTC) for
 *                       a horizon in days, the bar's close for an intraday horizon (then {@code date} is the
 *                       UTC date of the bar's open)
 */
public record DayResult(LocalDate date, double margin, double standardMargin, double loss, boolean breach,
                        Instant time) {
    /** A day of a backtest over days: margin at the day's close. */
    public DayResult(LocalDate date, double margin, double standardMargin, double loss, boolean breach) {
        this(date, margin, standardMargin, loss, breach, date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
