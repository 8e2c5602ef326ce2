/**
 * Immutable market snapshots (prices, forwards, marks, vol surfaces, correlations, ADV, rate), validated
 * on construction, scenarios as pure perturbations of a snapshot, and the configurable plausibility bands
 * ({@link io.upm.market.MarketSanityBands}) that reject absurd market data before anything is margined.
 */
package io.upm.market;
