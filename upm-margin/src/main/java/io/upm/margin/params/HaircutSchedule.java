package io.upm.margin.params;

import java.util.Arrays;

/**
 * A tiered haircut on the USD value of a positive balance, applied like tax brackets: the part of the
 * value up to the first bound takes the first rate, the part between the first and second bound the
 * second, and so on; the last rate applies above the last bound (MODEL.md section 6). Immutable.
 *
 * @param upToUsd upper bounds of the brackets in USD, strictly increasing (one fewer than rates)
 * @param rates   haircut fraction of each bracket, in [0, 1]
 */
public record HaircutSchedule(double[] upToUsd, double[] rates) {
    /** A validated schedule. */
    public HaircutSchedule {
        if (rates.length != upToUsd.length + 1) {
            throw new IllegalArgumentException("a schedule needs one more rate than bounds");
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
