package io.upm.formats;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import io.upm.margin.AccountStatus;
import io.upm.margin.MarginReport;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a margin report written by {@link MarginReportWriter} back into a {@link MarginReport}, for
 * round-trip tests and for tools that compare reports. As strict as the input readers: every field of
 * the writer's shape is required (including the added {@code size}, {@code vanna} and {@code volga}; the
 * added {@code balances} is optional, as the writer leaves it out of a report without balance lines),
 * unknown fields are rejected, {@code pnl} must have one row per price move and one column per vol state,
 * and each error is an {@link InputException} naming the field ({@code units.BTC.pnl[3][1]}).
 *
 * <p>Stateless and thread-safe.
 */
public final class MarginReportReader {
    private static final Set<String> ROOT_KEYS = Set.of("account", "time", "equity", "initialMargin",
        "maintenanceMargin", "marginRatio", "status", "standard", "units", "crossUnit", "borrowingCharge", "positions",
        "balances");
    private static final Set<String> REQUIREMENT_KEYS = Set.of("initialMargin", "maintenanceMargin");
    private static final Set<String> UNIT_KEYS = Set.of("priceMoves", "volStates", "pnl", "worstLoss", "worstCell",
        "extendedLoss", "shortOptionMinimum", "coreCharge", "rollShock", "liquidityAddOn", "greeks");
    private static final Set<String> CELL_KEYS = Set.of("priceMove", "volState");
    private static final Set<String> GREEK_KEYS = Set.of("delta", "gamma", "vega", "theta", "vanna", "volga");
    private static final Set<String> CROSS_KEYS = Set.of("jointLoss", "stressedJointLoss", "floor", "charge",
        "jointLossMethod", "stressedJointLossMethod");
    private static final Set<String> POSITION_KEYS = Set.of("instrument", "size", "value", "delta", "gamma", "vega",
        "theta", "vanna", "volga", "marginContribution");
    private static final Set<String> BALANCE_KEYS = Set.of("asset", "amount", "price", "value", "haircut",
        "haircutUsd", "haircutTerm", "tierHaircut", "volatilityHaircut", "depegHaircut", "sizeHaircut", "sigma");
    private static final List<String> HAIRCUT_TERMS = List.of("tier", "volatility", "depeg");

    private MarginReportReader() {
    }

    /**
     * Reads a report file (UTF-8 JSON).
     *
     * @throws InputException naming the offending field; field "" for a problem with the file as a whole
     */
    public static MarginReport read(Path file) {
        return read(DocumentParser.readText(file), file.toString());
    }

    /**
     * Reads a report from JSON text.
     *
     * @param json       the document
     * @param sourceName where it came from, for the caller's error line
     * @throws InputException naming the offending field; field "" for a problem with the document as a whole
     */
    public static MarginReport read(String json, String sourceName) {
        return fromTree(DocumentParser.parseJson(json), "");
    }

    /**
     * The report in a parsed tree (from {@link DocumentParser}), e.g. the {@code report} member of a live
     * engine's {@code report} event.
     *
     * @param root the report's object
     * @param path its path, the prefix of the errors' fields ("" for a whole document)
     * @return the report
     * @throws InputException naming the offending field
     */
    public static MarginReport fromTree(JsonNode root, String path) {
        TreeFields.object(root, path);
        TreeFields.onlyKeys(root, path, ROOT_KEYS);
        String account = str(root, "account", path);
        String timePath = child(path, "time");
        String timeText = str(root, "time", path);
        Instant time;
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeException e) {
            throw new InputException(timePath, "\"" + timeText + "\" is not an ISO-8601 instant");
        }
        JsonNode ratioNode = TreeFields.required(root, "marginRatio", path);
        Double ratio = ratioNode.isNull() ? null : TreeFields.number(ratioNode, child(path, "marginRatio"));
        String statusPath = child(path, "status");
        String statusText = str(root, "status", path);
        AccountStatus status = null;
        for (AccountStatus s : AccountStatus.values()) {
            if (s.wireName().equals(statusText)) {
                status = s;
            }
        }
        if (status == null) {
            throw new InputException(statusPath, "unknown status \"" + statusText
                + "\" (expected healthy, restricted, liquidation or bankrupt)");
        }
        String stdPath = child(path, "standard");
        JsonNode std = obj(root, "standard", path, REQUIREMENT_KEYS);
        MarginReport.Requirements standard = new MarginReport.Requirements(num(std, "initialMargin", stdPath),
            num(std, "maintenanceMargin", stdPath));

        String unitsPath = child(path, "units");
        JsonNode unitsNode = TreeFields.object(TreeFields.required(root, "units", path), unitsPath);
        Map<String, MarginReport.Unit> units = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : TreeFields.entries(unitsNode)) {
            units.put(e.getKey(), unit(e.getValue(), child(unitsPath, e.getKey())));
        }

        String cuPath = child(path, "crossUnit");
        JsonNode cu = obj(root, "crossUnit", path, CROSS_KEYS);
        MarginReport.CrossUnit crossUnit = new MarginReport.CrossUnit(num(cu, "jointLoss", cuPath),
            num(cu, "stressedJointLoss", cuPath), num(cu, "floor", cuPath), num(cu, "charge", cuPath),
            method(cu, "jointLossMethod", cuPath), method(cu, "stressedJointLossMethod", cuPath));

        String psPath = child(path, "positions");
        JsonNode ps = TreeFields.array(TreeFields.required(root, "positions", path), psPath);
        List<MarginReport.PositionLine> positions = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            String pPath = element(psPath, i);
            JsonNode p = TreeFields.object(ps.get(i), pPath);
            TreeFields.onlyKeys(p, pPath, POSITION_KEYS);
            positions.add(new MarginReport.PositionLine(str(p, "instrument", pPath), num(p, "size", pPath),
                num(p, "value", pPath), greeks(p, pPath), num(p, "marginContribution", pPath)));
        }
        List<MarginReport.BalanceLine> balances = new ArrayList<>();
        if (root.has("balances")) {
            String bsPath = child(path, "balances");
            JsonNode bs = TreeFields.array(root.get("balances"), bsPath);
            for (int i = 0; i < bs.size(); i++) {
                balances.add(balance(bs.get(i), element(bsPath, i)));
            }
        }
        return new MarginReport(account, time, num(root, "equity", path), num(root, "initialMargin", path),
            num(root, "maintenanceMargin", path), ratio, status, standard, units, crossUnit,
            num(root, "borrowingCharge", path), positions, balances);
    }

    private static MarginReport.BalanceLine balance(JsonNode node, String path) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, BALANCE_KEYS);
        String term = str(node, "haircutTerm", path);
        if (!HAIRCUT_TERMS.contains(term)) {
            throw new InputException(child(path, "haircutTerm"), "must be one of " + HAIRCUT_TERMS + ", got \"" + term
                + "\"");
        }
        JsonNode sigmaNode = TreeFields.required(node, "sigma", path);
        Double sigma = sigmaNode.isNull() ? null : TreeFields.number(sigmaNode, child(path, "sigma"));
        return new MarginReport.BalanceLine(str(node, "asset", path), num(node, "amount", path),
            num(node, "price", path), num(node, "value", path), num(node, "haircut", path),
            num(node, "haircutUsd", path), term, num(node, "tierHaircut", path), num(node, "volatilityHaircut", path),
            num(node, "depegHaircut", path), num(node, "sizeHaircut", path), sigma);
    }

    private static MarginReport.Unit unit(JsonNode node, String path) {
        TreeFields.object(node, path);
        TreeFields.onlyKeys(node, path, UNIT_KEYS);
        String movesPath = child(path, "priceMoves");
        JsonNode movesNode = TreeFields.array(TreeFields.required(node, "priceMoves", path), movesPath);
        double[] moves = new double[movesNode.size()];
        for (int j = 0; j < moves.length; j++) {
            moves[j] = TreeFields.number(movesNode.get(j), element(movesPath, j));
        }
        String statesPath = child(path, "volStates");
        JsonNode statesNode = TreeFields.array(TreeFields.required(node, "volStates", path), statesPath);
        List<String> states = new ArrayList<>();
        for (int v = 0; v < statesNode.size(); v++) {
            states.add(TreeFields.string(statesNode.get(v), element(statesPath, v)));
        }
        String pnlPath = child(path, "pnl");
        JsonNode pnlNode = TreeFields.array(TreeFields.required(node, "pnl", path), pnlPath);
        if (pnlNode.size() != moves.length) {
            throw new InputException(pnlPath, "has " + pnlNode.size() + " rows for " + moves.length + " price moves");
        }
        double[][] pnl = new double[moves.length][states.size()];
        for (int j = 0; j < moves.length; j++) {
            String rowPath = element(pnlPath, j);
            JsonNode row = TreeFields.array(pnlNode.get(j), rowPath);
            if (row.size() != states.size()) {
                throw new InputException(rowPath, "has " + row.size() + " cells for " + states.size() + " vol states");
            }
            for (int v = 0; v < states.size(); v++) {
                pnl[j][v] = TreeFields.number(row.get(v), element(rowPath, v));
            }
        }
        String cellPath = child(path, "worstCell");
        JsonNode cell = obj(node, "worstCell", path, CELL_KEYS);
        MarginReport.Cell worstCell = new MarginReport.Cell(num(cell, "priceMove", cellPath),
            str(cell, "volState", cellPath));
        JsonNode greeks = obj(node, "greeks", path, GREEK_KEYS);
        return new MarginReport.Unit(moves, List.copyOf(states), pnl, num(node, "worstLoss", path), worstCell,
            num(node, "extendedLoss", path), num(node, "shortOptionMinimum", path), num(node, "coreCharge", path),
            num(node, "rollShock", path), num(node, "liquidityAddOn", path), greeks(greeks, child(path, "greeks")));
    }

    private static MarginReport.Greeks greeks(JsonNode node, String path) {
        return new MarginReport.Greeks(num(node, "delta", path), num(node, "gamma", path), num(node, "vega", path),
            num(node, "theta", path), num(node, "vanna", path), num(node, "volga", path));
    }

    private static JsonNode obj(JsonNode parent, String key, String path, Set<String> keys) {
        String p = child(path, key);
        JsonNode o = TreeFields.object(TreeFields.required(parent, key, path), p);
        TreeFields.onlyKeys(o, p, keys);
        return o;
    }

    private static double num(JsonNode node, String key, String path) {
        return TreeFields.number(TreeFields.required(node, key, path), child(path, key));
    }

    /** A joint-loss method word: {@code exact} or {@code bounded}. */
    private static String method(JsonNode node, String key, String path) {
        String m = str(node, key, path);
        if (!m.equals(MarginReport.CrossUnit.EXACT) && !m.equals(MarginReport.CrossUnit.BOUNDED)) {
            throw new InputException(child(path, key), "must be \"exact\" or \"bounded\", got \"" + m + "\"");
        }
        return m;
    }

    private static String str(JsonNode node, String key, String path) {
        return TreeFields.string(TreeFields.required(node, key, path), child(path, key));
    }
}
