package io.upm.backtest;

import io.upm.market.MarketSnapshot;
import java.time.LocalDate;

/**
 * One day of a backtest: its index in the {@link DailyHistory}, its date and the market snapshot built
 * for it (index from the daily close at 00:00 UTC of the next day, i.e. time = date + 1 day 00:00 UTC; implied
 * vol from DVOL or the documented fallback; forwards flat).
 *
 * @param index   index of the day in the history
 * @param date    the date
 * @param market  the snapshot
 * @param history the whole history (models must only read indices &lt;= {@code index})
 */
public record BacktestDay(int index, LocalDate date, MarketSnapshot market, DailyHistory history) {
}
