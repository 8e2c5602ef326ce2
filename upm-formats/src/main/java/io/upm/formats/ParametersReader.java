package io.upm.formats;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.TreeFields.Range;
import io.upm.input.InputException;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a margin parameters file ({@code --params}), JSON or YAML, into {@link MarginParameters}. Every
 * key is optional and overrides one value of {@link MarginParameters#defaults()}; the keys are the record
 * components of {@link MarginParameters} and {@link AssetParameters}, with the same names:
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
 * }</pre>
 *
 * <p>An entry under {@code assets} overrides only the keys it gives: on top of the asset's built-in entry
 * where it has one (BTC, ETH, SOL, USDC, USDT), else on top of {@code default} (after the file's own
 * overrides of {@code default}). A {@code haircut} replaces the whole schedule. Each value is checked
 * against its range and a bad one is an {@link InputException} naming its path
 * ({@code assets.BTC.scanRange}); unknown keys, wrong types, duplicate keys and non-finite numbers are
 * rejected as in the other readers. The table of keys and ranges is {@link #ROOT_KEYS},
 * {@link #ASSET_KEYS} and the methods below; docs/methodology.md documents their meaning.
 *
 * <p>Stateless and thread-safe.
 */
public final class ParametersReader {
    /** The key under {@code assets} for the parameters of any asset not named there. */
    public static final String DEFAULT_ASSET = "default";

    /** The top-level keys, in the order {@link ParametersWriter} writes them. */
    public static final List<String> ROOT_KEYS = List.of("priceSteps", "volUpFloor", "volDownFloor",
        "volShockReferenceDays", "volShockExponentShort", "volShockExponentLong", "volShockMinDays", "extendedMoves",
        "shortOptionMinimum", "liquidityFactor", "correlationStressWeight", "offsetCap", "jointLossDirections",
        "borrowingRate", "initialMarginMultiplier", "stablecoins", "stablecoinDefaultPrice",
        "standardShortOptionMaintenance", "standardShortOptionInitial", "standardShortOptionInitialMin",
        "standardLoanMaintenance", "standardLoanInitial", "assets");

    /** The keys of one asset entry, in the order {@link ParametersWriter} writes them. */
    public static final List<String> ASSET_KEYS = List.of("scanRange", "volUpShock", "volDownShock", "rollMinMove",
        "rollAnnualMoveRate", "haircut", "standardFutureInitial", "standardFutureMaintenance");

    /** Largest number of price steps on each side of zero. */
    static final int MAX_PRICE_STEPS = 16;
    /** Largest number of joint-loss directions. */
    static final int MAX_JOINT_LOSS_DIRECTIONS = 1_000_000;
    /** Largest number of extended moves. */
    static final int MAX_EXTENDED_MOVES = 64;
    /** Largest number of haircut tiers. */
    static final int MAX_HAIRCUT_TIERS = 32;
    /** Largest haircut bound, USD. */
    static final double MAX_HAIRCUT_BOUND = 1e15;

    private static final Range FRACTION = Range.closed(0, 1);
    private static final Set<String> TIER_KEYS = Set.of("upToUsd", "rate");

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
        MarginParameters d = base;
        int priceSteps = integer(root, "priceSteps", d.priceSteps(), 1, MAX_PRICE_STEPS);
        double volUpFloor = number(root, "volUpFloor", d.volUpFloor(), Range.closed(0, 10));
        double volDownFloor = number(root, "volDownFloor", d.volDownFloor(), Range.aboveTo(0, 10));
        double volShockReferenceDays = number(root, "volShockReferenceDays", d.volShockReferenceDays(),
            Range.aboveTo(0, 3650));
        double volShockExponentShort = number(root, "volShockExponentShort", d.volShockExponentShort(),
            Range.closed(0, 10));
        double volShockExponentLong = number(root, "volShockExponentLong", d.volShockExponentLong(), Range.closed(0, 10));
        double volShockMinDays = number(root, "volShockMinDays", d.volShockMinDays(), Range.aboveTo(0, 3650));
        List<Double> extendedMoves = root.has("extendedMoves") ? extendedMoves(root.get("extendedMoves"))
            : d.extendedMoves();
        double shortOptionMinimum = number(root, "shortOptionMinimum", d.shortOptionMinimum(), FRACTION);
        double liquidityFactor = number(root, "liquidityFactor", d.liquidityFactor(), Range.closed(0, 100));
        double correlationStressWeight = number(root, "correlationStressWeight", d.correlationStressWeight(), FRACTION);
        double offsetCap = number(root, "offsetCap", d.offsetCap(), FRACTION);
        int jointLossDirections = integer(root, "jointLossDirections", d.jointLossDirections(), 0,
            MAX_JOINT_LOSS_DIRECTIONS);
        double borrowingRate = number(root, "borrowingRate", d.borrowingRate(), FRACTION);
        double initialMarginMultiplier = number(root, "initialMarginMultiplier", d.initialMarginMultiplier(),
            Range.closed(1, 100));
        Set<String> stablecoins = root.has("stablecoins") ? stablecoins(root.get("stablecoins")) : d.stablecoins();
        double stablecoinDefaultPrice = number(root, "stablecoinDefaultPrice", d.stablecoinDefaultPrice(),
            Range.aboveTo(0, MarketSnapshot.MAX_PRICE));
        double standardShortOptionMaintenance = number(root, "standardShortOptionMaintenance",
            d.standardShortOptionMaintenance(), FRACTION);
        double standardShortOptionInitial = number(root, "standardShortOptionInitial", d.standardShortOptionInitial(),
            FRACTION);
        double standardShortOptionInitialMin = number(root, "standardShortOptionInitialMin",
            d.standardShortOptionInitialMin(), FRACTION);
        double standardLoanMaintenance = number(root, "standardLoanMaintenance", d.standardLoanMaintenance(), FRACTION);
        double standardLoanInitial = number(root, "standardLoanInitial", d.standardLoanInitial(), FRACTION);

        Map<String, AssetParameters> assets = new TreeMap<>(d.assets());
        AssetParameters other = d.otherAsset();
        JsonNode a = root.get("assets");
        if (a != null) {
            TreeFields.object(a, "assets");
            JsonNode def = a.get(DEFAULT_ASSET);
            if (def != null) {
                other = asset(def, child("assets", DEFAULT_ASSET), other);
            }
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(a)) {
                String code = e.getKey();
                if (code.equals(DEFAULT_ASSET)) {
                    continue;
                }
                String path = child("assets", code);
                if (!InstrumentNames.isAssetCode(code)) {
                    throw new InputException(path, "\"" + code + "\" is neither an asset code (upper-case letters and "
                        + "digits) nor \"" + DEFAULT_ASSET + "\"");
                }
                AssetParameters start = assets.getOrDefault(code, other);
                assets.put(code, asset(e.getValue(), path, start));
            }
        }
        return new MarginParameters(assets, other, priceSteps, volUpFloor, volDownFloor, volShockReferenceDays,
            volShockExponentShort, volShockExponentLong, volShockMinDays, extendedMoves, shortOptionMinimum,
            liquidityFactor, correlationStressWeight, offsetCap, jointLossDirections, borrowingRate,
            initialMarginMultiplier, stablecoins, stablecoinDefaultPrice, standardShortOptionMaintenance,
            standardShortOptionInitial, standardShortOptionInitialMin, standardLoanMaintenance, standardLoanInitial);
    }

    private static AssetParameters asset(JsonNode node, String path, AssetParameters base) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, ASSET_KEYS);
        double scanRange = number(node, path, "scanRange", base.scanRange(), Range.aboveTo(0, 1));
        double volUpShock = number(node, path, "volUpShock", base.volUpShock(), Range.closed(0, 10));
        double volDownShock = number(node, path, "volDownShock", base.volDownShock(), FRACTION);
        double rollMinMove = number(node, path, "rollMinMove", base.rollMinMove(), FRACTION);
        double rollAnnualMoveRate = number(node, path, "rollAnnualMoveRate", base.rollAnnualMoveRate(),
            Range.closed(0, 10));
        HaircutSchedule haircut = node.has("haircut") ? haircut(node.get("haircut"), child(path, "haircut"))
            : base.haircut();
        double standardFutureInitial = number(node, path, "standardFutureInitial", base.standardFutureInitial(),
            FRACTION);
        double standardFutureMaintenance = number(node, path, "standardFutureMaintenance",
            base.standardFutureMaintenance(), FRACTION);
        return new AssetParameters(scanRange, volUpShock, volDownShock, rollMinMove, rollAnnualMoveRate, haircut,
            standardFutureInitial, standardFutureMaintenance);
    }

    /** Tiers [{upToUsd, rate}, ..., {rate}]: bounds positive and strictly increasing, the last tier unbounded. */
    private static HaircutSchedule haircut(JsonNode node, String path) {
        TreeFields.array(node, path);
        int n = node.size();
        if (n == 0) {
            throw new InputException(path, "needs at least one tier: [{\"rate\": r}]");
        }
        if (n > MAX_HAIRCUT_TIERS) {
            throw new InputException(path, "at most " + MAX_HAIRCUT_TIERS + " tiers, got " + n);
        }
        double[] bounds = new double[n - 1];
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) {
            String tPath = element(path, i);
            JsonNode tier = TreeFields.object(node.get(i), tPath);
            TreeFields.onlyKeys(tier, tPath, TIER_KEYS);
            rates[i] = TreeFields.number(TreeFields.required(tier, "rate", tPath), child(tPath, "rate"), FRACTION);
            JsonNode upTo = tier.get("upToUsd");
            String bPath = child(tPath, "upToUsd");
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
            bounds[i] = TreeFields.number(upTo, bPath, Range.aboveTo(0, MAX_HAIRCUT_BOUND));
            if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                throw new InputException(bPath, "bounds must be strictly increasing, got " + upTo.asText() + " after "
                    + node.get(i - 1).get("upToUsd").asText());
            }
        }
        return new HaircutSchedule(bounds, rates);
    }

    private static List<Double> extendedMoves(JsonNode node) {
        String path = "extendedMoves";
        TreeFields.array(node, path);
        if (node.isEmpty()) {
            throw new InputException(path, "needs at least one move");
        }
        if (node.size() > MAX_EXTENDED_MOVES) {
            throw new InputException(path, "at most " + MAX_EXTENDED_MOVES + " moves, got " + node.size());
        }
        List<Double> moves = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String mPath = element(path, i);
            double e = TreeFields.number(node.get(i), mPath, new Range(-1, false, 100, true));
            if (e == 0) {
                throw new InputException(mPath, "a move of 0 is no move (the extended loss divides by |move|)");
            }
            moves.add(e);
        }
        return moves;
    }

    private static Set<String> stablecoins(JsonNode node) {
        String path = "stablecoins";
        TreeFields.array(node, path);
        Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String cPath = element(path, i);
            String code = TreeFields.string(node.get(i), cPath);
            if (!InstrumentNames.isAssetCode(code)) {
                throw new InputException(cPath, "\"" + code + "\" is not an asset code (upper-case letters and digits)");
            }
            if (!codes.add(code)) {
                throw new InputException(cPath, code + " given twice");
            }
        }
        return codes;
    }

    private static double number(JsonNode root, String key, double dflt, Range range) {
        return number(root, "", key, dflt, range);
    }

    private static double number(JsonNode object, String path, String key, double dflt, Range range) {
        return TreeFields.optionalNumber(object, key, path, dflt, range);
    }

    private static int integer(JsonNode root, String key, int dflt, int min, int max) {
        return TreeFields.optionalInteger(root, key, "", dflt, min, max);
    }
}
