package io.upm.backtest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.upm.backtest.model.BacktestModelSettings;
import io.upm.formats.ParametersReader;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a margin parameters file ({@code --params}) that may also carry the backtest's model settings under
 * a top-level {@code backtest} key, so that the margin model is selected by parameters and not only on the
 * command line:
 *
 * <pre>{@code
 * assets:
 *   BTC: { scanRange: 0.12 }
 * backtest:                 # optional: the document of BacktestSettingsReader
 *   model: max
 *   scanRanges: { model: garch }
 * }</pre>
 *
 * <p>Without a {@code backtest} key the file is read by {@link ParametersReader} exactly as {@code upm margin}
 * reads it. With one, that section goes to {@link BacktestSettingsReader} (its errors named
 * {@code backtest.<field>}) and the rest to {@link ParametersReader}. Stateless and thread-safe.
 */
public final class BacktestParametersFile {
    /** The top-level key of the backtest settings. */
    public static final String BACKTEST_KEY = "backtest";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private BacktestParametersFile() {
    }

    /**
     * What a parameters file gives.
     *
     * @param margin   the margin parameters
     * @param settings the backtest model settings of its {@code backtest} section, or null when it has none
     */
    public record Contents(MarginParameters margin, BacktestModelSettings settings) {
    }

    /**
     * Reads a parameters file.
     *
     * @throws InputException naming the offending field (field "" for the file as a whole)
     */
    public static Contents read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException("", "cannot read the file: no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InputException("", "cannot read the file: " + e.getMessage());
        }
        JsonNode root = lenientTree(text);
        if (root == null || !root.isObject() || !root.has(BACKTEST_KEY)) {
            return new Contents(ParametersReader.read(file), null);
        }
        ObjectNode rest = ((ObjectNode) root).deepCopy();
        JsonNode section = rest.remove(BACKTEST_KEY);
        BacktestModelSettings settings;
        try {
            settings = section == null || section.isNull() ? BacktestModelSettings.defaults()
                : BacktestSettingsReader.parse(JSON.writeValueAsString(section), "backtest.json");
        } catch (InputException e) {
            throw e.under(BACKTEST_KEY);
        } catch (JsonProcessingException e) {
            throw new InputException(BACKTEST_KEY, "cannot be read: " + e.getOriginalMessage());
        }
        MarginParameters margin;
        try {
            margin = ParametersReader.read(JSON.writeValueAsString(rest), "parameters.json");
        } catch (JsonProcessingException e) {
            throw new InputException("", "cannot be read: " + e.getOriginalMessage());
        }
        return new Contents(margin, settings);
    }

    /** The document's tree (YAML parses JSON too), or null when it does not parse: the strict reader will say why. */
    private static JsonNode lenientTree(String text) {
        if (text.isBlank()) {
            return null;
        }
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            return YAML.readTree(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
