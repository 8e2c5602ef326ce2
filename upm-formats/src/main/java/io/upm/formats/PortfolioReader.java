package io.upm.formats;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a portfolio document (FORMATS.md, "Portfolio"): {@code account} (string, required),
 * {@code balances} (asset code to signed amount, optional) and {@code positions} (array of
 * {@code {instrument, size, entryPrice}}, optional; {@code entryPrice} required for perpetuals and
 * futures). Strict: an unknown field, a missing or mistyped field, a duplicate key, a non-finite number or
 * content after the document is an {@link InputException} naming the field, e.g.
 * {@code positions[1].instrument}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PortfolioReader {
    private static final Set<String> ROOT_KEYS = Set.of("account", "balances", "positions");
    private static final Set<String> POSITION_KEYS = Set.of("instrument", "size", "entryPrice");

    private PortfolioReader() {
    }

    /**
     * Reads a portfolio file (UTF-8 JSON).
     *
     * @throws InputException naming the offending field; field "" for a problem with the file as a whole
     */
    public static Portfolio read(Path file) {
        return read(DocumentParser.readText(file), file.toString());
    }

    /**
     * Reads a portfolio from JSON text.
     *
     * @param json       the document
     * @param sourceName where it came from (a file name, "request body"); errors carry only the field, so
     *                   callers print it with {@link ErrorLine#format(String, InputException)}
     * @throws InputException naming the offending field; field "" for a problem with the document as a whole
     */
    public static Portfolio read(String json, String sourceName) {
        return fromTree(DocumentParser.parseJson(json), "");
    }

    /** The portfolio in a parsed tree whose root is at {@code path} ("" for a whole document). */
    static Portfolio fromTree(JsonNode root, String path) {
        TreeFields.object(root, path);
        TreeFields.onlyKeys(root, path, ROOT_KEYS);
        String accountPath = child(path, "account");
        String account = TreeFields.string(TreeFields.required(root, "account", path), accountPath);
        if (account.isBlank()) {
            throw new InputException(accountPath, "account id is blank");
        }
        Map<String, Double> balances = new LinkedHashMap<>();
        JsonNode b = root.get("balances");
        if (b != null) {
            String bPath = child(path, "balances");
            TreeFields.object(b, bPath);
            for (Map.Entry<String, JsonNode> e : TreeFields.entries(b)) {
                balances.put(e.getKey(), TreeFields.number(e.getValue(), child(bPath, e.getKey())));
            }
        }
        List<Position> positions = new ArrayList<>();
        JsonNode ps = root.get("positions");
        if (ps != null) {
            String psPath = child(path, "positions");
            TreeFields.array(ps, psPath);
            for (int i = 0; i < ps.size(); i++) {
                positions.add(position(ps.get(i), element(psPath, i)));
            }
        }
        try {
            return new Portfolio(account, balances, positions);
        } catch (InputException e) {
            throw path.isEmpty() ? e : e.under(path);
        }
    }

    private static Position position(JsonNode node, String path) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, POSITION_KEYS);
        String namePath = child(path, "instrument");
        String name = TreeFields.string(TreeFields.required(node, "instrument", path), namePath);
        Instrument instrument = InstrumentNames.parse(name, namePath);
        double size = TreeFields.number(TreeFields.required(node, "size", path), child(path, "size"));
        JsonNode entry = node.get("entryPrice");
        double entryPrice = entry == null ? Double.NaN : TreeFields.number(entry, child(path, "entryPrice"));
        return Position.of(instrument, size, entryPrice, path);
    }
}
