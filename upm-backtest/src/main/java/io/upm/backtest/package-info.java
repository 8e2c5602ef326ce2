/**
 * Margin backtests on daily history: the data ({@link io.upm.backtest.DailyHistory}), the market snapshot
 * of each day ({@link io.upm.backtest.HistoricalSnapshots}), the strategies replayed, the margin models
 * compared, the realised P&amp;L over a horizon and the coverage statistics (Kupiec, Christoffersen, Basel
 * traffic light).
 */
package io.upm.backtest;
