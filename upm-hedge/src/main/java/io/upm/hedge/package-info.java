/**
 * The hedge optimiser (issue 11): the cheapest trades that bring an account back to margin health.
 *
 * <p>{@link io.upm.hedge.HedgeOptimizer} models the account's maintenance margin as a linear programme over the
 * trade sizes of a list of candidate instruments (the worst cell, extended moves, short-option minimum, roll
 * shocks and borrowing are maxima of linear functions of the sizes; the liquidity add-on is convex and is bounded
 * above by chords; the cross-unit charge is bounded above by the siloed sum of the units' core charges), solves it
 * with the simplex solver of Apache Commons Math, and then checks and polishes every plan with the ordinary risk
 * core ({@link io.upm.margin.AccountMarginCalculator}): the margin a plan reports is always the calculator's.
 * {@link io.upm.hedge.TradeCostModel} prices a trade (half-spread plus the impact model of MODEL.md section 11).
 *
 * <p>No I/O, no clock, no random numbers, no static mutable state: the same inputs give the same plan, bit for bit.
 */
package io.upm.hedge;
