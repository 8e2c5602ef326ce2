package io.upm.engine.command;

import io.upm.product.Instrument;
import java.time.Instant;

/**
 * {@code order}: an order that rests until filled or cancelled, if the pre-trade check accepts it.
 *
 * @param time       the command's time
 * @param account    the account's id, not blank
 * @param id         the order's id, not blank
 * @param instrument the instrument, from its name
 * @param size       signed (positive buys), not zero, in the instrument's size unit (FORMATS.md)
 * @param price      the limit price, positive: USD, or coin per unit for inverse options (MODEL.md section 12)
 */
public record OrderCommand(Instant time, String account, String id, Instrument instrument, double size, double price)
    implements AccountCommand {
    /** Checks the fields. */
    public OrderCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
        CommandChecks.id(id, "id");
        CommandChecks.present(instrument, "instrument");
        CommandChecks.nonZero(size, "size");
        CommandChecks.price(price, "price");
    }

    @Override
    public CommandType type() {
        return CommandType.ORDER;
    }
}
