/**
 * The live engine's wire formats (FORMATS.md, "The live engine: commands in, events out"): JSON Lines, one command
 * or event per line.
 *
 * <p>{@link io.upm.engine.codec.CommandReader} turns one input line into a
 * {@link io.upm.engine.command.Command}, or into a {@link io.upm.engine.codec.ReadResult.Malformed} that names the
 * field and the problem (the engine's {@code rejected} event); it never throws on bad input.
 * {@link io.upm.engine.codec.EventWriter} writes an {@link io.upm.engine.event.Event} as one line of deterministic
 * bytes. {@link io.upm.engine.codec.CommandWriter} and {@link io.upm.engine.codec.EventReader} are the other two
 * directions, for clients, tools and tests. The readers parse with the formats module's strict
 * {@link io.upm.formats.DocumentParser} and {@link io.upm.formats.TreeFields}, the writers write with its
 * {@link io.upm.formats.JsonOutput}: the same rules and words as every other UPM document. docs/engine.md gives the
 * choices where FORMATS.md is silent.
 *
 * <p>All four are stateless and thread-safe.
 */
package io.upm.engine.codec;
