package io.upm.backtest;

import java.time.LocalDate;

/**
 * One evaluated day of a backtest, in USD.
 *
 * @param date           the day (margin computed at its close)
 * @param margin         the model's maintenance margin MM
 * @param standardMargin the siloed baseline's MM (MODEL.md section 7)
 * @param loss           the realised loss over the horizon with the holdings fixed: value on the day minus
 *                       value {@code horizon} days later (negative for a gain)
 * @param breach         {@code loss > margin}
 */
public record DayResult(LocalDate date, double margin, double standardMargin, double loss, boolean breach) {
}
