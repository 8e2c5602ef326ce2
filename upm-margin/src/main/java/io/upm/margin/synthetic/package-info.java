/**
 * Seeded, deterministic synthetic venues: a realistic market snapshot, an instrument universe and
 * account portfolios, for property tests, lock-step tests and benchmarks. Nothing here is market data.
 */
package io.upm.margin.synthetic;
