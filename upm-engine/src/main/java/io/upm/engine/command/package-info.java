/**
 * The live engine's commands (FORMATS.md, "The live engine: commands in, events out") as immutable records, one
 * per command type, under the sealed {@link io.upm.engine.command.Command}; those that act on an account are
 * {@link io.upm.engine.command.AccountCommand}s.
 *
 * <p>Every record is valid once constructed: its compact constructor checks each field as FORMATS.md and
 * docs/engine.md say (positive amounts and prices, non-zero sizes, asset codes, non-blank ids, a time in years
 * 0000 to 9999) and throws an {@link io.upm.input.InputException} naming the field otherwise, so that a command
 * read from a line ({@link io.upm.engine.codec.CommandReader}) and one built in code obey the same rules. What
 * needs the engine's state (an account that must exist, a time earlier than the previous command's, an instrument
 * that is not listed) is the engine's to reject.
 */
package io.upm.engine.command;
