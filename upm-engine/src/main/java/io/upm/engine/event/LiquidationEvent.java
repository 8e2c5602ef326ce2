package io.upm.engine.event;

import java.util.Objects;

/**
 * {@code liquidation}: one step of a liquidation (MODEL.md section 11).
 *
 * @param seq                    the causing command's journal position
 * @param account                the account liquidated
 * @param instrument             the instrument's name
 * @param size                   the size closed, signed as the trade the account made
 * @param price                  the trade's price (as a fill's)
 * @param fee                    the liquidation fee, USD
 * @param maintenanceMarginAfter the account's MM after the step, USD
 * @param equityAfter            the account's equity after the step, USD
 */
public record LiquidationEvent(long seq, String account, String instrument, double size, double price, double fee,
                               double maintenanceMarginAfter, double equityAfter) implements Event {
    /** Checks the required fields. */
    public LiquidationEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(instrument, "instrument");
    }

    @Override
    public EventType type() {
        return EventType.LIQUIDATION;
    }
}
