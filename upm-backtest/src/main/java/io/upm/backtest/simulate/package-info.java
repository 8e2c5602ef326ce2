/**
 * The crash simulator (issue 9, parts 2, 3 and 5): a synthetic venue of many kinds of accounts, whose positions net
 * to zero across the venue, driven minute by minute through real intraday price paths of {@code ../shared/data/market};
 * liquidation sales push the price by MODEL.md section 11's impact model, so that cascades can happen. Three
 * liquidation policies on the same venue: {@code upm} (MODEL.md section 11 through {@code io.upm.engine.liquidation}),
 * {@code close-out} (the whole account closed at MM) and {@code siloed} (per-position margin and per-position
 * liquidation, MODEL.md section 7). Everything is a deterministic function of the data, the window, the settings and
 * the seed; docs/simulation.md has the model, the choices and the results.
 */
package io.upm.backtest.simulate;
