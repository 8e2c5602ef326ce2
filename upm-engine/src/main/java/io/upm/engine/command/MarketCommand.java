package io.upm.engine.command;

import io.upm.market.MarketFields;
import java.time.Instant;

/**
 * {@code market}: fields of a market snapshot to merge into the engine's market, leaf by leaf, the vols named for
 * an underlying replacing its whole surface ({@link MarketFields#mergedWith}). The prices are taken only for
 * assets that no {@code quote} source feeds (the engine's rule).
 *
 * @param time   the command's time
 * @param fields the snapshot fields it gives, each leaf valid at {@code time} (build them with
 *               {@link MarketFields#builder(Instant)} at the same time); possibly none
 */
public record MarketCommand(Instant time, MarketFields fields) implements Command {
    /** Checks the fields. */
    public MarketCommand {
        CommandChecks.time(time);
        CommandChecks.present(fields, "fields");
    }

    @Override
    public CommandType type() {
        return CommandType.MARKET;
    }
}
