package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.input.ValueRange;
import java.util.List;
import java.util.Objects;

/**
 * The margin parameters of one asset (MODEL.md sections 4, 6, 7). Immutable and always valid: the
 * constructor checks every value against its option ({@link #SCAN_RANGE}, ...), naming it by its key
 * ({@code scanRange}); {@link MarginParameters.Builder} puts that under the asset's path
 * ({@code assets.BTC.scanRange}). The options' defaults are those of any asset MODEL.md does not name
 * ({@link #builder()}); BTC, ETH, SOL, USDC and USDT have their own entries in {@link MarginParameters}.
 *
 * @param scanRange                  R_u: the largest price move of the risk matrix, a fraction
 * @param volUpShock                 VRU: relative vol-up shock at 30 days to expiry
 * @param volDownShock               VRD: relative vol-down shock at 30 days to expiry
 * @param rollMinMove                minMove_u of the roll (basis) shock, a fraction
 * @param rollAnnualMoveRate         amr_u of the roll shock, per year
 * @param haircut                    tiered haircut on a positive balance
 * @param standardFutureInitial      siloed baseline IM of a perpetual or future, fraction of notional
 * @param standardFutureMaintenance  siloed baseline MM of a perpetual or future, fraction of notional
 */
public record AssetParameters(double scanRange, double volUpShock, double volDownShock, double rollMinMove,
                              double rollAnnualMoveRate, HaircutSchedule haircut, double standardFutureInitial,
                              double standardFutureMaintenance) {

    /** R_u, the scan range: a fraction of the index, in (0, 1]; 0.30 for an asset MODEL.md does not name. */
    public static final NumberOption SCAN_RANGE = NumberOption.of("scanRange", "fraction of the index", 0.30,
        ValueRange.aboveTo(0, 1));
    /** VRU, the relative vol-up shock at 30 days: in [0, 10]; 0.5. */
    public static final NumberOption VOL_UP_SHOCK = NumberOption.of("volUpShock", "fraction of the vol", 0.5,
        ValueRange.closed(0, 10));
    /** VRD, the relative vol-down shock at 30 days: in [0, 1]; 0.25. */
    public static final NumberOption VOL_DOWN_SHOCK = NumberOption.of("volDownShock", "fraction of the vol", 0.25,
        ValueRange.closed(0, 1));
    /** minMove_u of the roll shock: a fraction of the group's delta notional, in [0, 1]; 0.02. */
    public static final NumberOption ROLL_MIN_MOVE = NumberOption.of("rollMinMove", "fraction of delta notional",
        0.02, ValueRange.closed(0, 1));
    /** amr_u of the roll shock, e^{amr T} - 1: per year, in [0, 10]; 0.15. */
    public static final NumberOption ROLL_ANNUAL_MOVE_RATE = NumberOption.of("rollAnnualMoveRate", "per year", 0.15,
        ValueRange.closed(0, 10));
    /** Siloed IM of a perpetual or future: a fraction of notional, in [0, 1]; 0.04. */
    public static final NumberOption STANDARD_FUTURE_INITIAL = NumberOption.of("standardFutureInitial",
        "fraction of notional", 0.04, ValueRange.closed(0, 1));
    /** Siloed MM of a perpetual or future: a fraction of notional, in [0, 1]; 0.02. */
    public static final NumberOption STANDARD_FUTURE_MAINTENANCE = NumberOption.of("standardFutureMaintenance",
        "fraction of notional", 0.02, ValueRange.closed(0, 1));
    /** The key of the haircut schedule (tiers, see {@link HaircutSchedule}). */
    public static final String HAIRCUT = "haircut";
    /** The haircut of an asset MODEL.md does not name: 10% up to 1M USD, 25% above. */
    public static final HaircutSchedule DEFAULT_HAIRCUT = HaircutSchedule.of(1e6, 0.10, 0.25);

    /** Every key of an asset entry, in component (and parameters-file) order. */
    public static final List<String> KEYS = List.of(SCAN_RANGE.key(), VOL_UP_SHOCK.key(), VOL_DOWN_SHOCK.key(),
        ROLL_MIN_MOVE.key(), ROLL_ANNUAL_MOVE_RATE.key(), HAIRCUT, STANDARD_FUTURE_INITIAL.key(),
        STANDARD_FUTURE_MAINTENANCE.key());

    /**
     * Validated parameters.
     *
     * @throws InputException naming the first value out of its range by its key ({@code scanRange})
     */
    public AssetParameters {
        SCAN_RANGE.check(scanRange, "");
        VOL_UP_SHOCK.check(volUpShock, "");
        VOL_DOWN_SHOCK.check(volDownShock, "");
        ROLL_MIN_MOVE.check(rollMinMove, "");
        ROLL_ANNUAL_MOVE_RATE.check(rollAnnualMoveRate, "");
        if (haircut == null) {
            throw new InputException(HAIRCUT, "missing");
        }
        STANDARD_FUTURE_INITIAL.check(standardFutureInitial, "");
        STANDARD_FUTURE_MAINTENANCE.check(standardFutureMaintenance, "");
    }

    /** A builder starting from the parameters of an asset MODEL.md does not name. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these parameters. */
    public Builder toBuilder() {
        return new Builder().scanRange(scanRange).volUpShock(volUpShock).volDownShock(volDownShock)
            .rollMinMove(rollMinMove).rollAnnualMoveRate(rollAnnualMoveRate).haircut(haircut)
            .standardFutureInitial(standardFutureInitial).standardFutureMaintenance(standardFutureMaintenance);
    }

    /** This with another scan range. */
    public AssetParameters withScanRange(double r) {
        return toBuilder().scanRange(r).build();
    }

    /** This with another haircut schedule. */
    public AssetParameters withHaircut(HaircutSchedule h) {
        return toBuilder().haircut(h).build();
    }

    /**
     * Collects one asset's parameters, starting from the defaults of an asset MODEL.md does not name (or from
     * {@link AssetParameters#toBuilder()}); {@link #build()} validates them. Not thread-safe.
     */
    public static final class Builder {
        private double scanRange = SCAN_RANGE.defaultValue();
        private double volUpShock = VOL_UP_SHOCK.defaultValue();
        private double volDownShock = VOL_DOWN_SHOCK.defaultValue();
        private double rollMinMove = ROLL_MIN_MOVE.defaultValue();
        private double rollAnnualMoveRate = ROLL_ANNUAL_MOVE_RATE.defaultValue();
        private HaircutSchedule haircut = DEFAULT_HAIRCUT;
        private double standardFutureInitial = STANDARD_FUTURE_INITIAL.defaultValue();
        private double standardFutureMaintenance = STANDARD_FUTURE_MAINTENANCE.defaultValue();

        private Builder() {
        }

        /** A copy of {@code from}. */
        Builder(Builder from) {
            scanRange = from.scanRange;
            volUpShock = from.volUpShock;
            volDownShock = from.volDownShock;
            rollMinMove = from.rollMinMove;
            rollAnnualMoveRate = from.rollAnnualMoveRate;
            haircut = from.haircut;
            standardFutureInitial = from.standardFutureInitial;
            standardFutureMaintenance = from.standardFutureMaintenance;
        }

        /** {@link #SCAN_RANGE}: R_u, a fraction of the index. */
        public Builder scanRange(double fraction) {
            this.scanRange = fraction;
            return this;
        }

        /** {@link #VOL_UP_SHOCK}: VRU, a fraction of the vol. */
        public Builder volUpShock(double fraction) {
            this.volUpShock = fraction;
            return this;
        }

        /** {@link #VOL_DOWN_SHOCK}: VRD, a fraction of the vol. */
        public Builder volDownShock(double fraction) {
            this.volDownShock = fraction;
            return this;
        }

        /** {@link #ROLL_MIN_MOVE}: minMove_u, a fraction of delta notional. */
        public Builder rollMinMove(double fraction) {
            this.rollMinMove = fraction;
            return this;
        }

        /** {@link #ROLL_ANNUAL_MOVE_RATE}: amr_u, per year. */
        public Builder rollAnnualMoveRate(double perYear) {
            this.rollAnnualMoveRate = perYear;
            return this;
        }

        /** The tiered haircut on a positive balance (already validated by its constructor). */
        public Builder haircut(HaircutSchedule schedule) {
            this.haircut = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** {@link #STANDARD_FUTURE_INITIAL}: siloed IM, a fraction of notional. */
        public Builder standardFutureInitial(double fraction) {
            this.standardFutureInitial = fraction;
            return this;
        }

        /** {@link #STANDARD_FUTURE_MAINTENANCE}: siloed MM, a fraction of notional. */
        public Builder standardFutureMaintenance(double fraction) {
            this.standardFutureMaintenance = fraction;
            return this;
        }

        /**
         * The parameters.
         *
         * @throws InputException naming the first value out of its range by its key ({@code scanRange})
         */
        public AssetParameters build() {
            return new AssetParameters(scanRange, volUpShock, volDownShock, rollMinMove, rollAnnualMoveRate, haircut,
                standardFutureInitial, standardFutureMaintenance);
        }
    }
}
