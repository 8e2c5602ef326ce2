package io.upm.engine.command;

import java.time.Instant;

/**
 * One command of the live engine (FORMATS.md, "The live engine"): an immutable, valid value. The engine's clock is
 * the commands' {@link #time()}, never the wall clock.
 */
public sealed interface Command permits MarketCommand, QuoteCommand, FundingCommand, SettleCommand, SnapshotCommand,
    AccountCommand {

    /** The command's time: the engine's clock once it is accepted. */
    Instant time();

    /** The command's type, its {@code type} member on the wire. */
    CommandType type();
}
