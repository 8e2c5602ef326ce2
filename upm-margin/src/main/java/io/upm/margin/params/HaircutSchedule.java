package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.input.ValueRange;
import java.util.Arrays;

/**
 * A tiered haircut on the USD value of a positive balance, applied like tax brackets: the part of the
 * value up to the first bound takes the first rate, the part between the first and second bound the
 * second, and so on; the last rate applies above the last bound (MODEL.md section 6). Immutable and always
 * valid. In a parameters file it is the list of tiers {@code [{upToUsd, rate}, ..., {rate}]}, and its errors
 * name a tier's value relative to the list ({@code [1].upToUsd}), for the caller to put under the list's
 * path with {@link InputException#under(String)}.
 *
 * @param upToUsd upper bounds of the brackets in USD, strictly increasing (one fewer than rates)
 * @param rates   haircut fraction of each bracket, in [0, 1]
 */
public record HaircutSchedule(double[] upToUsd, double[] rates) {
    /** The key of a tier's upper bound. */
    public static final String UP_TO_USD = "upToUsd";
    /** The key of a tier's rate. */
    public static final String RATE = "rate";
    /** Most tiers a schedule may have. */
    public static final int MAX_TIERS = 32;
    /** The bounds a tier's upper bound may take, USD. */
    public static final ValueRange BOUND_RANGE = ValueRange.aboveTo(0, 1e15);
    /** The rates a tier may take, a fraction of the bracket's USD value. */
    public static final ValueRange RATE_RANGE = ValueRange.closed(0, 1);

    /**
     * A validated schedule: at most {@link #MAX_TIERS} tiers, bounds in {@link #BOUND_RANGE} and strictly
     * increasing, rates in {@link #RATE_RANGE}.
     *
     * @throws IllegalArgumentException if there is not exactly one more rate than bounds
     * @throws InputException           naming the tier's value ({@code [1].upToUsd}, {@code [0].rate}), or the
     *                                  schedule as a whole (field "") for too many tiers
     */
    public HaircutSchedule {
        if (rates.length != upToUsd.length + 1) {
            throw new IllegalArgumentException("a schedule needs one more rate than bounds");
        }
        if (rates.length > MAX_TIERS) {
            throw new InputException("", "at most " + MAX_TIERS + " tiers, got " + rates.length);
        }
        for (int i = 0; i < rates.length; i++) {
            if (i < upToUsd.length) {
                String bound = "[" + i + "]." + UP_TO_USD;
                BOUND_RANGE.check(upToUsd[i], bound);
                if (i > 0 && !(upToUsd[i] > upToUsd[i - 1])) {
                    throw new InputException(bound, "bounds must be strictly increasing, got "
                        + ValueRange.format(upToUsd[i]) + " after " + ValueRange.format(upToUsd[i - 1]));
                }
            }
            RATE_RANGE.check(rates[i], "[" + i + "]." + RATE);
        }
        upToUsd = upToUsd.clone();
        rates = rates.clone();
    }

    /** A schedule from alternating bound, rate, bound, rate, ..., final rate. */
    public static HaircutSchedule of(double... boundsAndRates) {
        int n = boundsAndRates.length / 2;
        double[] b = new double[n];
        double[] r = new double[n + 1];
        for (int i = 0; i < n; i++) {
            b[i] = boundsAndRates[2 * i];
            r[i] = boundsAndRates[2 * i + 1];
        }
        r[n] = boundsAndRates[boundsAndRates.length - 1];
        return new HaircutSchedule(b, r);
    }

    /** The haircut in USD on a balance worth {@code valueUsd} (0 for a non-positive value). */
    public double haircutUsd(double valueUsd) {
        if (valueUsd <= 0) {
            return 0.0;
        }
        double haircut = 0.0;
        double lower = 0.0;
        for (int i = 0; i < upToUsd.length; i++) {
            if (valueUsd <= upToUsd[i]) {
                return haircut + (valueUsd - lower) * rates[i];
            }
            haircut += (upToUsd[i] - lower) * rates[i];
            lower = upToUsd[i];
        }
        return haircut + (valueUsd - lower) * rates[rates.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HaircutSchedule h && Arrays.equals(upToUsd, h.upToUsd) && Arrays.equals(rates, h.rates);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(upToUsd) + Arrays.hashCode(rates);
    }

    @Override
    public String toString() {
        return "HaircutSchedule" + Arrays.toString(upToUsd) + Arrays.toString(rates);
    }
}
