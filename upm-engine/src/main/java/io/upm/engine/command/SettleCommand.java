package io.upm.engine.command;

import io.upm.input.InputException;
import io.upm.product.ExpiryCodes;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * {@code settle}: settles an underlying's futures and options of one expiry at {@code price}, or, without one, at
 * the 30-minute index TWAP.
 *
 * @param time       the command's time
 * @param underlying the underlying's asset code
 * @param expiry     the expiry: 08:00 UTC of its date, as {@link ExpiryCodes#parse} gives it
 * @param price      the settlement price in USD, positive, if given
 */
public record SettleCommand(Instant time, String underlying, Instant expiry, OptionalDouble price) implements Command {
    /** Checks the fields. */
    public SettleCommand {
        CommandChecks.time(time);
        CommandChecks.asset(underlying, "underlying");
        CommandChecks.present(expiry, "expiry");
        if (!expiry.equals(ExpiryCodes.parse(ExpiryCodes.format(expiry), "expiry"))) {
            throw new InputException("expiry", expiry + " is not an expiry (08:00 UTC of a date in 2000 to 2099)");
        }
        CommandChecks.present(price, "price");
        price.ifPresent(p -> CommandChecks.price(p, "price"));
    }

    /** The expiry's code, {@code 27MAR26} ({@link ExpiryCodes#format}). */
    public String expiryCode() {
        return ExpiryCodes.format(expiry);
    }

    @Override
    public CommandType type() {
        return CommandType.SETTLE;
    }
}
