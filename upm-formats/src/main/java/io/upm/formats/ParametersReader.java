package io.upm.formats;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.IndexSettings;
import io.upm.margin.params.IndexSettingsTable;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSanityBands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

/**
 * Reads a margin parameters file ({@code --params}), JSON or YAML, into {@link MarginParameters}. Every
 * key is optional and overrides one value of {@link MarginParameters#defaults()}; the keys are the record
 * components of {@link MarginParameters}, {@link AssetParameters} and {@link MarketSanityBands}, with the same
 * names:
 *
 * <pre>{@code
 * priceSteps: 4                      # integer in [1, 16]
 * volUpFloor: 0.5
 * extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]
 * offsetCap: 0.5
 * stablecoins: [USD, USDC, USDT, DAI]
 * assets:
 *   BTC: { scanRange: 0.16, volUpShock: 0.5,
 *          haircut: [ {upToUsd: 5000000, rate: 0}, {upToUsd: 50000000, rate: 0.02}, {rate: 0.05} ] }
 *   default: { scanRange: 0.30 }     # MarginParameters.otherAsset: any asset not named
 * marketSanity: { maxStrikeRatio: 10, minAdv: 1000 }
 * dynamicHaircut: { volQuantile: 2.33, depegTolerance: 0.005, depegMultiplier: 2, impactFactor: 0.5 }
 * index:                             # MODEL.md section 9, the live engine's index from several sources
 *   default: { staleAfterSeconds: 60, outlierBand: 0.03 }   # IndexSettingsTable.defaults: any asset not named
 *   BTC: { outlierBand: 0.02 }
 * }</pre>
 *
 * <p>{@code dynamicHaircut} (MODEL.md section 10) overrides only the values it gives; all factors 0
 * ({@code volQuantile: 0, depegMultiplier: 0, impactFactor: 0}) leaves the tiered haircut alone.
 *
 * <p>An entry under {@code assets} overrides only the keys it gives: on top of the asset's built-in entry
 * where it has one (BTC, ETH, SOL, USDC, USDT), else on top of {@code default} (after the file's own
 * overrides of {@code default}). A {@code haircut} replaces the whole schedule; {@code marketSanity}
 * overrides only the bands it gives. An entry under {@code index} overrides only the keys it gives, on top of
 * {@code index.default} (after the file's own overrides of it).
 *
 * <p>This class is a thin mapping of the document's keys onto {@link MarginParameters.Builder}: it checks
 * the document's shape (unknown keys, wrong types, duplicate keys, non-finite numbers, a haircut tier's
 * missing bound) as the other readers do, and the builder checks every value against its option's range
 * ({@link MarginParameters#OFFSET_CAP}, {@link AssetParameters#SCAN_RANGE}, {@link MarketSanityBands#MIN_ADV},
 * ...), naming it by its path ({@code assets.BTC.scanRange}). docs/methodology.md and docs/api.md document
 * their meaning.
 *
 * <p>Stateless and thread-safe.
 */
public final class ParametersReader {
    /** The key under {@code assets} for the parameters of any asset not named there. */
    public static final String DEFAULT_ASSET = MarginParameters.OTHER_ASSET;

    /** The top-level keys, in the order {@link ParametersWriter} writes them. */
    public static final List<String> ROOT_KEYS = List.of(MarginParameters.PRICE_STEPS.key(),
        MarginParameters.VOL_UP_FLOOR.key(), MarginParameters.VOL_DOWN_FLOOR.key(),
        MarginParameters.VOL_SHOCK_REFERENCE_DAYS.key(), MarginParameters.VOL_SHOCK_EXPONENT_SHORT.key(),
        MarginParameters.VOL_SHOCK_EXPONENT_LONG.key(), MarginParameters.VOL_SHOCK_MIN_DAYS.key(),
        MarginParameters.EXTENDED_MOVES, MarginParameters.SHORT_OPTION_MINIMUM.key(),
        MarginParameters.LIQUIDITY_FACTOR.key(), MarginParameters.CORRELATION_STRESS_WEIGHT.key(),
        MarginParameters.OFFSET_CAP.key(), MarginParameters.JOINT_LOSS_DIRECTIONS.key(),
        MarginParameters.BORROWING_RATE.key(), MarginParameters.INITIAL_MARGIN_MULTIPLIER.key(),
        MarginParameters.STABLECOINS, MarginParameters.STABLECOIN_DEFAULT_PRICE.key(),
        MarginParameters.STANDARD_SHORT_OPTION_MAINTENANCE.key(), MarginParameters.STANDARD_SHORT_OPTION_INITIAL.key(),
        MarginParameters.STANDARD_SHORT_OPTION_INITIAL_MIN.key(), MarginParameters.STANDARD_LOAN_MAINTENANCE.key(),
        MarginParameters.STANDARD_LOAN_INITIAL.key(), MarginParameters.ASSETS, MarketSanityBands.PARAMETERS_KEY,
        DynamicHaircutParameters.PARAMETERS_KEY, MarginParameters.INDEX);

    /** The keys of one asset entry, in the order {@link ParametersWriter} writes them. */
    public static final List<String> ASSET_KEYS = AssetParameters.KEYS;

    /** The keys under {@code marketSanity}, in the order {@link ParametersWriter} writes them. */
    public static final List<String> MARKET_SANITY_KEYS = MarketSanityBands.OPTIONS.stream().map(NumberOption::key)
        .toList();

    /** The keys under {@code dynamicHaircut}, in the order {@link ParametersWriter} writes them. */
    public static final List<String> DYNAMIC_HAIRCUT_KEYS = DynamicHaircutParameters.OPTIONS.stream()
        .map(NumberOption::key).toList();
    /** The keys of one entry under {@code index}, in the order {@link ParametersWriter} writes them. */
    public static final List<String> INDEX_KEYS = IndexSettings.KEYS;

    private static final Set<String> TIER_KEYS = Set.of(HaircutSchedule.UP_TO_USD, HaircutSchedule.RATE);

    private ParametersReader() {
    }

    /**
     * Reads a parameters file: JSON for {@code .json}, YAML for {@code .yaml} or {@code .yml}, else by its
     * first character (an opening brace or bracket means JSON).
     *
     * @throws InputException naming the offending key path; field "" for a problem with the file as a whole
     */
    public static MarginParameters read(Path file) {
        return read(DocumentParser.readText(file), file.toString());
    }

    /**
     * Reads parameters from text.
     *
     * @param text       the document, JSON or YAML
     * @param sourceName where it came from; its extension ({@code .json}, {@code .yaml}, {@code .yml})
     *                   picks the syntax, else the text's first character does
     * @throws InputException naming the offending key path; field "" for a problem with the document as a whole
     */
    public static MarginParameters read(String text, String sourceName) {
        return fromTree(DocumentParser.parse(text, DocumentParser.sniff(text, sourceName)));
    }

    /**
     * Reads parameters from a document already parsed, e.g. by {@link DocumentParser}, or a part of a larger
     * document: the same checks and errors as {@link #read(String, String)} after parsing.
     *
     * @param root the document's root
     * @return the parameters it gives, on top of {@link MarginParameters#defaults()}
     * @throws InputException naming the offending key path; field "" for a problem with the root itself
     */
    public static MarginParameters fromTree(JsonNode root) {
        return fromTree(root, MarginParameters.defaults());
    }

    /** The parameters a parsed document gives, on top of {@code base}. */
    static MarginParameters fromTree(JsonNode root, MarginParameters base) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", ROOT_KEYS);
        MarginParameters.Builder b = base.toBuilder();
        integer(root, MarginParameters.PRICE_STEPS, b::priceSteps);
        number(root, "", MarginParameters.VOL_UP_FLOOR, b::volUpFloor);
        number(root, "", MarginParameters.VOL_DOWN_FLOOR, b::volDownFloor);
        number(root, "", MarginParameters.VOL_SHOCK_REFERENCE_DAYS, b::volShockReferenceDays);
        number(root, "", MarginParameters.VOL_SHOCK_EXPONENT_SHORT, b::volShockExponentShort);
        number(root, "", MarginParameters.VOL_SHOCK_EXPONENT_LONG, b::volShockExponentLong);
        number(root, "", MarginParameters.VOL_SHOCK_MIN_DAYS, b::volShockMinDays);
        if (root.has(MarginParameters.EXTENDED_MOVES)) {
            b.extendedMoves(numbers(root.get(MarginParameters.EXTENDED_MOVES), MarginParameters.EXTENDED_MOVES));
        }
        number(root, "", MarginParameters.SHORT_OPTION_MINIMUM, b::shortOptionMinimum);
        number(root, "", MarginParameters.LIQUIDITY_FACTOR, b::liquidityFactor);
        number(root, "", MarginParameters.CORRELATION_STRESS_WEIGHT, b::correlationStressWeight);
        number(root, "", MarginParameters.OFFSET_CAP, b::offsetCap);
        integer(root, MarginParameters.JOINT_LOSS_DIRECTIONS, b::jointLossDirections);
        number(root, "", MarginParameters.BORROWING_RATE, b::borrowingRate);
        number(root, "", MarginParameters.INITIAL_MARGIN_MULTIPLIER, b::initialMarginMultiplier);
        if (root.has(MarginParameters.STABLECOINS)) {
            b.stablecoins(strings(root.get(MarginParameters.STABLECOINS), MarginParameters.STABLECOINS));
        }
        number(root, "", MarginParameters.STABLECOIN_DEFAULT_PRICE, b::stablecoinDefaultPrice);
        number(root, "", MarginParameters.STANDARD_SHORT_OPTION_MAINTENANCE, b::standardShortOptionMaintenance);
        number(root, "", MarginParameters.STANDARD_SHORT_OPTION_INITIAL, b::standardShortOptionInitial);
        number(root, "", MarginParameters.STANDARD_SHORT_OPTION_INITIAL_MIN, b::standardShortOptionInitialMin);
        number(root, "", MarginParameters.STANDARD_LOAN_MAINTENANCE, b::standardLoanMaintenance);
        number(root, "", MarginParameters.STANDARD_LOAN_INITIAL, b::standardLoanInitial);

        JsonNode a = root.get(MarginParameters.ASSETS);
        if (a != null) {
            TreeFields.object(a, MarginParameters.ASSETS);
            JsonNode def = a.get(DEFAULT_ASSET);
            if (def != null) {
                b.otherAsset(entry -> asset(def, child(MarginParameters.ASSETS, DEFAULT_ASSET), entry));
            }
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(a)) {
                if (!e.getKey().equals(DEFAULT_ASSET)) {
                    String path = child(MarginParameters.ASSETS, e.getKey());
                    b.asset(e.getKey(), entry -> asset(e.getValue(), path, entry));
                }
            }
        }

        JsonNode bands = root.get(MarketSanityBands.PARAMETERS_KEY);
        if (bands != null) {
            b.marketSanity(sanity -> marketSanity(bands, sanity));
        }

        JsonNode dynamic = root.get(DynamicHaircutParameters.PARAMETERS_KEY);
        if (dynamic != null) {
            String path = DynamicHaircutParameters.PARAMETERS_KEY;
            TreeFields.object(dynamic, path);
            TreeFields.onlyKeys(dynamic, path, DYNAMIC_HAIRCUT_KEYS);
            number(dynamic, path, DynamicHaircutParameters.VOL_QUANTILE, b::haircutVolQuantile);
            number(dynamic, path, DynamicHaircutParameters.DEPEG_TOLERANCE, b::haircutDepegTolerance);
            number(dynamic, path, DynamicHaircutParameters.DEPEG_MULTIPLIER, b::haircutDepegMultiplier);
            number(dynamic, path, DynamicHaircutParameters.IMPACT_FACTOR, b::haircutImpactFactor);
        }

        JsonNode index = root.get(MarginParameters.INDEX);
        if (index != null) {
            TreeFields.object(index, MarginParameters.INDEX);
            JsonNode def = index.get(IndexSettingsTable.DEFAULT_KEY);
            if (def != null) {
                b.indexDefault(entry -> indexEntry(def, child(MarginParameters.INDEX, IndexSettingsTable.DEFAULT_KEY),
                    entry));
            }
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(index)) {
                if (!e.getKey().equals(IndexSettingsTable.DEFAULT_KEY)) {
                    String path = child(MarginParameters.INDEX, e.getKey());
                    b.indexAsset(e.getKey(), entry -> indexEntry(e.getValue(), path, entry));
                }
            }
        }
        return b.build();
    }

    /** Maps an asset entry's keys onto {@code b}. */
    private static AssetParameters.Builder asset(JsonNode node, String path, AssetParameters.Builder b) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, ASSET_KEYS);
        number(node, path, AssetParameters.SCAN_RANGE, b::scanRange);
        number(node, path, AssetParameters.VOL_UP_SHOCK, b::volUpShock);
        number(node, path, AssetParameters.VOL_DOWN_SHOCK, b::volDownShock);
        number(node, path, AssetParameters.ROLL_MIN_MOVE, b::rollMinMove);
        number(node, path, AssetParameters.ROLL_ANNUAL_MOVE_RATE, b::rollAnnualMoveRate);
        if (node.has(AssetParameters.HAIRCUT)) {
            b.haircut(haircut(node.get(AssetParameters.HAIRCUT), child(path, AssetParameters.HAIRCUT)));
        }
        number(node, path, AssetParameters.STANDARD_FUTURE_INITIAL, b::standardFutureInitial);
        number(node, path, AssetParameters.STANDARD_FUTURE_MAINTENANCE, b::standardFutureMaintenance);
        return b;
    }

    /** Maps an {@code index} entry's keys onto {@code b}; the integers' ranges are the builder's to check. */
    private static IndexSettings.Builder indexEntry(JsonNode node, String path, IndexSettings.Builder b) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, INDEX_KEYS);
        number(node, path, IndexSettings.STALE_AFTER, b::staleAfterSeconds);
        number(node, path, IndexSettings.OUTLIER_BAND, b::outlierBand);
        number(node, path, IndexSettings.QUORUM_FRACTION, b::quorumFraction);
        integer(node, path, IndexSettings.MIN_QUORUM, b::minQuorum);
        number(node, path, IndexSettings.CONFIDENCE_FACTOR, b::confidenceFactor);
        number(node, path, IndexSettings.FREE_SPREAD, b::freeSpread);
        number(node, path, IndexSettings.TWAP_WINDOW, b::twapWindowSeconds);
        integer(node, path, IndexSettings.TWAP_CAPACITY, b::twapCapacity);
        return b;
    }

    /** Maps the {@code marketSanity} keys onto {@code b}. */
    private static MarketSanityBands.Builder marketSanity(JsonNode node, MarketSanityBands.Builder b) {
        String path = MarketSanityBands.PARAMETERS_KEY;
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, MARKET_SANITY_KEYS);
        number(node, path, MarketSanityBands.MIN_PRICE, b::minPrice);
        number(node, path, MarketSanityBands.MAX_PRICE, b::maxPrice);
        number(node, path, MarketSanityBands.MAX_FORWARD_LOG_BASIS, b::maxForwardLogBasis);
        number(node, path, MarketSanityBands.MAX_FORWARD_LOG_BASIS_PER_YEAR, b::maxForwardLogBasisPerYear);
        number(node, path, MarketSanityBands.MAX_PERPETUAL_MARK_LOG_BASIS, b::maxPerpetualMarkLogBasis);
        number(node, path, MarketSanityBands.MIN_ADV, b::minAdv);
        number(node, path, MarketSanityBands.MAX_ADV, b::maxAdv);
        number(node, path, MarketSanityBands.MAX_ABS_RATE, b::maxAbsRate);
        number(node, path, MarketSanityBands.MAX_STRIKE_RATIO, b::maxStrikeRatio);
        number(node, path, MarketSanityBands.MAX_EXPIRY_YEARS, b::maxExpiryYears);
        return b;
    }

    /**
     * Tiers [{upToUsd, rate}, ..., {rate}]: every tier but the last has a bound, the last has none; the values
     * are checked by {@link HaircutSchedule}'s constructor, its errors put under {@code path}.
     */
    private static HaircutSchedule haircut(JsonNode node, String path) {
        TreeFields.array(node, path);
        int n = node.size();
        if (n == 0) {
            throw new InputException(path, "needs at least one tier: [{\"rate\": r}]");
        }
        double[] bounds = new double[n - 1];
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) {
            String tPath = element(path, i);
            JsonNode tier = TreeFields.object(node.get(i), tPath);
            TreeFields.onlyKeys(tier, tPath, TIER_KEYS);
            String rPath = child(tPath, HaircutSchedule.RATE);
            rates[i] = TreeFields.number(TreeFields.required(tier, HaircutSchedule.RATE, tPath), rPath);
            JsonNode upTo = tier.get(HaircutSchedule.UP_TO_USD);
            String bPath = child(tPath, HaircutSchedule.UP_TO_USD);
            if (i == n - 1) {
                if (upTo != null) {
                    throw new InputException(bPath, "the last tier applies to everything above the previous bound: "
                        + "it has no upToUsd");
                }
                continue;
            }
            if (upTo == null) {
                throw new InputException(bPath, "missing required field (every tier but the last has an upper bound)");
            }
            bounds[i] = TreeFields.number(upTo, bPath);
        }
        try {
            return new HaircutSchedule(bounds, rates);
        } catch (InputException e) {
            throw e.under(path);
        }
    }

    private static List<Double> numbers(JsonNode node, String path) {
        TreeFields.array(node, path);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(TreeFields.number(node.get(i), element(path, i)));
        }
        return values;
    }

    private static List<String> strings(JsonNode node, String path) {
        TreeFields.array(node, path);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(TreeFields.string(node.get(i), element(path, i)));
        }
        return values;
    }

    /** Sets an optional number of {@code object} (at {@code path}) through {@code setter}. */
    private static void number(JsonNode object, String path, NumberOption option, DoubleConsumer setter) {
        JsonNode v = object.get(option.key());
        if (v != null) {
            setter.accept(TreeFields.number(v, option.path(path)));
        }
    }

    /**
     * Sets an optional root integer through {@code setter}; its range is the builder's to check, except for a
     * fraction or a number beyond an {@code int}, which the option's range words here.
     */
    private static void integer(JsonNode root, NumberOption option, IntConsumer setter) {
        integer(root, "", option, setter);
    }

    /** Sets an optional integer of {@code object} (at {@code path}) through {@code setter}, as above. */
    private static void integer(JsonNode object, String path, NumberOption option, IntConsumer setter) {
        JsonNode v = object.get(option.key());
        if (v != null) {
            double d = TreeFields.number(v, option.path(path));
            if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
                option.check(d, path);
            }
            setter.accept((int) d);
        }
    }
}
