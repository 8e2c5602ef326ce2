/**
 * Index prices from several sources (MODEL.md section 9), built to be embedded in the live engine's
 * single-writer state machine.
 *
 * <p>{@link io.upm.engine.index.PriceIndex} holds every asset's index and takes the engine's {@code quote}
 * commands and time advances; {@link io.upm.engine.index.AssetIndex} is one asset's live view (price, status,
 * sources, confidence spread, settlement TWAP); {@link io.upm.engine.index.IndexSnapshot} an immutable copy;
 * {@link io.upm.engine.index.IndexParameters} the per-asset parameters with their defaults. Time is always
 * an argument (engine time, epoch milliseconds); nothing here reads a clock, does I/O or keeps static
 * mutable state. See docs/index.md for the rules, the choices where MODEL.md is silent and measurements.
 */
package io.upm.engine.index;
