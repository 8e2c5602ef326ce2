/**
 * Immutable market snapshots (prices, forwards, marks, vol surfaces, correlations, ADV, rate), validated
 * on construction, and scenarios as pure perturbations of a snapshot.
 */
package io.upm.market;
