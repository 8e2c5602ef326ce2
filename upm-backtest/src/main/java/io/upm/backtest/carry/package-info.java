/**
 * Real carry in the backtests (issue 9, item 4): the perpetual's funding paid or received over a horizon
 * ({@link io.upm.backtest.carry.FundingSeries}), the perpetual-to-index basis where the data have it, and the
 * documented basis model of dated futures ({@link io.upm.backtest.carry.MarketCarry}): the forward of an
 * expiry is the index grown at the annualised trailing mean of the perpetual's funding.
 */
package io.upm.backtest.carry;
