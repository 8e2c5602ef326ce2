package io.upm.engine.index;

import io.upm.input.InputException;
import io.upm.margin.params.IndexSettings;
import io.upm.margin.params.IndexSettingsTable;
import java.time.Duration;

/**
 * The index parameters of one asset (MODEL.md section 9), as the index uses them (durations). Immutable; every
 * instance is valid: the canonical constructor checks each field with the option that defines it in
 * {@link IndexSettings} (the parameters file's {@code index} section, {@link IndexSettingsTable}) and throws an
 * {@link InputException} named by that option's key ({@code staleAfterSeconds}, {@code outlierBand}, ...), so a
 * value is valid here exactly when the parameters file accepts it. {@link #of(IndexSettings)} and
 * {@link #toSettings()} convert; {@link PriceIndex#PriceIndex(IndexSettingsTable)} builds an index from a
 * parameters file's section.
 *
 * <p>Defaults ({@link #DEFAULTS}, {@link #builder()}):
 * <table>
 * <caption>index parameters</caption>
 * <tr><th>field</th><th>default</th><th>unit, meaning</th></tr>
 * <tr><td>{@code staleAfter}</td><td>60 s</td><td>a source's last quote is fresh while its age (engine time
 *     minus the quote's time) is at most this; whole milliseconds, 1 ms to 3650 days. A replay of bars of
 *     interval I should use about 1.5 x I.</td></tr>
 * <tr><td>{@code outlierBand}</td><td>0.03</td><td>a fresh quote p is an outlier when |p - m| &gt; outlierBand x m,
 *     m the median of the fresh quotes; a fraction in (0, 1)</td></tr>
 * <tr><td>{@code quorumFraction}</td><td>0.5</td><td>the index needs fresh non-outlier quotes from <em>more
 *     than</em> this fraction of the sources that have ever quoted the asset; in [0, 1)</td></tr>
 * <tr><td>{@code minQuorum}</td><td>1</td><td>and from at least this many sources; 1 to 1000</td></tr>
 * <tr><td>{@code confidenceFactor}</td><td>1.0</td><td>multiplies the confidence add-on to IM; finite, &gt;= 0</td></tr>
 * <tr><td>{@code freeSpread}</td><td>0.005</td><td>the part of the confidence spread d that costs nothing:
 *     the add-on rate is confidenceFactor x max(0, d - freeSpread); a fraction in [0, 1)</td></tr>
 * <tr><td>{@code twapWindow}</td><td>30 min</td><td>the settlement price is the time-weighted average of the
 *     index over this window; whole milliseconds, 1 ms to 3650 days</td></tr>
 * <tr><td>{@code twapCapacity}</td><td>4096</td><td>the number of index changes the TWAP ring buffer keeps
 *     per asset (16 bytes each); 16 to 16,777,216. Beyond it the two oldest segments are merged into one
 *     with their time-weighted average (see {@link AssetIndex#twap()})</td></tr>
 * </table>
 *
 * @param staleAfter       how long a quote stays fresh
 * @param outlierBand      relative distance from the median beyond which a fresh quote is an outlier
 * @param quorumFraction   the quorum is more than this fraction of the sources ever seen
 * @param minQuorum        and at least this many sources
 * @param confidenceFactor weight of the confidence add-on to IM
 * @param freeSpread       confidence spread that costs no add-on
 * @param twapWindow       window of the settlement TWAP
 * @param twapCapacity     index changes kept for the TWAP, per asset
 */
public record IndexParameters(Duration staleAfter, double outlierBand, double quorumFraction, int minQuorum,
                              double confidenceFactor, double freeSpread, Duration twapWindow, int twapCapacity) {

    /** The longest {@code staleAfter} and {@code twapWindow} accepted. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    /**
     * MODEL.md section 9's defaults ({@link IndexSettings#DEFAULTS}): 60 s, 3%, more than half and at least 1,
     * 1.0, 0.5%, 30 min, 4096.
     */
    public static final IndexParameters DEFAULTS = of(IndexSettings.DEFAULTS);

    /**
     * Checks every field with its option in {@link IndexSettings}.
     *
     * @throws InputException naming the first bad field by its parameters-file key ({@code staleAfterSeconds},
     *                        {@code outlierBand}, ..., {@code twapWindowSeconds}, {@code twapCapacity})
     */
    public IndexParameters {
        checkDuration(IndexSettings.STALE_AFTER.key(), staleAfter);
        checkDuration(IndexSettings.TWAP_WINDOW.key(), twapWindow);
        new IndexSettings(staleAfter.toMillis() / 1000.0, outlierBand, quorumFraction, minQuorum, confidenceFactor,
            freeSpread, twapWindow.toMillis() / 1000.0, twapCapacity);
    }

    /** The parameters a parameters file's entry gives (its times rounded to the millisecond). */
    public static IndexParameters of(IndexSettings s) {
        return new IndexParameters(Duration.ofMillis(s.staleAfterMillis()), s.outlierBand(), s.quorumFraction(),
            s.minQuorum(), s.confidenceFactor(), s.freeSpread(), Duration.ofMillis(s.twapWindowMillis()),
            s.twapCapacity());
    }

    /** These parameters as a parameters file's entry ({@code of(p.toSettings()).equals(p)}). */
    public IndexSettings toSettings() {
        return new IndexSettings(staleAfter.toMillis() / 1000.0, outlierBand, quorumFraction, minQuorum,
            confidenceFactor, freeSpread, twapWindow.toMillis() / 1000.0, twapCapacity);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #staleAfter()} in milliseconds. */
    public long staleAfterMillis() {
        return staleAfter.toMillis();
    }

    /** {@link #twapWindow()} in milliseconds. */
    public long twapWindowMillis() {
        return twapWindow.toMillis();
    }

    /**
     * The quorum for {@code knownSources} sources ever seen: max(minQuorum, floor(quorumFraction x known) + 1),
     * i.e. more than half of them (at least one) by default: 1 of 1, 2 of 2, 2 of 3, 3 of 4, 3 of 5.
     */
    public int requiredQuorum(int knownSources) {
        return Math.max(minQuorum, (int) Math.floor(quorumFraction * knownSources) + 1);
    }

    /** The IM add-on rate for a confidence spread d: confidenceFactor x max(0, d - freeSpread); 0 for NaN. */
    public double confidenceAddOnRate(double spread) {
        double excess = spread - freeSpread;
        return excess > 0 ? confidenceFactor * excess : 0.0;
    }

    /** A duration that is null, out of range (checked before converting, which could overflow) or not whole ms. */
    private static void checkDuration(String field, Duration d) {
        if (d == null) {
            throw new InputException(field, "missing");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw new InputException(field, "must be from 1 ms to " + MAX_DURATION.toDays() + " days: " + d);
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw new InputException(field, "must be a whole number of milliseconds: " + d);
        }
    }

    /**
     * Builds {@link IndexParameters} field by field; {@link #build()} validates. Not thread-safe; each setter
     * returns this builder.
     */
    public static final class Builder {
        private Duration staleAfter;
        private double outlierBand;
        private double quorumFraction;
        private int minQuorum;
        private double confidenceFactor;
        private double freeSpread;
        private Duration twapWindow;
        private int twapCapacity;

        private Builder(IndexParameters p) {
            staleAfter = p.staleAfter;
            outlierBand = p.outlierBand;
            quorumFraction = p.quorumFraction;
            minQuorum = p.minQuorum;
            confidenceFactor = p.confidenceFactor;
            freeSpread = p.freeSpread;
            twapWindow = p.twapWindow;
            twapCapacity = p.twapCapacity;
        }

        /** How long a quote stays fresh (default 60 s). */
        public Builder staleAfter(Duration d) {
            staleAfter = d;
            return this;
        }

        /** Relative distance from the median beyond which a fresh quote is an outlier (default 0.03). */
        public Builder outlierBand(double band) {
            outlierBand = band;
            return this;
        }

        /** The quorum is more than this fraction of the sources ever seen (default 0.5). */
        public Builder quorumFraction(double fraction) {
            quorumFraction = fraction;
            return this;
        }

        /** The quorum is at least this many sources (default 1). */
        public Builder minQuorum(int n) {
            minQuorum = n;
            return this;
        }

        /** Weight of the confidence add-on to IM (default 1.0). */
        public Builder confidenceFactor(double f) {
            confidenceFactor = f;
            return this;
        }

        /** The confidence spread that costs no add-on (default 0.005). */
        public Builder freeSpread(double s) {
            freeSpread = s;
            return this;
        }

        /** The window of the settlement TWAP (default 30 min). */
        public Builder twapWindow(Duration d) {
            twapWindow = d;
            return this;
        }

        /** Index changes kept per asset for the TWAP (default 4096). */
        public Builder twapCapacity(int n) {
            twapCapacity = n;
            return this;
        }

        /**
         * The parameters.
         *
         * @throws InputException naming the first bad field
         */
        public IndexParameters build() {
            return new IndexParameters(staleAfter, outlierBand, quorumFraction, minQuorum, confidenceFactor,
                freeSpread, twapWindow, twapCapacity);
        }
    }
}
