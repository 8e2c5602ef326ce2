package io.upm.backtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.upm.backtest.model.BacktestModelSettings;
import io.upm.backtest.model.FhsMarginModel;
import io.upm.backtest.model.FhsMarginModel.StressPeriod;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.input.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
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
 * <p>Unknown keys, wrong types, duplicate keys, non-finite numbers and out-of-range values are rejected with an
 * {@link InputException} naming the field's path ({@code fhs.lookbackDays}), as the readers of upm-formats do.
 * Stateless and thread-safe.
 */
public final class BacktestSettingsReader {
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

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
     * @throws InputException with field "" if the file cannot be read, else naming the offending field
     */
    public static BacktestModelSettings read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException("", "cannot read the file: no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InputException("", "cannot read the file: " + e.getMessage());
        }
        return parse(text, file.getFileName() == null ? "" : file.getFileName().toString());
    }

    /**
     * Parses a settings document.
     *
     * @param text       the document
     * @param sourceName its file name, for the syntax ({@code .json}, {@code .yaml}, {@code .yml}); may be empty
     */
    public static BacktestModelSettings parse(String text, String sourceName) {
        JsonNode root = tree(text, sourceName);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return BacktestModelSettings.defaults();
        }
        object(root, "");
        onlyKeys(root, "", ROOT_KEYS);
        BacktestModelSettings d = BacktestModelSettings.defaults();
        String model = root.has("model") ? string(root.get("model"), "model") : d.model();
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
                integer(node, "lookbackDays", d.lookbackDays(), p),
                number(node, "confidence", d.confidence(), p),
                number(node, "ewmaLambda", d.ewmaLambda(), p),
                integer(node, "seedDays", d.seedDays(), p),
                integer(node, "horizonDays", d.horizonDays(), p),
                choice(node, "horizonScaling", FhsMarginModel.HorizonScaling.class, d.horizonScaling(), p),
                choice(node, "missingHistory", FhsMarginModel.MissingHistory.class, d.missingHistory(), p),
                node.has("proxyAsset") ? string(node.get("proxyAsset"), p + ".proxyAsset") : d.proxyAsset(),
                choice(node, "volScenarios", FhsMarginModel.VolScenarios.class, d.volScenarios(), p),
                node.has("stressPeriods") ? periods(node.get("stressPeriods"), p + ".stressPeriods") : d.stressPeriods(),
                integer(node, "minScenarios", Math.min(d.minScenarios(),
                    integer(node, "lookbackDays", d.lookbackDays(), p)), p),
                bool(node, "shortOptionMinimumFloor", d.shortOptionMinimumFloor(), p));
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
                choice(node, "model", VolatilityScanRangeSettings.Model.class, d.model(), p),
                number(node, "lambda", d.lambda(), p),
                integer(node, "seedDays", d.seedDays(), p),
                integer(node, "garchWindowDays", d.garchWindowDays(), p),
                integer(node, "garchRefitDays", d.garchRefitDays(), p),
                number(node, "confidence", d.confidence(), p),
                integer(node, "horizonDays", d.horizonDays(), p),
                choice(node, "multiplier", VolatilityScanRangeSettings.Multiplier.class, d.multiplier(), p),
                integer(node, "multiplierLookbackDays", d.multiplierLookbackDays(), p),
                number(node, "buffer", d.buffer(), p),
                integer(node, "bufferRebuildDays", d.bufferRebuildDays(), p),
                number(node, "stressedWeight", d.stressedWeight(), p),
                integer(node, "stressWindowDays", d.stressWindowDays(), p),
                integer(node, "floorLookbackDays", d.floorLookbackDays(), p),
                bool(node, "floorAtStatic", d.floorAtStatic(), p),
                number(node, "maxScanRange", d.maxScanRange(), p));
        } catch (InputException e) {
            throw e.field().startsWith(p + ".") ? e : e.under(p);
        }
    }

    private static List<StressPeriod> periods(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw new InputException(path, "expected an array of {from, to}, got " + typeName(node));
        }
        List<StressPeriod> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode e = node.get(i);
            object(e, at);
            onlyKeys(e, at, PERIOD_KEYS);
            LocalDate from = date(e.get("from"), at + ".from");
            LocalDate to = date(e.get("to"), at + ".to");
            try {
                out.add(new StressPeriod(from, to));
            } catch (InputException ex) {
                throw ex.under(at);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    private static JsonNode tree(String text, String sourceName) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String name = sourceName == null ? "" : sourceName.toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml")
            || (!name.endsWith(".json") && !text.strip().startsWith("{"));
        ObjectMapper mapper = yaml ? YAML : JSON;
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            JsonNode root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new InputException("", "unexpected content after the end of the document");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String msg = String.valueOf(e.getOriginalMessage()).replaceAll("[\\r\\n]+\\s*", " ");
            throw new InputException("", "invalid " + (yaml ? "YAML" : "JSON") + ": " + msg + where);
        } catch (IOException e) {
            throw new InputException("", "unreadable document: " + e.getMessage());
        }
    }

    private static void object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InputException(path, "expected an object, got " + typeName(node));
        }
    }

    private static void onlyKeys(JsonNode object, String path, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InputException(child(path, key), "unknown field; expected one of " + sorted(allowed));
            }
        }
    }

    private static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static String string(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw new InputException(path, "expected a string, got " + typeName(node));
        }
        return node.textValue();
    }

    private static double number(JsonNode parent, String key, double fallback, String parentPath) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return fallback;
        }
        String path = child(parentPath, key);
        if (!node.isNumber()) {
            throw new InputException(path, "expected a number, got " + typeName(node));
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw new InputException(path, "not a finite number: " + node.asText());
        }
        return v;
    }

    private static int integer(JsonNode parent, String key, int fallback, String parentPath) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return fallback;
        }
        double v = number(parent, key, fallback, parentPath);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new InputException(child(parentPath, key), "expected an integer, got " + node.asText());
        }
        return (int) v;
    }

    private static boolean bool(JsonNode parent, String key, boolean fallback, String parentPath) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new InputException(child(parentPath, key), "expected a boolean, got " + typeName(node));
        }
        return node.booleanValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode parent, String key, Class<E> type, E fallback,
                                                String parentPath) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return fallback;
        }
        String path = child(parentPath, key);
        String text = string(node, path);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new InputException(path, "unknown value \"" + text + "\"; expected one of " + names);
    }

    private static LocalDate date(JsonNode node, String path) {
        String s = string(node, path);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InputException(path, "not a date YYYY-MM-DD: \"" + s + "\"");
        }
    }

    private static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case NUMBER -> "number";
            case OBJECT, POJO -> "object";
            case STRING -> "string";
            case BINARY -> "binary";
            case MISSING -> "nothing";
        };
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
