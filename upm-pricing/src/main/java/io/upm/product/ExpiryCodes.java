package io.upm.product;

import io.upm.input.InputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Deribit expiry codes ({@code 27MAR26}, {@code 5JUN26}): day, upper-case month, two-digit year of
 * this century. Every expiry is at 08:00 UTC (MODEL.md section 1).
 */
public final class ExpiryCodes {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};

    private ExpiryCodes() {
    }

    /**
     * The expiry instant of a code.
     *
     * @param code  the code, e.g. {@code 27MAR26}
     * @param field the field it came from, for the error message
     * @throws InputException if the code is malformed or not a calendar date
     */
    public static Instant parse(String code, String field) {
        int n = code.length();
        if (n != 6 && n != 7) {
            throw new InputException(field, "expiry \"" + code + "\" is not DMMMYY or DDMMMYY");
        }
        String dayPart = code.substring(0, n - 5);
        String monthPart = code.substring(n - 5, n - 2);
        String yearPart = code.substring(n - 2);
        if (!isDigits(dayPart) || !isDigits(yearPart)) {
            throw new InputException(field, "expiry \"" + code + "\" is not DMMMYY or DDMMMYY");
        }
        int month = -1;
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(monthPart)) {
                month = i + 1;
            }
        }
        if (month < 0) {
            throw new InputException(field, "unknown expiry month \"" + monthPart + "\"");
        }
        int day = Integer.parseInt(dayPart);
        int year = 2000 + Integer.parseInt(yearPart);
        try {
            return LocalDate.of(year, month, day).atTime(8, 0).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new InputException(field, "expiry \"" + code + "\" is not a calendar date");
        }
    }

    /** The canonical code of an expiry instant's date ({@code 27MAR26}, day without a leading zero). */
    public static String format(Instant expiry) {
        LocalDate d = expiry.atZone(ZoneOffset.UTC).toLocalDate();
        return d.getDayOfMonth() + MONTHS[d.getMonthValue() - 1] + String.format(Locale.ROOT, "%02d", d.getYear() % 100);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
