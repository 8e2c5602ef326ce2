package io.upm.input;

/**
 * The values a numeric option may take: an interval of doubles, or of integers, printed as
 * {@code in (0, 1]} or {@code an integer in [1, 16]}. {@link #check} turns a value outside it into an
 * {@link InputException} naming the option's path, worded as the document readers word a bad value
 * ({@code must be in [0, 1], got 1.5}). NaN and infinities are outside every range. Immutable.
 *
 * @param min          lower bound
 * @param minInclusive whether the lower bound is accepted
 * @param max          upper bound
 * @param maxInclusive whether the upper bound is accepted
 * @param integral     whether only integers are accepted
 */
public record ValueRange(double min, boolean minInclusive, double max, boolean maxInclusive, boolean integral) {

    /** A validated range. */
    public ValueRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("not a range: " + min + ", " + max);
        }
    }

    /**
     * [min, max].
     *
     * @param min lower bound, accepted
     * @param max upper bound, accepted
     * @return the range
     */
    public static ValueRange closed(double min, double max) {
        return new ValueRange(min, true, max, true, false);
    }

    /**
     * (min, max].
     *
     * @param min lower bound, not accepted
     * @param max upper bound, accepted
     * @return the range
     */
    public static ValueRange aboveTo(double min, double max) {
        return new ValueRange(min, false, max, true, false);
    }

    /**
     * The integers in [min, max].
     *
     * @param min least integer accepted
     * @param max greatest integer accepted
     * @return the range
     */
    public static ValueRange integers(int min, int max) {
        return new ValueRange(min, true, max, true, true);
    }

    /**
     * Whether the range accepts {@code v}.
     *
     * @param v a value
     * @return true if it is within the bounds (and an integer, for an integral range)
     */
    public boolean contains(double v) {
        return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max)
            && (!integral || v == Math.rint(v));
    }

    /**
     * Returns {@code v} if the range accepts it.
     *
     * @param v     a value
     * @param field the path of the value, the field of the error
     * @return {@code v}
     * @throws InputException {@code expected an integer, got 4.5} for a fraction in an integral range, else
     *                        {@code must be in [0, 1], got 1.5}
     */
    public double check(double v, String field) {
        if (contains(v)) {
            return v;
        }
        if (integral && Double.isFinite(v) && v != Math.rint(v)) {
            throw new InputException(field, "expected an integer, got " + format(v));
        }
        throw new InputException(field, "must be " + this + ", got " + format(v));
    }

    @Override
    public String toString() {
        return (integral ? "an integer in " : "in ") + (minInclusive ? "[" : "(") + format(min) + ", " + format(max)
            + (maxInclusive ? "]" : ")");
    }

    /**
     * A number as a reader would write it: an integer without a fraction ({@code 5}, {@code 1000000000000}),
     * anything else as {@link Double#toString(double)} ({@code 1.5}, {@code 1.0E-300}).
     *
     * @param v a value
     * @return its text
     */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
    }
}
