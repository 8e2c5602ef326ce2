/**
 * Margin backtests on daily history: the data ({@link io.upm.backtest.DailyHistory}), the market snapshot
 * of each day ({@link io.upm.backtest.HistoricalSnapshots}), the strategies replayed, the margin models
 * compared, the realised P&amp;L over a horizon and the coverage statistics (Kupiec, Christoffersen, Basel
 * traffic light). The margin model and its options are read from a settings document
 * ({@link io.upm.backtest.BacktestSettingsReader}) or from the {@code backtest} section of a parameters file
 * ({@link io.upm.backtest.BacktestParametersFile}), as strictly and with the same messages as the documents of
 * upm-formats, whose {@link io.upm.formats.DocumentParser} and {@link io.upm.formats.TreeFields} they use.
 */
package io.upm.backtest;
