package io.upm.engine.command;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import java.time.Instant;

/** The checks of the commands' fields, each throwing an {@link InputException} naming the field. Stateless. */
final class CommandChecks {
    /** The earliest command time: the start of year 0000 (as far as a four-digit ISO-8601 year goes). */
    static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");
    /** The latest command time: the end of year 9999. */
    static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private CommandChecks() {
    }

    static Instant time(Instant time) {
        if (time == null) {
            throw new InputException("time", "missing required field");
        }
        if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
            throw new InputException("time", "out of range (years 0000 to 9999): " + time);
        }
        return time;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new InputException(field, "missing required field");
        }
        return value;
    }

    static String id(String value, String field) {
        present(value, field);
        if (value.isBlank()) {
            throw new InputException(field, "must not be blank");
        }
        return value;
    }

    static String asset(String value, String field) {
        present(value, field);
        return InstrumentNames.requireAssetCode(value, field);
    }

    static double finite(double value, String field) {
        if (!Double.isFinite(value)) {
            throw new InputException(field, "must be a finite number, got " + value);
        }
        return value;
    }

    static double positive(double value, String field) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new InputException(field, "must be positive, got " + value);
        }
        return value;
    }

    static double price(double value, String field) {
        if (!(value > 0) || value > MarketSnapshot.MAX_PRICE) {
            throw new InputException(field, "must be a positive price of at most " + (long) MarketSnapshot.MAX_PRICE
                + ", got " + value);
        }
        return value;
    }

    static double nonZero(double value, String field) {
        finite(value, field);
        if (value == 0) {
            throw new InputException(field, "must not be zero");
        }
        return value;
    }
}
