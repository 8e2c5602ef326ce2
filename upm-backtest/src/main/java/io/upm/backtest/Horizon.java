package io.upm.backtest;

import io.upm.backtest.feed.BarInterval;
import io.upm.input.InputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The P&amp;L horizon of a backtest (the margin period of risk it tests): a number of days ({@code 1d} to
 * {@code 365d}, on the daily closes) or one intraday bar ({@code 1h}, {@code 2h}, {@code 4h}, on Binance's bars
 * of that length). Exactly one of {@link #days} and {@link #hours} is positive.
 *
 * @param days  the horizon in days, or 0 for an intraday horizon
 * @param hours the horizon in hours (1, 2 or 4), or 0 for a horizon in days
 */
public record Horizon(int days, int hours) {
    /** Longest horizon in days. */
    public static final int MAX_DAYS = 365;

    private static final Pattern DAYS = Pattern.compile("(\\d{1,3})d?");
    private static final Pattern HOURS = Pattern.compile("(\\d{1,2})h");

    /** Checks that exactly one of the two is set and in range. */
    public Horizon {
        if ((days > 0) == (hours > 0) || days < 0 || days > MAX_DAYS || (hours > 0 && hours != 1 && hours != 2
            && hours != 4)) {
            throw new InputException("--horizon", "expected 1d to " + MAX_DAYS + "d, 1h, 2h or 4h, got days " + days
                + ", hours " + hours);
        }
    }

    /** A horizon of {@code n} days. */
    public static Horizon ofDays(int n) {
        return new Horizon(n, 0);
    }

    /**
     * Parses {@code 1d}..{@code 365d} (a bare number is days) or {@code 1h}, {@code 2h}, {@code 4h}.
     *
     * @throws InputException (field {@code --horizon}) for anything else
     */
    public static Horizon parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher d = DAYS.matcher(t);
        if (d.matches()) {
            int n = Integer.parseInt(d.group(1));
            if (n >= 1 && n <= MAX_DAYS) {
                return ofDays(n);
            }
        }
        Matcher h = HOURS.matcher(t);
        if (h.matches()) {
            int n = Integer.parseInt(h.group(1));
            if (n == 1 || n == 2 || n == 4) {
                return new Horizon(0, n);
            }
        }
        throw new InputException("--horizon", "expected a number of days from 1d to " + MAX_DAYS
            + "d, or an intraday bar 1h, 2h or 4h, got \"" + text + "\"");
    }

    /** Whether the horizon is one intraday bar. */
    public boolean isIntraday() {
        return hours > 0;
    }

    /** The bar length of an intraday horizon, {@link BarInterval#D1} for a horizon in days. */
    public BarInterval barInterval() {
        return switch (hours) {
            case 0 -> BarInterval.D1;
            case 1 -> BarInterval.H1;
            case 2 -> BarInterval.H2;
            default -> BarInterval.H4;
        };
    }

    /** The horizon as written on the command line: {@code 1d}, {@code 3d}, {@code 4h}. */
    public String code() {
        return isIntraday() ? hours + "h" : days + "d";
    }

    @Override
    public String toString() {
        return code();
    }
}
