package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code quote}: one price source's quote of an asset; the index comes from the sources (MODEL.md section 9).
 *
 * @param time   the command's time
 * @param source the source's name, not blank
 * @param asset  the asset code
 * @param price  USD, positive and at most {@link io.upm.market.MarketSnapshot#MAX_PRICE}
 */
public record QuoteCommand(Instant time, String source, String asset, double price) implements Command {
    /** Checks the fields. */
    public QuoteCommand {
        CommandChecks.time(time);
        CommandChecks.id(source, "source");
        CommandChecks.asset(asset, "asset");
        CommandChecks.price(price, "price");
    }

    @Override
    public CommandType type() {
        return CommandType.QUOTE;
    }
}
