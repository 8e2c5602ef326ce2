/**
 * The live engine's events (FORMATS.md, "The live engine: commands in, events out") as immutable records, one per
 * event type, under the sealed {@link io.upm.engine.event.Event}. Each carries {@code seq}, the journal position of
 * the command that caused it; {@link io.upm.engine.codec.EventWriter} writes them as JSON Lines.
 *
 * <p>The records check only what would make them unwritable (a null where a value is required, a negative
 * {@code seq}); that their numbers are finite is the writer's guard, since a NaN in an event is a bug upstream.
 */
package io.upm.engine.event;
