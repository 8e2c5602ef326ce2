package io.upm.backtest.carry;

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
 * The funding rates of one perpetual: one rate per funding time (a fraction of the notional per period,
 * positive when longs pay shorts; ../shared/data/market/SOURCES.md), the time being the instant the funding
 * is exchanged (Binance 00/08/16 UTC, BitMEX 04/12/20 UTC). Immutable and thread-safe; queries do not
 * allocate.
 */
public final class FundingSeries {
    /** Largest absolute rate per period accepted (100%), to catch a misread column. */
    public static final double MAX_ABS_RATE = 1.0;

    private final String source;
    private final long[] timesMillis;
    private final double[] rates;

    private FundingSeries(String source, long[] timesMillis, double[] rates) {
        this.source = source;
        this.timesMillis = timesMillis;
        this.rates = rates;
    }

    /**
     * A series from arrays (synthetic tests, embedding).
     *
     * @param source      what the series is, for messages
     * @param timesMillis funding times, epoch milliseconds, strictly increasing
     * @param rates       the rate exchanged at each time, finite, |rate| &lt;= {@value #MAX_ABS_RATE}
     * @throws InputException naming {@code rates[i]} or {@code times[i]} when a value is invalid
     */
    public static FundingSeries of(String source, long[] timesMillis, double[] rates) {
        if (timesMillis.length != rates.length) {
            throw new InputException("rates", rates.length + " rates for " + timesMillis.length + " times");
        }
        for (int i = 0; i < rates.length; i++) {
            checkRate(rates[i], "rates[" + i + "]");
            if (i > 0 && timesMillis[i] <= timesMillis[i - 1]) {
                throw new InputException("times[" + i + "]", "times must increase: " + Instant.ofEpochMilli(timesMillis[i])
                    + " after " + Instant.ofEpochMilli(timesMillis[i - 1]));
            }
        }
        return new FundingSeries(source, timesMillis.clone(), rates.clone());
    }

    /**
     * Reads a funding CSV of ../shared/data/market: a header with {@code timestamp} (YYYY-MM-DDTHH:MM:SSZ, the
     * funding time) and {@code funding_rate} (a fraction per period); other columns are ignored.
     *
     * @throws InputException naming the file (and the line and column) when it is missing, unreadable or
     *                        malformed (bad time, times out of order, a rate that is not a number or too large)
     */
    public static FundingSeries read(Path file) {
        String name = file.toString();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        long[] times = new long[1024];
        double[] values = new double[1024];
        int n = 0;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String column : new String[] {"timestamp", "funding_rate"}) {
                if (header == null || !header.containsKey(column)) {
                    throw new InputException(name + ":1", "missing column \"" + column + "\"");
                }
            }
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (!r.isConsistent()) {
                    throw new InputException(name + ":" + line, "expected " + header.size() + " columns, found " + r.size());
                }
                long t;
                try {
                    t = Instant.parse(r.get("timestamp")).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new InputException(name + ":" + line + ":timestamp", "not a time YYYY-MM-DDTHH:MM:SSZ: \""
                        + r.get("timestamp") + "\"");
                }
                if (n > 0 && t <= times[n - 1]) {
                    throw new InputException(name + ":" + line + ":timestamp", "times must increase: "
                        + Instant.ofEpochMilli(t) + " after " + Instant.ofEpochMilli(times[n - 1]));
                }
                double rate;
                try {
                    rate = Double.parseDouble(r.get("funding_rate"));
                } catch (NumberFormatException e) {
                    throw new InputException(name + ":" + line + ":funding_rate", "not a number: \""
                        + r.get("funding_rate") + "\"");
                }
                checkRate(rate, name + ":" + line + ":funding_rate");
                if (n == times.length) {
                    times = Arrays.copyOf(times, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                times[n] = t;
                values[n] = rate;
                n++;
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name, "file not found");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new InputException(name, "cannot read: " + e.getMessage());
        }
        if (n == 0) {
            throw new InputException(name, "no rows");
        }
        return new FundingSeries(name, Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }

    /**
     * This series where it has data and {@code earlier} before its first time: a longer history from two sources
     * (BitMEX before Binance's first period).
     */
    public FundingSeries after(FundingSeries earlier) {
        int keep = earlier.lowerCount(timesMillis[0]);
        long[] t = new long[keep + timesMillis.length];
        double[] r = new double[t.length];
        System.arraycopy(earlier.timesMillis, 0, t, 0, keep);
        System.arraycopy(earlier.rates, 0, r, 0, keep);
        System.arraycopy(timesMillis, 0, t, keep, timesMillis.length);
        System.arraycopy(rates, 0, r, keep, rates.length);
        return new FundingSeries(earlier.source + " then " + source, t, r);
    }

    /** What the series is (file names). */
    public String source() {
        return source;
    }

    /** The number of funding times. */
    public int size() {
        return rates.length;
    }

    /** The first funding time, epoch milliseconds. */
    public long firstMillis() {
        return timesMillis[0];
    }

    /** The last funding time, epoch milliseconds. */
    public long lastMillis() {
        return timesMillis[timesMillis.length - 1];
    }

    /** The {@code i}-th funding time, epoch milliseconds. */
    public long timeMillis(int i) {
        return timesMillis[i];
    }

    /** The {@code i}-th rate. */
    public double rate(int i) {
        return rates[i];
    }

    /** The sum of the rates exchanged at times in {@code (fromExclusive, toInclusive]}, epoch milliseconds. */
    public double sum(long fromExclusive, long toInclusive) {
        double s = 0.0;
        for (int i = upperCount(fromExclusive); i < rates.length && timesMillis[i] <= toInclusive; i++) {
            s += rates[i];
        }
        return s;
    }

    /** The number of funding times in {@code (fromExclusive, toInclusive]}. */
    public int count(long fromExclusive, long toInclusive) {
        return Math.max(0, upperCount(toInclusive) - upperCount(fromExclusive));
    }

    /** How many times are strictly before {@code t}. */
    private int lowerCount(long t) {
        int i = Arrays.binarySearch(timesMillis, t);
        return i >= 0 ? i : -i - 1;
    }

    /** How many times are at or before {@code t}. */
    private int upperCount(long t) {
        int i = Arrays.binarySearch(timesMillis, t);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private static void checkRate(double rate, String field) {
        if (!Double.isFinite(rate) || Math.abs(rate) > MAX_ABS_RATE) {
            throw new InputException(field, "a funding rate must be a finite fraction within +-" + MAX_ABS_RATE
                + " per period, got " + rate);
        }
    }
}
