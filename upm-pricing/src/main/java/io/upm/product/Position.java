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
 * @param venue      the venue that holds the position ({@code deribit}, {@code okx}, ...; FORMATS.md's optional
 *                   {@code venue} field), or null when the portfolio does not say; it never changes a margin
 *                   figure, only the per-venue breakdown of the report
 */
public record Position(Instrument instrument, double size, double entryPrice, String venue) {
    /** Largest absolute size accepted, to catch overflowing input. */
    public static final double MAX_ABS_SIZE = 1e12;

    /** Longest venue name accepted. */
    public static final int MAX_VENUE_LENGTH = 32;

    /** A position that does not say which venue holds it. */
    public Position(Instrument instrument, double size, double entryPrice) {
        this(instrument, size, entryPrice, null);
    }

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

    /** The same position with size multiplied by {@code factor} (and the same venue). */
    public Position scaled(double factor) {
        return new Position(instrument, size * factor, entryPrice, venue);
    }

    /**
     * The same position held at {@code venue}.
     *
     * @param venue a venue name: 1 to {@value #MAX_VENUE_LENGTH} lower-case letters, digits, {@code -} or
     *              {@code _}, starting with a letter ({@code deribit}, {@code okx}, {@code binance}, {@code bybit},
     *              or any other venue the portfolio's author names)
     * @param field the field path of this position, e.g. {@code positions[2]}, for errors
     * @throws InputException naming {@code field.venue} for a malformed venue name
     */
    public Position withVenue(String venue, String field) {
        return new Position(instrument, size, entryPrice, requireVenueName(venue, field + ".venue"));
    }

    /**
     * Checks a venue name: 1 to {@value #MAX_VENUE_LENGTH} lower-case letters, digits, {@code -} or {@code _},
     * starting with a letter.
     *
     * @param venue the name; may be null
     * @param field the field it came from, for the error message
     * @return {@code venue}
     * @throws InputException naming {@code field} if it is not such a name
     */
    public static String requireVenueName(String venue, String field) {
        boolean ok = venue != null && !venue.isEmpty() && venue.length() <= MAX_VENUE_LENGTH
            && venue.charAt(0) >= 'a' && venue.charAt(0) <= 'z'
            && venue.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
        if (!ok) {
            throw new InputException(field, "\"" + venue + "\" is not a venue name (1 to " + MAX_VENUE_LENGTH
                + " lower-case letters, digits, - or _, starting with a letter)");
        }
        return venue;
    }
}
