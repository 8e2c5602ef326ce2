package io.upm.engine.command;

import io.upm.input.InputException;
import io.upm.product.Instrument;
import io.upm.product.Perpetual;
import java.time.Instant;

/**
 * {@code funding}: each position in a perpetual pays {@code rate} x its notional at the mark, longs paying when
 * the rate is positive (MODEL.md section 12).
 *
 * @param time       the command's time
 * @param instrument the perpetual
 * @param rate       the funding rate of this period, a fraction in [-1, 1]
 */
public record FundingCommand(Instant time, Perpetual instrument, double rate) implements Command {
    /** The largest funding rate accepted in absolute value: 1 (100% of the notional in one period). */
    public static final double MAX_ABS_RATE = 1.0;

    /** Checks the fields. */
    public FundingCommand {
        CommandChecks.time(time);
        CommandChecks.present(instrument, "instrument");
        CommandChecks.finite(rate, "rate");
        if (Math.abs(rate) > MAX_ABS_RATE) {
            throw new InputException("rate", "must be a fraction in [-1, 1], got " + rate);
        }
    }

    /**
     * The perpetual of a funding command, from any instrument.
     *
     * @param instrument the instrument named by the command
     * @return it, as a perpetual
     * @throws InputException naming {@code instrument} if it is not a perpetual
     */
    public static Perpetual perpetual(Instrument instrument) {
        if (instrument instanceof Perpetual p) {
            return p;
        }
        throw new InputException("instrument", "funding applies to perpetuals only, not " + instrument.name());
    }

    @Override
    public CommandType type() {
        return CommandType.FUNDING;
    }
}
