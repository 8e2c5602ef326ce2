/**
 * Liquidation of MODEL.md section 11 as plain deterministic components the engine's writer thread calls: the
 * {@link io.upm.engine.liquidation.LiquidationPlanner} (which slice of which position to close next, at what price and
 * fee), the {@link io.upm.engine.liquidation.CascadeGuard} (a per-underlying rate of liquidated notional and the queue
 * of accounts, worst margin ratio first), the {@link io.upm.engine.liquidation.InsuranceFund} and
 * {@link io.upm.engine.liquidation.AutoDeleveraging} (the bankruptcy path), and the
 * {@link io.upm.engine.liquidation.MarginCallRule}. What they decide is expressed as command records
 * ({@link io.upm.engine.liquidation.LiquidationStep}, {@link io.upm.engine.liquidation.BankruptcyResolution}) that the
 * engine journals and applies, so that recovery and replay re-apply the same numbers. docs/liquidation.md describes
 * the algorithm and how the engine wires it in.
 *
 * <p>Nothing here reads a clock, draws a random number or iterates a hash map: the same inputs give the same outputs,
 * bit for bit. Every class is single-threaded (the engine's writer).
 */
package io.upm.engine.liquidation;
