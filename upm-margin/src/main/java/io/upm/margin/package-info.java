/**
 * Portfolio margin (MODEL.md), the risk core a venue embeds.
 *
 * <p>Embedding API: an immutable universe of instruments under a market snapshot ({@link io.upm.margin.RiskArrays},
 * evolved by value with {@code withMarket} and {@code withInstruments}); accounts resolved against it
 * ({@link io.upm.margin.ResolvedPortfolio}, primitive arrays in canonical order); one single-writer calculator per
 * thread ({@link io.upm.margin.AccountMarginCalculator}, owning its joint-loss geometry cache) giving a
 * {@link io.upm.margin.MarginResult} (equity, IM, MM, status, whether MM is exact) on the hot path, with
 * {@link io.upm.margin.UnitMatrices} to recompute one moved unit of an account; and the detailed
 * {@link io.upm.margin.MarginReport} ({@link io.upm.margin.MarginCalculator#report}) as the slow path. Parameters are
 * built and validated in one place ({@code params.MarginParameters.builder()}). The joint loss is in
 * {@code io.upm.margin.joint}.
 */
package io.upm.margin;
