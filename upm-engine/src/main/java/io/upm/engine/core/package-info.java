/**
 * The live engine's state machine ({@link io.upm.engine.core.MarginEngine}): accounts, balances, positions, resting
 * orders and the market, owned by one writer thread; the accounting of MODEL.md section 12
 * ({@link io.upm.engine.core.Ledger}); the price history behind settlement prices
 * ({@link io.upm.engine.core.PriceHistory}). Deterministic: time comes from the commands only.
 */
package io.upm.engine.core;
