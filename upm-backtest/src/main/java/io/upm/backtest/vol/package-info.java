/**
 * Volatility forecasts of daily log returns and the volatility-aware scan ranges built on them.
 *
 * <ul>
 *   <li>{@link io.upm.backtest.vol.EwmaVolatility}: RiskMetrics exponentially weighted variance (lambda 0.94).</li>
 *   <li>{@link io.upm.backtest.vol.GarchVolatility}: GARCH(1,1) fitted by maximum likelihood, one-step and
 *       h-step forecasts.</li>
 *   <li>{@link io.upm.backtest.vol.VolatilityScanRanges}: per asset and day, the scan range R_u of MODEL.md
 *       section 4 from a forecast at a confidence and horizon, with the anti-procyclicality tools of EMIR RTS
 *       153/2013 article 28 (a 25% buffer released in stress, a weight on stressed observations, a floor from
 *       a 10-year lookback), configured by {@link io.upm.backtest.vol.VolatilityScanRangeSettings}.</li>
 * </ul>
 *
 * <p>Conventions, shared by every class here: returns are daily natural-log returns of the close, a fraction
 * (0.05 = 5%); variances are per day (annualise with 365 days: crypto trades every calendar day); a variance
 * series {@code v} built from returns {@code r[0..n-1]} has length {@code n + 1} and {@code v[i]} is the
 * forecast of {@code r[i]}'s variance made with {@code r[0..i-1]} only, so {@code v[n]} is the forecast for
 * the day after the last return. A {@code NaN} return (no data) leaves the forecast unchanged; forecasts are
 * {@code NaN} until the model has been seeded.
 */
package io.upm.backtest.vol;
