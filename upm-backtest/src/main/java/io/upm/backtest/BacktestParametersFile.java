package io.upm.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.backtest.model.BacktestModelSettings;
import io.upm.formats.DocumentParser;
import io.upm.formats.ParametersReader;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
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
 * <p>The file is parsed once, strictly, by {@link DocumentParser}. Without a {@code backtest} key it is read by
 * {@link ParametersReader} exactly as {@code upm margin} reads it. With one, that section goes to
 * {@link BacktestSettingsReader} (its errors named {@code backtest.<field>}) and the rest to
 * {@link ParametersReader}. Stateless and thread-safe.
 */
public final class BacktestParametersFile {
    /** The top-level key of the backtest settings. */
    public static final String BACKTEST_KEY = "backtest";

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
        String text = DocumentParser.readText(file);
        JsonNode root = DocumentParser.parse(text, DocumentParser.sniff(text, file.toString()));
        if (!root.isObject() || !root.has(BACKTEST_KEY)) {
            return new Contents(ParametersReader.fromTree(root), null);
        }
        ObjectNode rest = (ObjectNode) root; // parsed here, ours to change
        JsonNode section = rest.remove(BACKTEST_KEY);
        BacktestModelSettings settings;
        try {
            settings = BacktestSettingsReader.fromTree(section);
        } catch (InputException e) {
            throw e.under(BACKTEST_KEY);
        }
        return new Contents(ParametersReader.fromTree(rest), settings);
    }
}
