package io.upm.backtest;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;
import static io.upm.formats.TreeFields.object;
import static io.upm.formats.TreeFields.onlyKeys;
import static io.upm.formats.TreeFields.optionalBool;
import static io.upm.formats.TreeFields.optionalNumber;
import static io.upm.formats.TreeFields.optionalString;
import static io.upm.formats.TreeFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.backtest.model.BacktestModelSettings;
import io.upm.backtest.model.FhsMarginModel;
import io.upm.backtest.model.FhsMarginModel.StressPeriod;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.formats.DocumentParser;
import io.upm.formats.TreeFields;
import io.upm.input.InputException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a backtest settings document (JSON or YAML; {@code --backtest-params}), separate from the margin
 * parameters file, into {@link BacktestModelSettings}, so that the margin model and its options are selected by
 * parameters and not only on the command line. Every key is optional and overrides one default; the keys are the
 * component names of {@link BacktestModelSettings}, {@link FhsMarginModel.Settings} and
 * {@link VolatilityScanRangeSettings}, where each option's unit, default and meaning are documented:
 *
 * <pre>{@code
 * model: fhs                    # matrix | matrix-vol | fhs | max
 * fhs:
 *   lookbackDays: 1461
 *   confidence: 0.99
 *   ewmaLambda: 0.94
 *   seedDays: 30
 *   horizonDays: 1
 *   horizonScaling: overlapping  # overlapping | sqrt
 *   missingHistory: proxy        # proxy | joint
 *   proxyAsset: BTC
 *   volScenarios: dvol           # dvol | none
 *   stressPeriods: [{from: "2020-03-08", to: "2020-03-31"}]   # replaces the default list; [] for none
 *   minScenarios: 250
 *   shortOptionMinimumFloor: true
 * scanRanges:                    # absent or null: MODEL.md's static R_u; {} : all defaults
 *   model: ewma                  # ewma | garch
 *   lambda: 0.94
 *   seedDays: 30
 *   garchWindowDays: 1461
 *   garchRefitDays: 30
 *   confidence: 0.99
 *   horizonDays: 1
 *   multiplier: empirical        # empirical | normal
 *   multiplierLookbackDays: 1461
 *   buffer: 0.25                 # EMIR RTS 153/2013 art. 28(1)(a); 0 = off
 *   bufferRebuildDays: 20
 *   stressedWeight: 0            # art. 28(1)(b); 0 = off
 *   stressWindowDays: 60
 *   floorLookbackDays: 3650      # art. 28(1)(c); 0 = off
 *   floorAtStatic: false
 *   maxScanRange: 0.9
 * }</pre>
 *
 * <p>An empty document (no text, or only comments) or {@code null} gives the defaults. Unknown keys, wrong types,
 * duplicate keys, non-finite numbers and out-of-range values are rejected with an {@link InputException} naming
 * the field's path ({@code fhs.lookbackDays}): the document is parsed by {@link DocumentParser} and read with
 * {@link TreeFields}, as the readers of upm-formats are, with the same messages. Stateless and thread-safe.
 */
public final class BacktestSettingsReader {
    private static final Set<String> ROOT_KEYS = Set.of("model", "fhs", "scanRanges");
    private static final Set<String> FHS_KEYS = Set.of("lookbackDays", "confidence", "ewmaLambda", "seedDays",
        "horizonDays", "horizonScaling", "missingHistory", "proxyAsset", "volScenarios", "stressPeriods",
        "minScenarios", "shortOptionMinimumFloor");
    private static final Set<String> SCAN_KEYS = Set.of("model", "lambda", "seedDays", "garchWindowDays",
        "garchRefitDays", "confidence", "horizonDays", "multiplier", "multiplierLookbackDays", "buffer",
        "bufferRebuildDays", "stressedWeight", "stressWindowDays", "floorLookbackDays", "floorAtStatic",
        "maxScanRange");
    private static final Set<String> PERIOD_KEYS = Set.of("from", "to");

    private BacktestSettingsReader() {
    }

    /**
     * Reads a settings file: YAML for {@code .yaml}/{@code .yml}, JSON for {@code .json}, else by its first
     * character.
     *
     * @throws InputException with field "" if the file cannot be read ({@link DocumentParser#readText(Path)}),
     *                        else naming the offending field
     */
    public static BacktestModelSettings read(Path file) {
        return parse(DocumentParser.readText(file), file.toString());
    }

    /**
     * Parses a settings document.
     *
     * @param text       the document
     * @param sourceName its file name, for the syntax ({@code .json}, {@code .yaml}, {@code .yml}); may be empty,
     *                   and then the text's first character picks it ({@link DocumentParser#sniff(String, String)})
     */
    public static BacktestModelSettings parse(String text, String sourceName) {
        return fromTree(DocumentParser.parseOptional(text, DocumentParser.sniff(text, sourceName)).orElse(null));
    }

    /**
     * The settings of a document already parsed, or of a section of a larger one; the fields of errors are
     * relative to {@code root}.
     *
     * @param root the document's root; null or a null node gives the defaults
     */
    static BacktestModelSettings fromTree(JsonNode root) {
        if (root == null || root.isNull()) {
            return BacktestModelSettings.defaults();
        }
        object(root, "");
        onlyKeys(root, "", ROOT_KEYS);
        BacktestModelSettings d = BacktestModelSettings.defaults();
        String model = optionalString(root, "model", "", d.model());
        FhsMarginModel.Settings fhs = root.has("fhs") && !root.get("fhs").isNull()
            ? fhs(root.get("fhs"), d.fhs()) : d.fhs();
        VolatilityScanRangeSettings scan = root.has("scanRanges") && !root.get("scanRanges").isNull()
            ? scanRanges(root.get("scanRanges"), VolatilityScanRangeSettings.defaults()) : null;
        return new BacktestModelSettings(model, fhs, scan);
    }

    private static FhsMarginModel.Settings fhs(JsonNode node, FhsMarginModel.Settings d) {
        String p = "fhs";
        object(node, p);
        onlyKeys(node, p, FHS_KEYS);
        try {
            return new FhsMarginModel.Settings(
                optionalInt(node, "lookbackDays", p, d.lookbackDays()),
                optionalNumber(node, "confidence", p, d.confidence()),
                optionalNumber(node, "ewmaLambda", p, d.ewmaLambda()),
                optionalInt(node, "seedDays", p, d.seedDays()),
                optionalInt(node, "horizonDays", p, d.horizonDays()),
                optionalEnum(node, "horizonScaling", p, d.horizonScaling()),
                optionalEnum(node, "missingHistory", p, d.missingHistory()),
                optionalString(node, "proxyAsset", p, d.proxyAsset()),
                optionalEnum(node, "volScenarios", p, d.volScenarios()),
                node.has("stressPeriods") ? periods(node.get("stressPeriods"), child(p, "stressPeriods"))
                    : d.stressPeriods(),
                optionalInt(node, "minScenarios", p, Math.min(d.minScenarios(),
                    optionalInt(node, "lookbackDays", p, d.lookbackDays()))),
                optionalBool(node, "shortOptionMinimumFloor", p, d.shortOptionMinimumFloor()));
        } catch (InputException e) {
            throw e.field().startsWith(p + ".") ? e : e.under(p);
        }
    }

    private static VolatilityScanRangeSettings scanRanges(JsonNode node, VolatilityScanRangeSettings d) {
        String p = "scanRanges";
        object(node, p);
        onlyKeys(node, p, SCAN_KEYS);
        try {
            return new VolatilityScanRangeSettings(
                optionalEnum(node, "model", p, d.model()),
                optionalNumber(node, "lambda", p, d.lambda()),
                optionalInt(node, "seedDays", p, d.seedDays()),
                optionalInt(node, "garchWindowDays", p, d.garchWindowDays()),
                optionalInt(node, "garchRefitDays", p, d.garchRefitDays()),
                optionalNumber(node, "confidence", p, d.confidence()),
                optionalInt(node, "horizonDays", p, d.horizonDays()),
                optionalEnum(node, "multiplier", p, d.multiplier()),
                optionalInt(node, "multiplierLookbackDays", p, d.multiplierLookbackDays()),
                optionalNumber(node, "buffer", p, d.buffer()),
                optionalInt(node, "bufferRebuildDays", p, d.bufferRebuildDays()),
                optionalNumber(node, "stressedWeight", p, d.stressedWeight()),
                optionalInt(node, "stressWindowDays", p, d.stressWindowDays()),
                optionalInt(node, "floorLookbackDays", p, d.floorLookbackDays()),
                optionalBool(node, "floorAtStatic", p, d.floorAtStatic()),
                optionalNumber(node, "maxScanRange", p, d.maxScanRange()));
        } catch (InputException e) {
            throw e.field().startsWith(p + ".") ? e : e.under(p);
        }
    }

    private static List<StressPeriod> periods(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw new InputException(path, "expected an array of {from, to}, got " + TreeFields.typeName(node));
        }
        List<StressPeriod> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = element(path, i);
            JsonNode e = node.get(i);
            object(e, at);
            onlyKeys(e, at, PERIOD_KEYS);
            LocalDate from = date(e.get("from"), child(at, "from"));
            LocalDate to = date(e.get("to"), child(at, "to"));
            try {
                out.add(new StressPeriod(from, to));
            } catch (InputException ex) {
                throw ex.under(at);
            }
        }
        return out;
    }

    /** An optional key's value as any int: the ranges are checked by the settings records, naming the key. */
    private static int optionalInt(JsonNode object, String key, String path, int fallback) {
        return TreeFields.optionalInteger(object, key, path, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An optional key's value as a constant of the fallback's enum, by its name in any case. */
    private static <E extends Enum<E>> E optionalEnum(JsonNode object, String key, String path, E fallback) {
        String text = optionalString(object, key, path, null);
        if (text == null) {
            return fallback;
        }
        E[] constants = fallback.getDeclaringClass().getEnumConstants();
        for (E e : constants) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : constants) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new InputException(child(path, key), "unknown value \"" + text + "\"; expected one of " + names);
    }

    private static LocalDate date(JsonNode node, String path) {
        String s = string(node, path);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InputException(path, "not a date YYYY-MM-DD: \"" + s + "\"");
        }
    }
}
