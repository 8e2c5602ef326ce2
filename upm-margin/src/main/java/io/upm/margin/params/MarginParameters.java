package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.input.ValueRange;
import io.upm.market.MarketSanityBands;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Every parameter of the margin methodology, in one place. Immutable and always valid: the constructor
 * checks each value against its option, and an invalid one is an {@link InputException} naming its key path
 * as a parameters file spells it ({@code offsetCap}, {@code extendedMoves[1]}, {@code assets.btc}).
 *
 * <p>Each numeric option is defined once, as a {@link NumberOption} constant below ({@link #OFFSET_CAP},
 * ...): its key, unit, MODEL.md default and valid range. {@link #builder()} starts from those defaults (and
 * the per-asset table of MODEL.md), {@link #toBuilder()} from these parameters, and
 * {@link Builder#build()} validates everything; {@link #defaults()} is {@code builder().build()}. A
 * parameters file (JSON or YAML, {@code --params}) is a thin mapping of its keys onto the builder; see
 * docs/methodology.md and docs/api.md for each option's meaning.
 *
 * @param assets                     per-asset parameters for named assets (keys are asset codes)
 * @param otherAsset                 parameters of any asset not named in {@code assets}
 * @param priceSteps                 points on each side of zero in the risk matrix (4 gives 9 moves)
 * @param volUpFloor                 the shocked-up vol is at least this (0.5 = 50 vol)
 * @param volDownFloor               the shocked-down vol is at least this
 * @param volShockReferenceDays      days to expiry at which the vol shocks apply unscaled (30)
 * @param volShockExponentShort      exponent p of (30/D)^p when D is below the reference days
 * @param volShockExponentLong       exponent p of (30/D)^p otherwise
 * @param volShockMinDays            D = max(T x 365, this)
 * @param extendedMoves              extended price moves, fractions, evaluated with the vol-up state
 * @param shortOptionMinimum         short-option minimum per unit of net short series size, fraction of S
 * @param liquidityFactor            factor of the liquidity add-on 0.1 x N x sqrt(N / ADV)
 * @param correlationStressWeight    Q_stress = (1 - w) rho + w (all ones)
 * @param offsetCap                  c_max: the largest share of the sum of worst losses that may be offset
 * @param jointLossDirections        surface directions sampled per joint-loss solve before refinement (0 = by dimension)
 * @param borrowingRate              borrowing charge, fraction of each loan's USD value
 * @param initialMarginMultiplier    IM = this x MM
 * @param stablecoins                assets that are collateral only (no risk unit)
 * @param stablecoinDefaultPrice     price of a stablecoin the snapshot does not quote, USD
 * @param standardShortOptionMaintenance siloed MM of a short option, fraction of S |q| (plus its value)
 * @param standardShortOptionInitial     siloed IM of a short option before the OTM reduction, fraction of S |q|
 * @param standardShortOptionInitialMin  the floor of that IM fraction
 * @param standardLoanMaintenance    siloed MM of a negative balance, fraction of its USD value
 * @param standardLoanInitial        siloed IM of a negative balance, fraction of its USD value
 * @param marketSanity               the plausibility bands market data must lie in (docs/methodology.md,
 *                                   "Market sanity bands")
 * @param dynamicHaircut             the dynamic haircut of MODEL.md section 10 on top of the tiers
 *                                   (docs/methodology.md, "Dynamic haircuts")
 * @param index                      the index parameters of every asset (MODEL.md section 9), for the live
 *                                   engine's index from several sources ({@link IndexSettingsTable})
 */
public record MarginParameters(Map<String, AssetParameters> assets, AssetParameters otherAsset, int priceSteps,
                               double volUpFloor, double volDownFloor, double volShockReferenceDays,
                               double volShockExponentShort, double volShockExponentLong, double volShockMinDays,
                               List<Double> extendedMoves, double shortOptionMinimum, double liquidityFactor,
                               double correlationStressWeight, double offsetCap, int jointLossDirections,
                               double borrowingRate, double initialMarginMultiplier, Set<String> stablecoins,
                               double stablecoinDefaultPrice, double standardShortOptionMaintenance,
                               double standardShortOptionInitial, double standardShortOptionInitialMin,
                               double standardLoanMaintenance, double standardLoanInitial,
                               MarketSanityBands marketSanity, DynamicHaircutParameters dynamicHaircut,
                               IndexSettingsTable index) {

    // ---- the options: key, unit, MODEL.md default, valid range

    /** Price points on each side of zero in the risk matrix: an integer in [1, 16]; 4 (9 moves). */
    public static final NumberOption PRICE_STEPS = NumberOption.integer("priceSteps",
        "price points on each side of zero", 4, 1, 16);
    /** Floor of the shocked-up vol: annualised, in [0, 10]; 0.5 (50 vol). */
    public static final NumberOption VOL_UP_FLOOR = NumberOption.of("volUpFloor", "annualised vol, fraction", 0.5,
        ValueRange.closed(0, 10));
    /** Floor of the shocked-down vol: annualised, in (0, 10]; 0.01. */
    public static final NumberOption VOL_DOWN_FLOOR = NumberOption.of("volDownFloor", "annualised vol, fraction",
        0.01, ValueRange.aboveTo(0, 10));
    /** Days to expiry at which the vol shocks apply unscaled: in (0, 3650]; 30. */
    public static final NumberOption VOL_SHOCK_REFERENCE_DAYS = NumberOption.of("volShockReferenceDays", "days",
        30, ValueRange.aboveTo(0, 3650));
    /** Exponent p of (30/D)^p below the reference days: in [0, 10]; 0.3. */
    public static final NumberOption VOL_SHOCK_EXPONENT_SHORT = NumberOption.of("volShockExponentShort",
        "exponent", 0.3, ValueRange.closed(0, 10));
    /** Exponent p of (30/D)^p from the reference days on: in [0, 10]; 0.13. */
    public static final NumberOption VOL_SHOCK_EXPONENT_LONG = NumberOption.of("volShockExponentLong", "exponent",
        0.13, ValueRange.closed(0, 10));
    /** D = max(365 T, this): days, in (0, 3650]; 1. */
    public static final NumberOption VOL_SHOCK_MIN_DAYS = NumberOption.of("volShockMinDays", "days", 1,
        ValueRange.aboveTo(0, 3650));
    /** Short-option minimum per unit of net short series size: a fraction of S, in [0, 1]; 0.01. */
    public static final NumberOption SHORT_OPTION_MINIMUM = NumberOption.of("shortOptionMinimum",
        "fraction of the index per unit of size", 0.01, ValueRange.closed(0, 1));
    /** Factor of the liquidity add-on f x N x sqrt(N / ADV): in [0, 100]; 0.1. */
    public static final NumberOption LIQUIDITY_FACTOR = NumberOption.of("liquidityFactor", "factor", 0.1,
        ValueRange.closed(0, 100));
    /** w of Q_stress = (1 - w) rho + w (all ones): in [0, 1]; 0.5. */
    public static final NumberOption CORRELATION_STRESS_WEIGHT = NumberOption.of("correlationStressWeight",
        "weight", 0.5, ValueRange.closed(0, 1));
    /** c_max, the largest share of the sum of worst losses that may be offset: in [0, 1]; 0.5. */
    public static final NumberOption OFFSET_CAP = NumberOption.of("offsetCap", "fraction of the sum of worst losses",
        0.5, ValueRange.closed(0, 1));
    /** Surface directions of the joint-loss solver: an integer in [0, 1000000]; 0 (chosen by dimension). */
    public static final NumberOption JOINT_LOSS_DIRECTIONS = NumberOption.integer("jointLossDirections",
        "directions", 0, 0, 1_000_000);
    /** Borrowing charge: a fraction of each loan's USD value, in [0, 1]; 0.04. */
    public static final NumberOption BORROWING_RATE = NumberOption.of("borrowingRate", "fraction of a loan's value",
        0.04, ValueRange.closed(0, 1));
    /** IM / MM: in [1, 100]; 1.25. */
    public static final NumberOption INITIAL_MARGIN_MULTIPLIER = NumberOption.of("initialMarginMultiplier",
        "IM / MM", 1.25, ValueRange.closed(1, 100));
    /** Price of a stablecoin the snapshot does not quote: USD, in (0, 1e12]; 1.0. */
    public static final NumberOption STABLECOIN_DEFAULT_PRICE = NumberOption.of("stablecoinDefaultPrice", "USD",
        1.0, ValueRange.aboveTo(0, MarketSnapshot.MAX_PRICE));
    /** Siloed MM of a short option: a fraction of S |q| (plus its value), in [0, 1]; 0.075. */
    public static final NumberOption STANDARD_SHORT_OPTION_MAINTENANCE = NumberOption.of(
        "standardShortOptionMaintenance", "fraction of underlying notional", 0.075, ValueRange.closed(0, 1));
    /** Siloed IM of a short option before the OTM reduction: a fraction of S |q|, in [0, 1]; 0.15. */
    public static final NumberOption STANDARD_SHORT_OPTION_INITIAL = NumberOption.of("standardShortOptionInitial",
        "fraction of underlying notional", 0.15, ValueRange.closed(0, 1));
    /** Floor of that IM fraction: in [0, 1]; 0.10. */
    public static final NumberOption STANDARD_SHORT_OPTION_INITIAL_MIN = NumberOption.of(
        "standardShortOptionInitialMin", "fraction of underlying notional", 0.10, ValueRange.closed(0, 1));
    /** Siloed MM of a negative balance: a fraction of its USD value, in [0, 1]; 0.10. */
    public static final NumberOption STANDARD_LOAN_MAINTENANCE = NumberOption.of("standardLoanMaintenance",
        "fraction of a loan's value", 0.10, ValueRange.closed(0, 1));
    /** Siloed IM of a negative balance: a fraction of its USD value, in [0, 1]; 0.20. */
    public static final NumberOption STANDARD_LOAN_INITIAL = NumberOption.of("standardLoanInitial",
        "fraction of a loan's value", 0.20, ValueRange.closed(0, 1));

    /** The key of the extended moves. */
    public static final String EXTENDED_MOVES = "extendedMoves";
    /** The extended moves of MODEL.md section 4, fractions of the index. */
    public static final List<Double> DEFAULT_EXTENDED_MOVES = List.of(-0.66, -0.33, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0);
    /** The values an extended move may take: in (-1, 100], and not 0 (the extended loss divides by |move|). */
    public static final ValueRange EXTENDED_MOVE_RANGE = new ValueRange(-1, false, 100, true, false);
    /** Most extended moves. */
    public static final int MAX_EXTENDED_MOVES = 64;
    /** The key of the stablecoins. */
    public static final String STABLECOINS = "stablecoins";
    /** The stablecoins of MODEL.md section 3 (UST is added by the 2022 history, not by default). */
    public static final List<String> DEFAULT_STABLECOINS = List.of("USD", "USDC", "USDT", "DAI");
    /** The key of the per-asset entries. */
    public static final String ASSETS = "assets";
    /** The key of the index section ({@link #index()}). */
    public static final String INDEX = IndexSettingsTable.KEY;
    /** The key, under {@link #ASSETS}, of the parameters of any asset not named there ({@link #otherAsset()}). */
    public static final String OTHER_ASSET = "default";

    private static final HaircutSchedule MAJOR = HaircutSchedule.of(5e6, 0.0, 50e6, 0.02, 0.05);
    private static final HaircutSchedule STABLE = HaircutSchedule.of(50e6, 0.0, 0.01);
    private static final HaircutSchedule SOL = HaircutSchedule.of(5e6, 0.05, 0.10);

    /** The parameters of any asset MODEL.md does not name: {@link AssetParameters#builder()}'s defaults. */
    public static final AssetParameters DEFAULT_OTHER_ASSET = AssetParameters.builder().build();

    /**
     * The per-asset table of MODEL.md (sections 4, 6, 7): BTC, ETH, SOL, and the USDC and USDT haircut; every
     * value not given here is {@link #DEFAULT_OTHER_ASSET}'s.
     */
    public static Map<String, AssetParameters> defaultAssets() {
        Map<String, AssetParameters> a = new TreeMap<>();
        a.put("BTC", AssetParameters.builder().scanRange(0.16).volUpShock(0.5).rollMinMove(0.01)
            .rollAnnualMoveRate(0.075).haircut(MAJOR).standardFutureInitial(0.02).standardFutureMaintenance(0.01)
            .build());
        a.put("ETH", AssetParameters.builder().scanRange(0.18).volUpShock(0.4).rollMinMove(0.005)
            .rollAnnualMoveRate(0.05).haircut(MAJOR).standardFutureInitial(0.02).standardFutureMaintenance(0.01)
            .build());
        a.put("SOL", AssetParameters.builder().scanRange(0.25).rollMinMove(0.02).rollAnnualMoveRate(0.15)
            .haircut(SOL).build());
        a.put("USDC", AssetParameters.builder().haircut(STABLE).build());
        a.put("USDT", AssetParameters.builder().haircut(STABLE).build());
        return a;
    }

    /**
     * Validated parameters; the collections are copied.
     *
     * @throws InputException naming the first invalid value by its key path ({@code offsetCap},
     *                        {@code extendedMoves[1]}, {@code stablecoins[0]}, {@code assets.btc})
     */
    public MarginParameters {
        Objects.requireNonNull(otherAsset, "otherAsset");
        Objects.requireNonNull(marketSanity, "marketSanity");
        Objects.requireNonNull(dynamicHaircut, "dynamicHaircut");
        Objects.requireNonNull(index, IndexSettingsTable.KEY);
        for (String code : assets.keySet()) {
            if (code.equals(OTHER_ASSET)) {
                throw new InputException(ASSETS + "." + code, "\"" + OTHER_ASSET + "\" names otherAsset, the "
                    + "parameters of any asset not named: it is not an asset code");
            }
            if (!InstrumentNames.isAssetCode(code)) {
                throw new InputException(ASSETS + "." + code, "\"" + code + "\" is neither an asset code (upper-case "
                    + "letters and digits) nor \"" + OTHER_ASSET + "\"");
            }
        }
        assets = Map.copyOf(new TreeMap<>(assets));
        PRICE_STEPS.check(priceSteps, "");
        VOL_UP_FLOOR.check(volUpFloor, "");
        VOL_DOWN_FLOOR.check(volDownFloor, "");
        VOL_SHOCK_REFERENCE_DAYS.check(volShockReferenceDays, "");
        VOL_SHOCK_EXPONENT_SHORT.check(volShockExponentShort, "");
        VOL_SHOCK_EXPONENT_LONG.check(volShockExponentLong, "");
        VOL_SHOCK_MIN_DAYS.check(volShockMinDays, "");
        extendedMoves = checkExtendedMoves(extendedMoves);
        SHORT_OPTION_MINIMUM.check(shortOptionMinimum, "");
        LIQUIDITY_FACTOR.check(liquidityFactor, "");
        CORRELATION_STRESS_WEIGHT.check(correlationStressWeight, "");
        OFFSET_CAP.check(offsetCap, "");
        JOINT_LOSS_DIRECTIONS.check(jointLossDirections, "");
        BORROWING_RATE.check(borrowingRate, "");
        INITIAL_MARGIN_MULTIPLIER.check(initialMarginMultiplier, "");
        int i = 0;
        for (String code : stablecoins) {
            if (!InstrumentNames.isAssetCode(code)) {
                throw new InputException(STABLECOINS + "[" + i + "]", "\"" + code
                    + "\" is not an asset code (upper-case letters and digits)");
            }
            i++;
        }
        stablecoins = Set.copyOf(stablecoins);
        STABLECOIN_DEFAULT_PRICE.check(stablecoinDefaultPrice, "");
        STANDARD_SHORT_OPTION_MAINTENANCE.check(standardShortOptionMaintenance, "");
        STANDARD_SHORT_OPTION_INITIAL.check(standardShortOptionInitial, "");
        STANDARD_SHORT_OPTION_INITIAL_MIN.check(standardShortOptionInitialMin, "");
        STANDARD_LOAN_MAINTENANCE.check(standardLoanMaintenance, "");
        STANDARD_LOAN_INITIAL.check(standardLoanInitial, "");
    }

    /**
     * Parameters with MODEL.md's default {@link DynamicHaircutParameters} and index parameters
     * ({@link IndexSettingsTable#DEFAULTS}): the constructor of the parameters before those sections existed, kept
     * for source compatibility. To change some values of existing parameters, use {@link #toBuilder()}.
     */
    public MarginParameters(Map<String, AssetParameters> assets, AssetParameters otherAsset, int priceSteps,
                            double volUpFloor, double volDownFloor, double volShockReferenceDays,
                            double volShockExponentShort, double volShockExponentLong, double volShockMinDays,
                            List<Double> extendedMoves, double shortOptionMinimum, double liquidityFactor,
                            double correlationStressWeight, double offsetCap, int jointLossDirections,
                            double borrowingRate, double initialMarginMultiplier, Set<String> stablecoins,
                            double stablecoinDefaultPrice, double standardShortOptionMaintenance,
                            double standardShortOptionInitial, double standardShortOptionInitialMin,
                            double standardLoanMaintenance, double standardLoanInitial,
                            MarketSanityBands marketSanity) {
        this(assets, otherAsset, priceSteps, volUpFloor, volDownFloor, volShockReferenceDays, volShockExponentShort,
            volShockExponentLong, volShockMinDays, extendedMoves, shortOptionMinimum, liquidityFactor,
            correlationStressWeight, offsetCap, jointLossDirections, borrowingRate, initialMarginMultiplier,
            stablecoins, stablecoinDefaultPrice, standardShortOptionMaintenance, standardShortOptionInitial,
            standardShortOptionInitialMin, standardLoanMaintenance, standardLoanInitial, marketSanity,
            DynamicHaircutParameters.defaults(), IndexSettingsTable.DEFAULTS);
    }

    /**
     * Parameters with the default {@link MarketSanityBands}: the constructor of the parameters before the bands
     * existed, kept for source compatibility. It drops any bands of the parameters it copies: to change some
     * values of existing parameters, use {@link #toBuilder()}.
     */
    public MarginParameters(Map<String, AssetParameters> assets, AssetParameters otherAsset, int priceSteps,
                            double volUpFloor, double volDownFloor, double volShockReferenceDays,
                            double volShockExponentShort, double volShockExponentLong, double volShockMinDays,
                            List<Double> extendedMoves, double shortOptionMinimum, double liquidityFactor,
                            double correlationStressWeight, double offsetCap, int jointLossDirections,
                            double borrowingRate, double initialMarginMultiplier, Set<String> stablecoins,
                            double stablecoinDefaultPrice, double standardShortOptionMaintenance,
                            double standardShortOptionInitial, double standardShortOptionInitialMin,
                            double standardLoanMaintenance, double standardLoanInitial) {
        this(assets, otherAsset, priceSteps, volUpFloor, volDownFloor, volShockReferenceDays, volShockExponentShort,
            volShockExponentLong, volShockMinDays, extendedMoves, shortOptionMinimum, liquidityFactor,
            correlationStressWeight, offsetCap, jointLossDirections, borrowingRate, initialMarginMultiplier,
            stablecoins, stablecoinDefaultPrice, standardShortOptionMaintenance, standardShortOptionInitial,
            standardShortOptionInitialMin, standardLoanMaintenance, standardLoanInitial, MarketSanityBands.defaults());
    }

    /**
     * Parameters with MODEL.md's index parameters ({@link IndexSettingsTable#DEFAULTS}): the constructor of the
     * parameters before the index section existed, kept for source compatibility.
     */
    public MarginParameters(Map<String, AssetParameters> assets, AssetParameters otherAsset, int priceSteps,
                            double volUpFloor, double volDownFloor, double volShockReferenceDays,
                            double volShockExponentShort, double volShockExponentLong, double volShockMinDays,
                            List<Double> extendedMoves, double shortOptionMinimum, double liquidityFactor,
                            double correlationStressWeight, double offsetCap, int jointLossDirections,
                            double borrowingRate, double initialMarginMultiplier, Set<String> stablecoins,
                            double stablecoinDefaultPrice, double standardShortOptionMaintenance,
                            double standardShortOptionInitial, double standardShortOptionInitialMin,
                            double standardLoanMaintenance, double standardLoanInitial,
                            MarketSanityBands marketSanity, DynamicHaircutParameters dynamicHaircut) {
        this(assets, otherAsset, priceSteps, volUpFloor, volDownFloor, volShockReferenceDays, volShockExponentShort,
            volShockExponentLong, volShockMinDays, extendedMoves, shortOptionMinimum, liquidityFactor,
            correlationStressWeight, offsetCap, jointLossDirections, borrowingRate, initialMarginMultiplier,
            stablecoins, stablecoinDefaultPrice, standardShortOptionMaintenance, standardShortOptionInitial,
            standardShortOptionInitialMin, standardLoanMaintenance, standardLoanInitial, marketSanity, dynamicHaircut,
            IndexSettingsTable.DEFAULTS);
    }

    /** MODEL.md version 1, all defaults: {@code builder().build()}. */
    public static MarginParameters defaults() {
        return builder().build();
    }

    /** A builder starting from MODEL.md's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these parameters. */
    public Builder toBuilder() {
        return new Builder().assets(assets).otherAsset(otherAsset).priceSteps(priceSteps).volUpFloor(volUpFloor)
            .volDownFloor(volDownFloor).volShockReferenceDays(volShockReferenceDays)
            .volShockExponentShort(volShockExponentShort).volShockExponentLong(volShockExponentLong)
            .volShockMinDays(volShockMinDays).extendedMoves(extendedMoves).shortOptionMinimum(shortOptionMinimum)
            .liquidityFactor(liquidityFactor).correlationStressWeight(correlationStressWeight).offsetCap(offsetCap)
            .jointLossDirections(jointLossDirections).borrowingRate(borrowingRate)
            .initialMarginMultiplier(initialMarginMultiplier).stablecoins(stablecoins)
            .stablecoinDefaultPrice(stablecoinDefaultPrice)
            .standardShortOptionMaintenance(standardShortOptionMaintenance)
            .standardShortOptionInitial(standardShortOptionInitial)
            .standardShortOptionInitialMin(standardShortOptionInitialMin)
            .standardLoanMaintenance(standardLoanMaintenance).standardLoanInitial(standardLoanInitial)
            .marketSanity(marketSanity).dynamicHaircut(dynamicHaircut).index(index);
    }

    /** The parameters of an asset: its own entry, else {@link #otherAsset()}. */
    public AssetParameters asset(String code) {
        AssetParameters p = assets.get(code);
        return p == null ? otherAsset : p;
    }

    /** True for a stablecoin (collateral only). */
    public boolean isStablecoin(String code) {
        return stablecoins.contains(code);
    }

    /** Number of price moves in the risk matrix (2 x priceSteps + 1). */
    public int priceMoveCount() {
        return 2 * priceSteps + 1;
    }

    /** The vol states, in report order. */
    public static final List<String> VOL_STATES = List.of("down", "none", "up");

    private static List<Double> checkExtendedMoves(List<Double> moves) {
        if (moves.isEmpty()) {
            throw new InputException(EXTENDED_MOVES, "needs at least one move");
        }
        if (moves.size() > MAX_EXTENDED_MOVES) {
            throw new InputException(EXTENDED_MOVES, "at most " + MAX_EXTENDED_MOVES + " moves, got " + moves.size());
        }
        for (int i = 0; i < moves.size(); i++) {
            String path = EXTENDED_MOVES + "[" + i + "]";
            double e = EXTENDED_MOVE_RANGE.check(Objects.requireNonNull(moves.get(i), path), path);
            if (e == 0) {
                throw new InputException(path, "a move of 0 is no move (the extended loss divides by |move|)");
            }
        }
        return List.copyOf(moves);
    }

    /**
     * Collects margin parameters, starting from MODEL.md's defaults ({@link MarginParameters#builder()}) or from
     * existing parameters ({@link MarginParameters#toBuilder()}). The setters only record values;
     * {@link #build()} validates them all and names the first invalid one by its key path, as a parameters
     * file spells it ({@code offsetCap}, {@code assets.BTC.scanRange}, {@code marketSanity.minAdv}). Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<String, AssetParameters.Builder> assets = new TreeMap<>();
        private AssetParameters.Builder otherAsset = DEFAULT_OTHER_ASSET.toBuilder();
        private int priceSteps = PRICE_STEPS.intDefault();
        private double volUpFloor = VOL_UP_FLOOR.defaultValue();
        private double volDownFloor = VOL_DOWN_FLOOR.defaultValue();
        private double volShockReferenceDays = VOL_SHOCK_REFERENCE_DAYS.defaultValue();
        private double volShockExponentShort = VOL_SHOCK_EXPONENT_SHORT.defaultValue();
        private double volShockExponentLong = VOL_SHOCK_EXPONENT_LONG.defaultValue();
        private double volShockMinDays = VOL_SHOCK_MIN_DAYS.defaultValue();
        private List<Double> extendedMoves = DEFAULT_EXTENDED_MOVES;
        private double shortOptionMinimum = SHORT_OPTION_MINIMUM.defaultValue();
        private double liquidityFactor = LIQUIDITY_FACTOR.defaultValue();
        private double correlationStressWeight = CORRELATION_STRESS_WEIGHT.defaultValue();
        private double offsetCap = OFFSET_CAP.defaultValue();
        private int jointLossDirections = JOINT_LOSS_DIRECTIONS.intDefault();
        private double borrowingRate = BORROWING_RATE.defaultValue();
        private double initialMarginMultiplier = INITIAL_MARGIN_MULTIPLIER.defaultValue();
        private List<String> stablecoins = DEFAULT_STABLECOINS;
        private double stablecoinDefaultPrice = STABLECOIN_DEFAULT_PRICE.defaultValue();
        private double standardShortOptionMaintenance = STANDARD_SHORT_OPTION_MAINTENANCE.defaultValue();
        private double standardShortOptionInitial = STANDARD_SHORT_OPTION_INITIAL.defaultValue();
        private double standardShortOptionInitialMin = STANDARD_SHORT_OPTION_INITIAL_MIN.defaultValue();
        private double standardLoanMaintenance = STANDARD_LOAN_MAINTENANCE.defaultValue();
        private double standardLoanInitial = STANDARD_LOAN_INITIAL.defaultValue();
        private MarketSanityBands.Builder marketSanity = MarketSanityBands.builder();
        private double[] dynamicHaircut = dynamicHaircutValues(DynamicHaircutParameters.defaults());
        private IndexSettings.Builder indexDefault = IndexSettings.builder();
        private final Map<String, IndexSettings.Builder> indexAssets = new TreeMap<>();

        private Builder() {
            assets(defaultAssets());
        }

        /** Replaces every named asset's entry by those of {@code entries} (asset code to parameters). */
        public Builder assets(Map<String, AssetParameters> entries) {
            assets.clear();
            entries.forEach((code, p) -> assets.put(code, p.toBuilder()));
            return this;
        }

        /** Sets the entry of asset {@code code}. */
        public Builder asset(String code, AssetParameters p) {
            assets.put(Objects.requireNonNull(code, "code"), p.toBuilder());
            return this;
        }

        /**
         * Changes the entry of asset {@code code}: {@code change} gets a builder holding its entry where it has
         * one, else the current {@link #otherAsset} parameters, and its result becomes the asset's entry.
         */
        public Builder asset(String code, UnaryOperator<AssetParameters.Builder> change) {
            AssetParameters.Builder current = assets.get(Objects.requireNonNull(code, "code"));
            assets.put(code, change.apply(new AssetParameters.Builder(current == null ? otherAsset : current)));
            return this;
        }

        /** Sets the parameters of any asset not named ({@code assets.default} in a parameters file). */
        public Builder otherAsset(AssetParameters p) {
            this.otherAsset = p.toBuilder();
            return this;
        }

        /** Changes the parameters of any asset not named; entries set before keep their values. */
        public Builder otherAsset(UnaryOperator<AssetParameters.Builder> change) {
            this.otherAsset = change.apply(new AssetParameters.Builder(otherAsset));
            return this;
        }

        /** {@link #PRICE_STEPS}: price points on each side of zero. */
        public Builder priceSteps(int steps) {
            this.priceSteps = steps;
            return this;
        }

        /** {@link #VOL_UP_FLOOR}: annualised vol, fraction. */
        public Builder volUpFloor(double vol) {
            this.volUpFloor = vol;
            return this;
        }

        /** {@link #VOL_DOWN_FLOOR}: annualised vol, fraction. */
        public Builder volDownFloor(double vol) {
            this.volDownFloor = vol;
            return this;
        }

        /** {@link #VOL_SHOCK_REFERENCE_DAYS}: days. */
        public Builder volShockReferenceDays(double days) {
            this.volShockReferenceDays = days;
            return this;
        }

        /** {@link #VOL_SHOCK_EXPONENT_SHORT}: the exponent p below the reference days. */
        public Builder volShockExponentShort(double p) {
            this.volShockExponentShort = p;
            return this;
        }

        /** {@link #VOL_SHOCK_EXPONENT_LONG}: the exponent p from the reference days on. */
        public Builder volShockExponentLong(double p) {
            this.volShockExponentLong = p;
            return this;
        }

        /** {@link #VOL_SHOCK_MIN_DAYS}: days. */
        public Builder volShockMinDays(double days) {
            this.volShockMinDays = days;
            return this;
        }

        /** The extended moves ({@link #EXTENDED_MOVE_RANGE}, at most {@link #MAX_EXTENDED_MOVES}), in order. */
        public Builder extendedMoves(List<Double> moves) {
            this.extendedMoves = new ArrayList<>(moves);
            return this;
        }

        /** {@link #SHORT_OPTION_MINIMUM}: a fraction of S per unit of net short series size. */
        public Builder shortOptionMinimum(double fraction) {
            this.shortOptionMinimum = fraction;
            return this;
        }

        /** {@link #LIQUIDITY_FACTOR}. */
        public Builder liquidityFactor(double factor) {
            this.liquidityFactor = factor;
            return this;
        }

        /** {@link #CORRELATION_STRESS_WEIGHT}. */
        public Builder correlationStressWeight(double weight) {
            this.correlationStressWeight = weight;
            return this;
        }

        /** {@link #OFFSET_CAP}: c_max, a fraction of the sum of worst losses. */
        public Builder offsetCap(double fraction) {
            this.offsetCap = fraction;
            return this;
        }

        /** {@link #JOINT_LOSS_DIRECTIONS}: 0 chooses by dimension. */
        public Builder jointLossDirections(int directions) {
            this.jointLossDirections = directions;
            return this;
        }

        /** {@link #BORROWING_RATE}: a fraction of each loan's USD value. */
        public Builder borrowingRate(double fraction) {
            this.borrowingRate = fraction;
            return this;
        }

        /** {@link #INITIAL_MARGIN_MULTIPLIER}: IM / MM. */
        public Builder initialMarginMultiplier(double multiplier) {
            this.initialMarginMultiplier = multiplier;
            return this;
        }

        /** The collateral-only assets, each once; the order only numbers errors ({@code stablecoins[1]}). */
        public Builder stablecoins(Collection<String> codes) {
            this.stablecoins = new ArrayList<>(codes);
            return this;
        }

        /** {@link #STABLECOIN_DEFAULT_PRICE}: USD. */
        public Builder stablecoinDefaultPrice(double usd) {
            this.stablecoinDefaultPrice = usd;
            return this;
        }

        /** {@link #STANDARD_SHORT_OPTION_MAINTENANCE}: a fraction of S |q|. */
        public Builder standardShortOptionMaintenance(double fraction) {
            this.standardShortOptionMaintenance = fraction;
            return this;
        }

        /** {@link #STANDARD_SHORT_OPTION_INITIAL}: a fraction of S |q|. */
        public Builder standardShortOptionInitial(double fraction) {
            this.standardShortOptionInitial = fraction;
            return this;
        }

        /** {@link #STANDARD_SHORT_OPTION_INITIAL_MIN}: a fraction of S |q|. */
        public Builder standardShortOptionInitialMin(double fraction) {
            this.standardShortOptionInitialMin = fraction;
            return this;
        }

        /** {@link #STANDARD_LOAN_MAINTENANCE}: a fraction of a loan's USD value. */
        public Builder standardLoanMaintenance(double fraction) {
            this.standardLoanMaintenance = fraction;
            return this;
        }

        /** {@link #STANDARD_LOAN_INITIAL}: a fraction of a loan's USD value. */
        public Builder standardLoanInitial(double fraction) {
            this.standardLoanInitial = fraction;
            return this;
        }

        /** Sets the market sanity bands. */
        public Builder marketSanity(MarketSanityBands bands) {
            this.marketSanity = bands.toBuilder();
            return this;
        }

        /** Changes the market sanity bands: {@code change} gets a builder holding the current ones. */
        public Builder marketSanity(UnaryOperator<MarketSanityBands.Builder> change) {
            this.marketSanity = change.apply(marketSanity);
            return this;
        }

        /** Sets the dynamic haircut parameters of MODEL.md section 10 ({@link DynamicHaircutParameters#off()}: tiers only). */
        public Builder dynamicHaircut(DynamicHaircutParameters p) {
            this.dynamicHaircut = dynamicHaircutValues(p);
            return this;
        }

        /** {@link DynamicHaircutParameters#VOL_QUANTILE}: standard deviations. */
        public Builder haircutVolQuantile(double quantile) {
            dynamicHaircut[0] = quantile;
            return this;
        }

        /** {@link DynamicHaircutParameters#DEPEG_TOLERANCE}: a fraction of 1 USD. */
        public Builder haircutDepegTolerance(double fraction) {
            dynamicHaircut[1] = fraction;
            return this;
        }

        /** {@link DynamicHaircutParameters#DEPEG_MULTIPLIER}: haircut per USD below the tolerance. */
        public Builder haircutDepegMultiplier(double multiplier) {
            dynamicHaircut[2] = multiplier;
            return this;
        }

        /** {@link DynamicHaircutParameters#IMPACT_FACTOR}: the size term's factor. */
        public Builder haircutImpactFactor(double factor) {
            dynamicHaircut[3] = factor;
            return this;
        }

        private static double[] dynamicHaircutValues(DynamicHaircutParameters p) {
            return new double[] {p.volQuantile(), p.depegTolerance(), p.depegMultiplier(), p.impactFactor()};
        }

        /** Sets the whole index section: its defaults and its per-asset entries (replacing those set before). */
        public Builder index(IndexSettingsTable table) {
            indexDefault = table.defaults().toBuilder();
            indexAssets.clear();
            table.assets().forEach((code, s) -> indexAssets.put(code, s.toBuilder()));
            return this;
        }

        /**
         * Changes the index settings of any asset not named ({@code index.default}); entries set before keep
         * their values.
         */
        public Builder indexDefault(UnaryOperator<IndexSettings.Builder> change) {
            indexDefault = change.apply(indexDefault);
            return this;
        }

        /**
         * Changes the index settings of asset {@code code} ({@code index.<code>}): {@code change} gets a builder
         * holding its entry where it has one, else the current {@code index.default} settings.
         */
        public Builder indexAsset(String code, UnaryOperator<IndexSettings.Builder> change) {
            IndexSettings.Builder current = indexAssets.get(Objects.requireNonNull(code, "code"));
            IndexSettings.Builder start = current != null ? current : copy(indexDefault, IndexSettingsTable.DEFAULT_KEY);
            indexAssets.put(code, change.apply(start));
            return this;
        }

        private static IndexSettings.Builder copy(IndexSettings.Builder b, String key) {
            return buildIndex(b, key).toBuilder();
        }

        /**
         * The parameters.
         *
         * @throws InputException naming the first invalid value by its key path: {@code assets.BTC.scanRange},
         *                        {@code assets.default.haircut[1].rate}, {@code marketSanity.minAdv},
         *                        {@code stablecoins[1]}, {@code offsetCap}, ...
         */
        public MarginParameters build() {
            AssetParameters other = buildAsset(otherAsset, OTHER_ASSET);
            Map<String, AssetParameters> named = new TreeMap<>();
            assets.forEach((code, b) -> named.put(code, buildAsset(b, code)));
            MarketSanityBands bands;
            try {
                bands = marketSanity.build();
            } catch (InputException e) {
                throw e.under(MarketSanityBands.PARAMETERS_KEY);
            }
            DynamicHaircutParameters dynamic;
            try {
                dynamic = new DynamicHaircutParameters(dynamicHaircut[0], dynamicHaircut[1], dynamicHaircut[2],
                    dynamicHaircut[3]);
            } catch (InputException e) {
                throw e.under(DynamicHaircutParameters.PARAMETERS_KEY);
            }
            Set<String> coins = new LinkedHashSet<>();
            for (int i = 0; i < stablecoins.size(); i++) {
                String code = Objects.requireNonNull(stablecoins.get(i), STABLECOINS);
                if (!coins.add(code)) {
                    throw new InputException(STABLECOINS + "[" + i + "]", code + " given twice");
                }
            }
            IndexSettings indexDefaults = buildIndex(indexDefault, IndexSettingsTable.DEFAULT_KEY);
            Map<String, IndexSettings> indexNamed = new TreeMap<>();
            indexAssets.forEach((code, b) -> indexNamed.put(code, buildIndex(b, code)));
            IndexSettingsTable index = new IndexSettingsTable(indexDefaults, indexNamed);
            return new MarginParameters(named, other, priceSteps, volUpFloor, volDownFloor, volShockReferenceDays,
                volShockExponentShort, volShockExponentLong, volShockMinDays, extendedMoves, shortOptionMinimum,
                liquidityFactor, correlationStressWeight, offsetCap, jointLossDirections, borrowingRate,
                initialMarginMultiplier, coins, stablecoinDefaultPrice, standardShortOptionMaintenance,
                standardShortOptionInitial, standardShortOptionInitialMin, standardLoanMaintenance,
                standardLoanInitial, bands, dynamic, index);
        }

        private static IndexSettings buildIndex(IndexSettings.Builder b, String key) {
            try {
                return b.build();
            } catch (InputException e) {
                throw e.under(IndexSettingsTable.KEY + "." + key);
            }
        }

        private static AssetParameters buildAsset(AssetParameters.Builder b, String key) {
            try {
                return b.build();
            } catch (InputException e) {
                throw e.under(ASSETS + "." + key);
            }
        }
    }
}
