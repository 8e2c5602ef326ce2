/**
 * The engine's runtime: {@link io.upm.engine.runtime.EngineRunner} journals input lines (group commit), applies them
 * to the single-writer {@link io.upm.engine.core.MarginEngine}, hands out events only once their command is durable,
 * snapshots, recovers and replays.
 */
package io.upm.engine.runtime;
