package io.upm.formats.venue;

import io.upm.input.InputException;
import io.upm.product.ExpiryCodes;
import io.upm.product.InstrumentNames;
import io.upm.product.Position;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * What the venue readers share: expiry dates in the venues' notations turned into FORMATS.md's expiry codes, and
 * a venue's position turned into a validated UPM {@link Position} whose errors name the venue's own fields.
 */
final class VenueInstruments {
    /** Bybit's futures month letters, January to December (the CME convention). */
    private static final String MONTH_LETTERS = "FGHJKMNQUVXZ";

    private VenueInstruments() {
    }

    /**
     * The FORMATS.md expiry code ({@code 28MAR25}) of a {@code YYMMDD} date ({@code 250328}), as OKX and Binance
     * write expiries.
     *
     * @throws InputException naming {@code field} if it is not such a date
     */
    static String expiryOfYymmdd(String yymmdd, String field) {
        if (!yymmdd.matches("\\d{6}")) {
            throw new InputException(field, "expiry \"" + yymmdd + "\" is not YYMMDD");
        }
        try {
            LocalDate d = LocalDate.of(2000 + Integer.parseInt(yymmdd.substring(0, 2)),
                Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6)));
            return ExpiryCodes.format(d.atTime(8, 0).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            throw new InputException(field, "expiry \"" + yymmdd + "\" is not a calendar date");
        }
    }

    /**
     * The FORMATS.md expiry code of a Bybit inverse future's month letter and two-digit year ({@code H25}): the last
     * Friday of that month, when Bybit's quarterly inverse futures expire (08:00 UTC).
     *
     * @throws InputException naming {@code field} for an unknown month letter
     */
    static String expiryOfMonthLetter(char letter, String yy, String field) {
        int month = MONTH_LETTERS.indexOf(letter) + 1;
        if (month == 0) {
            throw new InputException(field, "unknown futures month letter '" + letter + "' (expected one of "
                + MONTH_LETTERS + ")");
        }
        LocalDate lastFriday = LocalDate.of(2000 + Integer.parseInt(yy), month, 1)
            .with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY));
        return ExpiryCodes.format(lastFriday.atTime(8, 0).toInstant(ZoneOffset.UTC));
    }

    /**
     * A validated position held at {@code venue}, with errors named after the venue's fields.
     *
     * @param venue      the venue
     * @param name       the FORMATS.md instrument name the venue's instrument maps to
     * @param size       the size in UPM's unit (USD for inverse perpetuals and futures, coin otherwise)
     * @param entryPrice the entry price in USD; ignored for options
     * @param path       the path of the venue's position object
     * @param nameKey    the venue's key of the instrument, for errors
     * @param sizeKey    the venue's key of the size
     * @param entryKey   the venue's key of the entry price
     */
    static Position position(Venue venue, String name, double size, double entryPrice, String path, String nameKey,
                             String sizeKey, String entryKey) {
        var instrument = InstrumentNames.parse(name, path + "." + nameKey);
        try {
            return Position.of(instrument, size, entryPrice, path).withVenue(venue.wireName(), path);
        } catch (InputException e) {
            String f = e.field();
            String renamed = f.endsWith(".size") ? path + "." + sizeKey
                : f.endsWith(".entryPrice") ? path + "." + entryKey : f;
            throw new InputException(renamed, e.problem());
        }
    }

    /** The error for an instrument name the venue reader does not know. */
    static InputException unknownInstrument(String field, String name, String expected) {
        return new InputException(field, "unknown instrument \"" + name + "\" (expected " + expected + ")");
    }
}
