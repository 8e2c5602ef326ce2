package io.upm.backtest.simulate;

import io.upm.input.InputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The intraday bars of one OHLCV file of {@code ../shared/data/market} ({@code timestamp,open,high,low,close,volume},
 * the timestamp being the bar's open time, UTC; volume in the base asset). Strict: times strictly increasing and on
 * whole minutes, prices positive and finite with low &lt;= open, close &lt;= high, volume &gt;= 0; anything else is an
 * {@link InputException} naming the file, the line and the column. Immutable.
 */
public final class OhlcBars {
    private final String file;
    private final long[] openMinute;
    private final double[][] ohlcv;

    private OhlcBars(String file, long[] openMinute, double[][] ohlcv) {
        this.file = file;
        this.openMinute = openMinute;
        this.ohlcv = ohlcv;
    }

    /** Bars from arrays (tests and synthetic paths): open times in epoch minutes, one row {o, h, l, c, v} per bar. */
    public static OhlcBars of(String name, long[] openMinute, double[][] ohlcv) {
        for (int i = 0; i < openMinute.length; i++) {
            check(name + ":" + (i + 1), ohlcv[i]);
            if (i > 0 && openMinute[i] <= openMinute[i - 1]) {
                throw new InputException(name + ":" + (i + 1) + ":timestamp", "times must increase");
            }
        }
        return new OhlcBars(name, openMinute.clone(), ohlcv.clone());
    }

    /**
     * Reads a file.
     *
     * @throws InputException naming the file (line, column) when it is missing, unreadable or malformed
     */
    public static OhlcBars read(Path path) {
        String name = path.getFileName().toString();
        CSVFormat format = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        long[] times = new long[4096];
        double[][] rows = new double[4096][];
        int n = 0;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String c : new String[] {"timestamp", "open", "high", "low", "close", "volume"}) {
                if (header == null || !header.containsKey(c)) {
                    throw new InputException(name + ":1", "missing column \"" + c + "\"");
                }
            }
            for (CSVRecord r : parser) {
                String at = name + ":" + parser.getCurrentLineNumber();
                long millis;
                try {
                    millis = Instant.parse(r.get("timestamp")).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new InputException(at + ":timestamp", "not a time YYYY-MM-DDTHH:MM:SSZ: \"" + r.get("timestamp") + "\"");
                }
                if (millis % 60_000L != 0) {
                    throw new InputException(at + ":timestamp", "not on a whole minute: " + r.get("timestamp"));
                }
                long minute = millis / 60_000L;
                if (n > 0 && minute <= times[n - 1]) {
                    throw new InputException(at + ":timestamp", "times must increase: " + r.get("timestamp"));
                }
                double[] row = new double[5];
                String[] cols = {"open", "high", "low", "close", "volume"};
                for (int k = 0; k < 5; k++) {
                    try {
                        row[k] = Double.parseDouble(r.get(cols[k]));
                    } catch (NumberFormatException e) {
                        throw new InputException(at + ":" + cols[k], "not a number: \"" + r.get(cols[k]) + "\"");
                    }
                }
                check(at, row);
                if (n == times.length) {
                    times = Arrays.copyOf(times, 2 * n);
                    rows = Arrays.copyOf(rows, 2 * n);
                }
                times[n] = minute;
                rows[n] = row;
                n++;
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name, "file not found");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new InputException(name, "cannot read: " + e.getMessage());
        }
        return new OhlcBars(name, Arrays.copyOf(times, n), Arrays.copyOf(rows, n));
    }

    private static void check(String at, double[] row) {
        String[] cols = {"open", "high", "low", "close"};
        for (int k = 0; k < 4; k++) {
            if (!(row[k] > 0) || Double.isInfinite(row[k])) {
                throw new InputException(at + ":" + cols[k], "must be positive and finite: " + row[k]);
            }
        }
        if (!(row[4] >= 0) || Double.isInfinite(row[4])) {
            throw new InputException(at + ":volume", "must be >= 0 and finite: " + row[4]);
        }
        double lo = Math.min(row[0], row[3]);
        double hi = Math.max(row[0], row[3]);
        if (row[2] > lo || row[1] < hi) {
            throw new InputException(at + ":low", "low and high must bracket open and close");
        }
    }

    /** The file's name. */
    public String file() {
        return file;
    }

    /** Number of bars. */
    public int size() {
        return openMinute.length;
    }

    /** Open time of bar i, epoch minutes. */
    public long openMinute(int i) {
        return openMinute[i];
    }

    /** The bar length, minutes: the smallest gap between two bars (60 for one bar). */
    public long barMinutes() {
        long m = Long.MAX_VALUE;
        for (int i = 1; i < openMinute.length; i++) {
            m = Math.min(m, openMinute[i] - openMinute[i - 1]);
        }
        return m == Long.MAX_VALUE ? 60 : m;
    }

    /** Open, high, low, close of bar i (quote currency). */
    public double open(int i) {
        return ohlcv[i][0];
    }

    /** High of bar i. */
    public double high(int i) {
        return ohlcv[i][1];
    }

    /** Low of bar i. */
    public double low(int i) {
        return ohlcv[i][2];
    }

    /** Close of bar i. */
    public double close(int i) {
        return ohlcv[i][3];
    }

    /** Volume of bar i, base asset units. */
    public double volume(int i) {
        return ohlcv[i][4];
    }

    /** The index of the first bar opening at or after {@code minute} (size() when none). */
    public int firstAtOrAfter(long minute) {
        int k = Arrays.binarySearch(openMinute, minute);
        return k >= 0 ? k : -k - 1;
    }
}
