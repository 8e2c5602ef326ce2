package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.input.ValueRange;
import java.util.List;

/**
 * The index parameters of one asset (MODEL.md section 9) as a parameters file sets them, under
 * {@code index.default} or {@code index.<ASSET>}: the one definition of each option (key, unit, default,
 * range). The live engine's {@code io.upm.engine.index.IndexParameters} is built from these values and
 * validated by this record, so both accept exactly the same values. Immutable and always valid: the
 * constructor checks every value against its option, naming it by its key ({@code outlierBand});
 * {@link MarginParameters.Builder} puts that under the entry's path ({@code index.BTC.outlierBand}).
 *
 * <p>Times are in seconds in the file and here; the engine counts whole milliseconds and rounds a time to the
 * nearest one ({@link #staleAfterMillis()}, {@link #twapWindowMillis()}).
 *
 * @param staleAfterSeconds a source's last quote is fresh while its age is at most this, seconds
 * @param outlierBand       a fresh quote more than this fraction from the median of the fresh quotes is an outlier
 * @param quorumFraction    the index needs fresh non-outliers from more than this fraction of the sources ever seen
 * @param minQuorum         and from at least this many sources
 * @param confidenceFactor  weight of the confidence add-on to IM
 * @param freeSpread        the part of the confidence spread that costs no add-on, a fraction of the index
 * @param twapWindowSeconds window of the settlement TWAP, seconds
 * @param twapCapacity      index changes the TWAP ring buffer keeps per asset
 */
public record IndexSettings(double staleAfterSeconds, double outlierBand, double quorumFraction, int minQuorum,
                            double confidenceFactor, double freeSpread, double twapWindowSeconds, int twapCapacity) {

    /** The longest {@code staleAfterSeconds} and {@code twapWindowSeconds}: 3650 days, in seconds. */
    public static final double MAX_SECONDS = 3650.0 * 86_400;

    /**
     * How long a quote stays fresh: seconds, in [0.001, 3650 days]; 60 (MODEL.md). A replay of bars of interval
     * I should use about 1.5 x I; with sources of different cadences, at least the slowest one's.
     */
    public static final NumberOption STALE_AFTER = NumberOption.of("staleAfterSeconds", "seconds", 60,
        ValueRange.closed(0.001, MAX_SECONDS));
    /** The outlier band: a fraction of the median of the fresh quotes, in (0, 1); 0.03. */
    public static final NumberOption OUTLIER_BAND = NumberOption.of("outlierBand",
        "fraction of the median of the fresh quotes", 0.03, new ValueRange(0, false, 1, false, false));
    /** The quorum is more than this fraction of the sources that ever quoted the asset: in [0, 1); 0.5. */
    public static final NumberOption QUORUM_FRACTION = NumberOption.of("quorumFraction",
        "fraction of the sources ever seen", 0.5, new ValueRange(0, true, 1, false, false));
    /** The quorum is at least this many sources: an integer in [1, 1000]; 1. */
    public static final NumberOption MIN_QUORUM = NumberOption.integer("minQuorum", "sources", 1, 1, 1000);
    /** Weight of the confidence add-on to IM: in [0, 1000]; 1.0. */
    public static final NumberOption CONFIDENCE_FACTOR = NumberOption.of("confidenceFactor", "factor", 1.0,
        ValueRange.closed(0, 1000));
    /** The confidence spread that costs nothing: a fraction of the index, in [0, 1); 0.005. */
    public static final NumberOption FREE_SPREAD = NumberOption.of("freeSpread", "fraction of the index", 0.005,
        new ValueRange(0, true, 1, false, false));
    /** The settlement TWAP's window: seconds, in [0.001, 3650 days]; 1800 (30 minutes, MODEL.md). */
    public static final NumberOption TWAP_WINDOW = NumberOption.of("twapWindowSeconds", "seconds", 1800,
        ValueRange.closed(0.001, MAX_SECONDS));
    /**
     * Index changes kept per asset for the TWAP (16 bytes each): an integer in [16, 16,777,216]; 4096. Beyond it
     * the two oldest segments are merged into their time-weighted average.
     */
    public static final NumberOption TWAP_CAPACITY = NumberOption.integer("twapCapacity", "index changes", 4096, 16,
        1 << 24);

    /** Every option, in component (and parameters-file) order. */
    public static final List<NumberOption> OPTIONS = List.of(STALE_AFTER, OUTLIER_BAND, QUORUM_FRACTION, MIN_QUORUM,
        CONFIDENCE_FACTOR, FREE_SPREAD, TWAP_WINDOW, TWAP_CAPACITY);

    /** Every key of an index entry, in component order. */
    public static final List<String> KEYS = OPTIONS.stream().map(NumberOption::key).toList();

    /** MODEL.md section 9's values. */
    public static final IndexSettings DEFAULTS = builder().build();

    /**
     * Validated settings.
     *
     * @throws InputException naming the first value out of its range by its key ({@code outlierBand})
     */
    public IndexSettings {
        STALE_AFTER.check(staleAfterSeconds, "");
        OUTLIER_BAND.check(outlierBand, "");
        QUORUM_FRACTION.check(quorumFraction, "");
        MIN_QUORUM.check(minQuorum, "");
        CONFIDENCE_FACTOR.check(confidenceFactor, "");
        FREE_SPREAD.check(freeSpread, "");
        TWAP_WINDOW.check(twapWindowSeconds, "");
        TWAP_CAPACITY.check(twapCapacity, "");
    }

    /** {@link #staleAfterSeconds()} rounded to the nearest millisecond (at least 1). */
    public long staleAfterMillis() {
        return millis(staleAfterSeconds);
    }

    /** {@link #twapWindowSeconds()} rounded to the nearest millisecond (at least 1). */
    public long twapWindowMillis() {
        return millis(twapWindowSeconds);
    }

    private static long millis(double seconds) {
        return Math.max(1, Math.round(seconds * 1000));
    }

    /** A builder holding MODEL.md's values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder().staleAfterSeconds(staleAfterSeconds).outlierBand(outlierBand)
            .quorumFraction(quorumFraction).minQuorum(minQuorum).confidenceFactor(confidenceFactor)
            .freeSpread(freeSpread).twapWindowSeconds(twapWindowSeconds).twapCapacity(twapCapacity);
    }

    /** Collects index settings; {@link #build()} validates. Not thread-safe; each setter returns this builder. */
    public static final class Builder {
        private double staleAfterSeconds = STALE_AFTER.defaultValue();
        private double outlierBand = OUTLIER_BAND.defaultValue();
        private double quorumFraction = QUORUM_FRACTION.defaultValue();
        private int minQuorum = MIN_QUORUM.intDefault();
        private double confidenceFactor = CONFIDENCE_FACTOR.defaultValue();
        private double freeSpread = FREE_SPREAD.defaultValue();
        private double twapWindowSeconds = TWAP_WINDOW.defaultValue();
        private int twapCapacity = TWAP_CAPACITY.intDefault();

        private Builder() {
        }

        /** {@link #STALE_AFTER}: seconds. */
        public Builder staleAfterSeconds(double seconds) {
            this.staleAfterSeconds = seconds;
            return this;
        }

        /** {@link #OUTLIER_BAND}: a fraction of the median. */
        public Builder outlierBand(double band) {
            this.outlierBand = band;
            return this;
        }

        /** {@link #QUORUM_FRACTION}. */
        public Builder quorumFraction(double fraction) {
            this.quorumFraction = fraction;
            return this;
        }

        /** {@link #MIN_QUORUM}: sources. */
        public Builder minQuorum(int sources) {
            this.minQuorum = sources;
            return this;
        }

        /** {@link #CONFIDENCE_FACTOR}. */
        public Builder confidenceFactor(double factor) {
            this.confidenceFactor = factor;
            return this;
        }

        /** {@link #FREE_SPREAD}: a fraction of the index. */
        public Builder freeSpread(double spread) {
            this.freeSpread = spread;
            return this;
        }

        /** {@link #TWAP_WINDOW}: seconds. */
        public Builder twapWindowSeconds(double seconds) {
            this.twapWindowSeconds = seconds;
            return this;
        }

        /** {@link #TWAP_CAPACITY}: index changes. */
        public Builder twapCapacity(int changes) {
            this.twapCapacity = changes;
            return this;
        }

        /**
         * The settings.
         *
         * @throws InputException naming the first value out of its range by its key
         */
        public IndexSettings build() {
            return new IndexSettings(staleAfterSeconds, outlierBand, quorumFraction, minQuorum, confidenceFactor,
                freeSpread, twapWindowSeconds, twapCapacity);
        }
    }
}
