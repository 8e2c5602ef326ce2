package io.upm.engine.command;

import io.upm.product.Instrument;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code fill}: a trade that happened, always applied (MODEL.md section 12).
 *
 * @param time       the command's time
 * @param account    the account's id, not blank
 * @param instrument the instrument, from its name
 * @param size       signed (positive buys), not zero, in the instrument's size unit
 * @param price      the trade price, positive: USD, or coin per unit for inverse options
 * @param feeUsd     the fee paid from the USDC balance, finite (negative for a rebate), if given
 * @param order      the id of the resting order it fills, not blank, if given
 */
public record FillCommand(Instant time, String account, Instrument instrument, double size, double price,
                          OptionalDouble feeUsd, Optional<String> order) implements AccountCommand {
    /** Checks the fields. */
    public FillCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
        CommandChecks.present(instrument, "instrument");
        CommandChecks.nonZero(size, "size");
        CommandChecks.price(price, "price");
        CommandChecks.present(feeUsd, "fee");
        feeUsd.ifPresent(f -> CommandChecks.finite(f, "fee"));
        CommandChecks.present(order, "order");
        order.ifPresent(o -> CommandChecks.id(o, "order"));
    }

    @Override
    public CommandType type() {
        return CommandType.FILL;
    }
}
