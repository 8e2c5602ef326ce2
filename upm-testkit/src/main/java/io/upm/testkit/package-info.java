/**
 * Test support for the risk core, kept out of the production jars: {@link io.upm.testkit.NaiveMarginCalculator}
 * (MODEL.md written out again with full repricing, the reference the optimised calculator is run in lock-step
 * with, and a brute-force joint loss), and {@link io.upm.testkit.SyntheticVenue} (a seeded universe, market and
 * accounts for tests and benchmarks).
 */
package io.upm.testkit;
