package io.upm.engine.liquidation;

import io.upm.input.InputException;

/**
 * The parameters of liquidation (MODEL.md section 11), each with its unit; defaults are MODEL.md's. Validated once,
 * here: a bad value is an {@link InputException} naming the field.
 *
 * @param halfSpread            impact half-spread, fraction of the mark (0.001 = 0.1%)
 * @param impactFactor          square-root impact coefficient k in k sigma sqrt(notional / ADV) sqrt(1/365) (0.5)
 * @param feeRate               liquidation fee, fraction of the slice's notional (options: of its underlying notional,
 *                              at most the option's value), paid to the insurance fund (0.005)
 * @param maxSliceFraction      the largest part of a position one step closes (0.25)
 * @param wholeBelowUsd         a position whose notional is below this (USD) is closed whole (1,000)
 * @param targetFraction        the liquidation stops at equity &gt;= MM + targetFraction x (IM - MM) (0.5)
 * @param guardAdvFraction      cascade guard: per underlying and minute at most guardAdvFraction x ADV / 1440 USD of
 *                              liquidated notional (0.1)
 * @param marginCallSigmas      margin call: the size of the move, in standard deviations (2)
 * @param marginCallHorizonDays margin call: the horizon of the move, days (1/24: one hour)
 */
public record LiquidationParameters(double halfSpread, double impactFactor, double feeRate, double maxSliceFraction,
                                    double wholeBelowUsd, double targetFraction, double guardAdvFraction,
                                    double marginCallSigmas, double marginCallHorizonDays) {
    /** Minutes per day: the cascade guard's ADV / 1440. */
    public static final double MINUTES_PER_DAY = 1440.0;

    /** Checks every field. */
    public LiquidationParameters {
        check("halfSpread", halfSpread, 0.0, 0.5);
        check("impactFactor", impactFactor, 0.0, 100.0);
        check("feeRate", feeRate, 0.0, 0.5);
        if (!(maxSliceFraction > 0.0 && maxSliceFraction <= 1.0)) {
            throw new InputException("maxSliceFraction", "must be in (0, 1], got " + maxSliceFraction);
        }
        check("wholeBelowUsd", wholeBelowUsd, 0.0, 1e12);
        check("targetFraction", targetFraction, 0.0, 10.0);
        if (!(guardAdvFraction > 0.0 && guardAdvFraction <= 1.0)) {
            throw new InputException("guardAdvFraction", "must be in (0, 1], got " + guardAdvFraction);
        }
        check("marginCallSigmas", marginCallSigmas, 0.0, 100.0);
        if (!(marginCallHorizonDays > 0.0 && marginCallHorizonDays <= 365.0)) {
            throw new InputException("marginCallHorizonDays", "must be in (0, 365] days, got " + marginCallHorizonDays);
        }
    }

    /** MODEL.md section 11's defaults. */
    public static LiquidationParameters defaults() {
        return new LiquidationParameters(0.001, 0.5, 0.005, 0.25, 1_000.0, 0.5, 0.1, 2.0, 1.0 / 24.0);
    }

    /** The cascade guard's budget per minute for an underlying of average daily volume {@code advUsd} (USD). */
    public double guardBudgetPerMinute(double advUsd) {
        return guardAdvFraction * advUsd / MINUTES_PER_DAY;
    }

    private static void check(String field, double v, double min, double max) {
        if (!(v >= min && v <= max)) { // NaN fails too
            throw new InputException(field, "must be a number in [" + min + ", " + max + "], got " + v);
        }
    }
}
