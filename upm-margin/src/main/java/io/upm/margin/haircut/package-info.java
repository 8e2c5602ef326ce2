/**
 * Dynamic collateral haircuts (MODEL.md section 10): the formula of each term ({@link
 * io.upm.margin.haircut.CollateralHaircut}) and the EWMA volatility of an asset's daily index returns that feeds it
 * ({@link io.upm.margin.haircut.DailyEwmaVolatility}). The per-asset terms are precomputed with the market in
 * {@link io.upm.margin.RiskArrays}; the calculator applies them per balance on its hot path.
 */
package io.upm.margin.haircut;
