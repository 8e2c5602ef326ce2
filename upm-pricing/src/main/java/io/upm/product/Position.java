package io.upm.product;

import io.upm.input.InputException;

/**
 * One line of a portfolio: a signed size in an instrument (long &gt; 0) and, for perpetuals and futures,
 * the entry price E. Immutable.
 *
 * @param instrument the instrument
 * @param size       signed size in the instrument's size unit (underlying units, or USD notional for
 *                   inverse perpetuals and futures)
 * @param entryPrice entry price in USD (perpetuals and futures); NaN for options, whose premium is
 *                   already in the balances
 */
public record Position(Instrument instrument, double size, double entryPrice) {
    /** Largest absolute size accepted, to catch overflowing input. */
    public static final double MAX_ABS_SIZE = 1e12;

    /**
     * A validated position.
     *
     * @param field the field path of this position, e.g. {@code positions[2]}, for errors
     */
    public static Position of(Instrument instrument, double size, double entryPrice, String field) {
        if (!Double.isFinite(size)) {
            throw new InputException(field + ".size", "size must be a finite number, got " + size);
        }
        if (Math.abs(size) > MAX_ABS_SIZE) {
            throw new InputException(field + ".size", "size " + size + " is beyond the largest accepted, " + MAX_ABS_SIZE);
        }
        boolean needsEntry = !(instrument instanceof EuropeanOption);
        if (needsEntry) {
            if (Double.isNaN(entryPrice)) {
                throw new InputException(field + ".entryPrice", "required for perpetuals and futures");
            }
            checkEntry(entryPrice, field);
        } else if (!Double.isNaN(entryPrice)) {
            checkEntry(entryPrice, field);
        }
        return new Position(instrument, size, needsEntry ? entryPrice : Double.NaN);
    }

    private static void checkEntry(double entryPrice, String field) {
        if (!Double.isFinite(entryPrice) || entryPrice <= 0 || entryPrice > 1e12) {
            throw new InputException(field + ".entryPrice", "entry price must be positive and finite (USD), got "
                + entryPrice);
        }
    }

    /** The same position with size multiplied by {@code factor}. */
    public Position scaled(double factor) {
        return new Position(instrument, size * factor, entryPrice);
    }
}
