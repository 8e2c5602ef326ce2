package io.upm.input;

/**
 * One numeric option of a parameter set, defined once: the key that names it in a parameters file, its
 * unit, its default and the values it may take. The parameter records ({@code MarginParameters},
 * {@code AssetParameters}, {@code MarketSanityBands}) declare one constant per option, their builders start
 * from {@link #defaultValue()}, their constructors {@link #check} every value, and the file readers and
 * writers use {@link #key()}. Immutable.
 *
 * @param key          the option's key in a parameters file and its record component's name, e.g. {@code offsetCap}
 * @param unit         its unit, in words ({@code fraction of the index}, {@code USD}, {@code years})
 * @param defaultValue its default (for a per-asset option: that of any asset the defaults do not name)
 * @param range        the values it may take; the default is one of them
 */
public record NumberOption(String key, String unit, double defaultValue, ValueRange range) {

    /** A validated option: its default lies within its range. */
    public NumberOption {
        if (key == null || key.isEmpty() || unit == null || range == null) {
            throw new IllegalArgumentException("an option needs a key, a unit and a range");
        }
        if (!range.contains(defaultValue)) {
            throw new IllegalArgumentException(key + ": default " + defaultValue + " is not " + range);
        }
    }

    /**
     * A real-valued option.
     *
     * @param key          its key
     * @param unit         its unit, in words
     * @param defaultValue its default
     * @param range        the values it may take
     * @return the option
     */
    public static NumberOption of(String key, String unit, double defaultValue, ValueRange range) {
        return new NumberOption(key, unit, defaultValue, range);
    }

    /**
     * An integer-valued option in [min, max].
     *
     * @param key          its key
     * @param unit         its unit, in words
     * @param defaultValue its default
     * @param min          least value
     * @param max          greatest value
     * @return the option
     */
    public static NumberOption integer(String key, String unit, int defaultValue, int min, int max) {
        return new NumberOption(key, unit, defaultValue, ValueRange.integers(min, max));
    }

    /** The default of an integer-valued option. */
    public int intDefault() {
        return (int) defaultValue;
    }

    /**
     * Returns {@code value} if the option accepts it.
     *
     * @param value  the value
     * @param parent the path of the object holding the option ("" at the root); the error's field is
     *               {@code parent.key}
     * @return {@code value}
     * @throws InputException as {@link ValueRange#check(double, String)}
     */
    public double check(double value, String parent) {
        return range.check(value, path(parent));
    }

    /**
     * The option's path below {@code parent}: {@code parent.key}, or {@code key} at the root.
     *
     * @param parent the parent's path; "" for the root
     * @return the path
     */
    public String path(String parent) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
