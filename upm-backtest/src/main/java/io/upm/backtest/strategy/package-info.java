/**
 * The strategies a backtest replays: the built-in ones of docs/strategies.md ({@link
 * io.upm.backtest.strategy.BuiltInStrategy}), a portfolio file held with fixed sizes, and Deribit-style
 * expiry dates.
 */
package io.upm.backtest.strategy;
