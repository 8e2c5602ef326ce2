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
import java.util.Collections;
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
 * <p>Cross-venue portfolios (docs/venues.md; {@code upm import} writes them) add two optional fields: a position's
 * {@code venue} (FORMATS.md, "Hedge and import"), and {@code venueBalances}, venue to asset to signed amount,
 * which says where the balances sit. When {@code venueBalances} is present it must split {@code balances}
 * exactly: every asset it names is in {@code balances}, and each asset of {@code balances} is the sum of its
 * venue amounts (to 1e-9 relative, for the rounding of the sum). A portfolio without these fields reads as
 * before.
 *
 * <p>Stateless and thread-safe.
 */
public final class PortfolioReader {
    private static final Set<String> ROOT_KEYS = Set.of("account", "balances", "positions", "venueBalances");
    private static final Set<String> POSITION_KEYS = Set.of("instrument", "size", "entryPrice", "venue");
    /** Relative tolerance of the check that venue balances add up to the account's balance. */
    static final double VENUE_BALANCE_TOLERANCE = 1e-9;

    /**
     * A portfolio document with its venue attribution.
     *
     * @param portfolio     the portfolio (its positions carry their venue when the document gives one)
     * @param venueBalances venue to asset to signed amount, in document order; empty when the document has no
     *                      {@code venueBalances}
     */
    public record Document(Portfolio portfolio, Map<String, Map<String, Double>> venueBalances) {
        /** An immutable document. */
        public Document {
            Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
            venueBalances.forEach((v, b) -> copy.put(v, Collections.unmodifiableMap(new LinkedHashMap<>(b))));
            venueBalances = Collections.unmodifiableMap(copy);
        }

        /** Whether the document says where anything sits: a position's venue or {@code venueBalances}. */
        public boolean hasVenues() {
            return !venueBalances.isEmpty() || portfolio.positions().stream().anyMatch(p -> p.venue() != null);
        }
    }

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
     * Reads a portfolio file (UTF-8 JSON) with its venue attribution.
     *
     * @throws InputException naming the offending field; field "" for a problem with the file as a whole
     */
    public static Document readDocument(Path file) {
        return documentFromTree(DocumentParser.parseJson(DocumentParser.readText(file)), "");
    }

    /**
     * Reads a portfolio with its venue attribution from JSON text.
     *
     * @param json the document
     * @throws InputException naming the offending field; field "" for a problem with the document as a whole
     */
    public static Document readDocument(String json) {
        return documentFromTree(DocumentParser.parseJson(json), "");
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
        return documentFromTree(root, path).portfolio();
    }

    /** The portfolio document in a parsed tree whose root is at {@code path} ("" for a whole document). */
    static Document documentFromTree(JsonNode root, String path) {
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
        Portfolio portfolio;
        try {
            portfolio = new Portfolio(account, balances, positions);
        } catch (InputException e) {
            throw path.isEmpty() ? e : e.under(path);
        }
        JsonNode vb = root.get("venueBalances");
        Map<String, Map<String, Double>> venueBalances = vb == null ? Map.of()
            : venueBalances(vb, child(path, "venueBalances"), portfolio.balances(), child(path, "balances"));
        return new Document(portfolio, venueBalances);
    }

    private static Map<String, Map<String, Double>> venueBalances(JsonNode node, String path, Map<String, Double> totals,
                                                                  String balancesPath) {
        TreeFields.object(node, path);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> v : TreeFields.entries(node)) {
            String vPath = child(path, v.getKey());
            Position.requireVenueName(v.getKey(), vPath);
            TreeFields.object(v.getValue(), vPath);
            Map<String, Double> amounts = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> a : TreeFields.entries(v.getValue())) {
                String aPath = child(vPath, a.getKey());
                InstrumentNames.requireAssetCode(a.getKey(), aPath);
                double x = TreeFields.number(a.getValue(), aPath);
                if (Math.abs(x) > Portfolio.MAX_ABS_BALANCE) {
                    throw new InputException(aPath, "balance must be at most " + Portfolio.MAX_ABS_BALANCE + " in size, got " + x);
                }
                if (!totals.containsKey(a.getKey())) {
                    throw new InputException(aPath, "asset " + a.getKey() + " is not in " + balancesPath
                        + ": venueBalances must split the account's balances");
                }
                amounts.put(a.getKey(), x);
                sums.merge(a.getKey(), x, Double::sum);
            }
            out.put(v.getKey(), amounts);
        }
        for (Map.Entry<String, Double> t : totals.entrySet()) {
            double sum = sums.getOrDefault(t.getKey(), 0.0);
            double total = t.getValue();
            if (Math.abs(sum - total) > VENUE_BALANCE_TOLERANCE * Math.max(1.0, Math.abs(total))) {
                throw new InputException(child(balancesPath, t.getKey()), "balance " + total + " is not the sum of its"
                    + " venue balances in " + path + " (" + sum + ")");
            }
        }
        return out;
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
        Position p = Position.of(instrument, size, entryPrice, path);
        JsonNode venue = node.get("venue");
        return venue == null ? p : p.withVenue(TreeFields.string(venue, child(path, "venue")), path);
    }
}
