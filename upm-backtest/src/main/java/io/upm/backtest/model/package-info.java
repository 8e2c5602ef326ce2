/**
 * The margin models a backtest compares, all implementing {@link io.upm.backtest.MarginModel}:
 * <ul>
 *   <li>{@link io.upm.backtest.model.RiskMatrixMarginModel} ({@code matrix}, {@code matrix-vol}): MODEL.md's risk
 *       matrix through {@link io.upm.margin.MarginCalculator}'s engine, with MODEL.md's static scan ranges or with
 *       the volatility-aware ranges of {@link io.upm.backtest.vol.VolatilityScanRanges};</li>
 *   <li>{@link io.upm.backtest.model.FhsMarginModel} ({@code fhs}): filtered historical simulation expected
 *       shortfall over the joint history of all risk units, by full repricing, plus MODEL.md's add-ons;</li>
 *   <li>{@link io.upm.backtest.model.MaxMarginModel} ({@code max}): the larger of two models.</li>
 * </ul>
 * {@link io.upm.backtest.model.MarginModels} builds them by name from {@link io.upm.margin.params.MarginParameters}
 * and {@link io.upm.backtest.model.BacktestModelSettings} (read from a settings document by
 * {@link io.upm.backtest.BacktestSettingsReader}). All amounts are USD; models are single-threaded (one per thread).
 */
package io.upm.backtest.model;
