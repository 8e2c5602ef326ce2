package io.upm.backtest.feed;

import io.upm.input.InputException;
import java.util.Locale;

/** The length of a price bar: daily, or Binance's intraday 4h, 2h and 1h bars. */
public enum BarInterval {
    /** One day, 00:00 to 24:00 UTC (files with a {@code date} column). */
    D1("1d", 86_400_000L),
    /** Four hours (files with a {@code timestamp} column, the bar's open time). */
    H4("4h", 4 * 3_600_000L),
    /** Two hours. */
    H2("2h", 2 * 3_600_000L),
    /** One hour. */
    H1("1h", 3_600_000L);

    private final String code;
    private final long millis;

    BarInterval(String code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** The code in file names and on the command line: {@code 1d}, {@code 4h}, {@code 2h}, {@code 1h}. */
    public String code() {
        return code;
    }

    /** The length in milliseconds: a bar's close is known at its open time plus this. */
    public long millis() {
        return millis;
    }

    /**
     * The interval of a code.
     *
     * @throws InputException (field {@code interval}) for anything but 1d, 4h, 2h, 1h
     */
    public static BarInterval parse(String code) {
        String c = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        for (BarInterval i : values()) {
            if (i.code.equals(c)) {
                return i;
            }
        }
        throw new InputException("interval", "expected 1d, 4h, 2h or 1h: \"" + code + "\"");
    }
}
