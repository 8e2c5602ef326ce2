package io.upm.backtest;

import io.upm.input.InputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The closes of one CSV price file of {@code ../shared/data/market} (SOURCES.md): a header row, a time column
 * ({@code date} = YYYY-MM-DD for daily bars, {@code timestamp} = YYYY-MM-DDTHH:MM:SSZ, the bar's open time,
 * for intraday bars), a {@code close} column and any others (ignored). The one reader of those files for the
 * backtest's {@link DailyHistory} and the quote feed ({@code io.upm.backtest.feed}).
 *
 * <p>Strict: times strictly increasing, closes positive and finite; anything else is an {@link InputException}
 * whose field names the file, the line and the column ({@code btc_usdt_binance_1d.csv:3:close}). Immutable.
 */
public final class CloseSeries {

    /** The column that holds a bar's time. */
    public enum TimeColumn {
        /** {@code date}, YYYY-MM-DD: a daily bar, open at 00:00 UTC. */
        DATE("date"),
        /** {@code timestamp}, YYYY-MM-DDTHH:MM:SSZ: the bar's open time, UTC. */
        TIMESTAMP("timestamp");

        private final String header;

        TimeColumn(String header) {
            this.header = header;
        }

        /** The column's name in the header. */
        public String header() {
            return header;
        }
    }

    private final String file;
    private final long[] openMillis;
    private final double[] closes;

    private CloseSeries(String file, long[] openMillis, double[] closes) {
        this.file = file;
        this.openMillis = openMillis;
        this.closes = closes;
    }

    /**
     * Reads {@code file}, strictly: every row has a close.
     *
     * @param column the time column the file must have
     * @throws InputException naming the file (and the line and column) when it is missing, unreadable or
     *                        malformed (bad time, empty, non-positive or non-numeric close, times out of order)
     */
    public static CloseSeries read(Path file, TimeColumn column) {
        return read(file, column, false);
    }

    /**
     * Reads {@code file}.
     *
     * @param column    the time column the file must have
     * @param allowGaps whether a row with an empty close is a bar without a price, left out (Kraken's USDT/USD
     *                  file has 69 such days); otherwise it is an error
     * @throws InputException naming the file (and the line and column) when it is missing, unreadable or
     *                        malformed (bad time, non-positive or non-numeric close, times out of order)
     */
    public static CloseSeries read(Path file, TimeColumn column, boolean allowGaps) {
        String name = file.toString();
        String timeHeader = column.header();
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .get();
        long[] times = new long[1024];
        double[] values = new double[1024];
        int n = 0;
        int rows = 0;
        long previous = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || !header.containsKey(timeHeader)) {
                throw new InputException(name + ":1", "missing column \"" + timeHeader + "\"");
            }
            if (!header.containsKey("close")) {
                throw new InputException(name + ":1", "missing column \"close\"");
            }
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (!r.isConsistent()) {
                    throw new InputException(name + ":" + line, "expected " + header.size() + " columns, found " + r.size());
                }
                long t = parseTime(r.get(timeHeader), column, name + ":" + line + ":" + timeHeader);
                if (rows > 0 && t <= previous) {
                    throw new InputException(name + ":" + line + ":" + timeHeader, (column == TimeColumn.DATE
                        ? "dates must increase: " + date(t) + " after " + date(previous)
                        : "times must increase: " + Instant.ofEpochMilli(t) + " after " + Instant.ofEpochMilli(previous)));
                }
                previous = t;
                rows++;
                String cs = r.get("close");
                if (allowGaps && cs.isEmpty()) {
                    continue;
                }
                double c;
                try {
                    c = Double.parseDouble(cs);
                } catch (NumberFormatException e) {
                    throw new InputException(name + ":" + line + ":close", "not a number: \"" + cs + "\"");
                }
                if (!(c > 0) || Double.isInfinite(c)) {
                    throw new InputException(name + ":" + line + ":close", "must be positive and finite: " + cs);
                }
                if (n == times.length) {
                    times = Arrays.copyOf(times, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                times[n] = t;
                values[n] = c;
                n++;
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name, "file not found");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new InputException(name, "cannot read: " + e.getMessage());
        }
        return new CloseSeries(name, Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }

    private static long parseTime(String text, TimeColumn column, String field) {
        try {
            return column == TimeColumn.DATE
                ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                : Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InputException(field, (column == TimeColumn.DATE ? "not a date YYYY-MM-DD: \""
                : "not a time YYYY-MM-DDTHH:MM:SSZ: \"") + text + "\"");
        }
    }

    private static LocalDate date(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    /** The file, as given. */
    public String file() {
        return file;
    }

    /** The number of bars. */
    public int size() {
        return closes.length;
    }

    /** The open time of bar {@code i}, epoch milliseconds UTC (a daily bar opens at 00:00 UTC of its date). */
    public long openMillis(int i) {
        return openMillis[i];
    }

    /** The UTC date of bar {@code i}'s open. */
    public LocalDate date(int i) {
        return date(openMillis[i]);
    }

    /** The close of bar {@code i}, in the file's quote currency. */
    public double close(int i) {
        return closes[i];
    }

    /** The closes by the UTC date of each bar's open (for daily files: one per row). */
    public TreeMap<LocalDate, Double> closesByDate() {
        TreeMap<LocalDate, Double> out = new TreeMap<>();
        for (int i = 0; i < closes.length; i++) {
            out.put(date(i), closes[i]);
        }
        return out;
    }
}
