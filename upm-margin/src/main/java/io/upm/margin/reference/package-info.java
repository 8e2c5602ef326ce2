/**
 * The reference implementation of the margin methodology (MODEL.md sections 4 to 6): a deliberately
 * straightforward, slow calculator that reprices every position in every scenario from a shocked market
 * snapshot. It exists so that tests can run the optimised calculator ({@code io.upm.margin}) in lock-step
 * with it, and so that benchmarks have a naive baseline. Never use it on a hot path.
 */
package io.upm.margin.reference;
