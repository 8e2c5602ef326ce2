package io.upm.formats.venue;

import static io.upm.formats.TreeFields.child;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.TreeFields;
import io.upm.formats.venue.ExportFields.Located;
import io.upm.input.InputException;
import io.upm.product.InstrumentNames;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Bybit export: {@code {"/v5/position/list": R, "/v5/account/wallet-balance": R}}, each R one response
 * {@code {"retCode": 0, "result": {...}}} or an array of them (Bybit answers per {@code category}).
 *
 * <p>Names ({@code symbol}), by {@code result.category}:
 * <ul>
 *   <li>{@code linear}: {@code BTCUSDT} is {@code BTC_USDT-PERPETUAL}, {@code BTCUSDC} and {@code BTCPERP}
 *   {@code BTC_USDC-PERPETUAL}, {@code BTC-28MAR25} (USDC futures) {@code BTC_USDC-28MAR25},
 *   {@code BTCUSDT-28MAR25} {@code BTC_USDT-28MAR25}; the size is in coin.</li>
 *   <li>{@code inverse}: {@code BTCUSD} is {@code BTC-PERPETUAL}, {@code BTCUSDH25} (month letter, year) the
 *   future expiring on the last Friday of that month, {@code BTC-28MAR25}; a contract is 1 USD, so the size is
 *   already USD.</li>
 *   <li>{@code option}: {@code BTC-28MAR25-100000-C} is {@code BTC_USDC-28MAR25-100000-C}, with a trailing
 *   {@code -USDT} {@code BTC_USDT-...}; the size is in coin.</li>
 * </ul>
 * Bybit's sizes are thus already UPM's units (multiplier 1); the sign comes from {@code side} ({@code Buy} long,
 * {@code Sell} short; size 0 left out). The entry price is {@code avgPrice}, except for USDC perpetuals and futures,
 * whose P&amp;L Bybit settles into the wallet every session: there it is {@code sessionAvgPrice} when given.
 *
 * <p>Balances: {@code result.list[].coin[].coin} and {@code walletBalance}.
 */
public final class BybitExport {
    /** The export's key of the position responses. */
    public static final String POSITIONS = "/v5/position/list";
    /** The export's key of the wallet balance responses. */
    public static final String WALLET = "/v5/account/wallet-balance";
    private static final Set<String> KEYS = Set.of(POSITIONS, WALLET);

    private static final String CODE = "(\\d{1,2}[A-Z]{3}\\d{2})";
    private static final Pattern LINEAR_PERP = Pattern.compile("([A-Z0-9]+?)(USDT|USDC)");
    private static final Pattern USDC_PERP = Pattern.compile("([A-Z0-9]+)PERP");
    private static final Pattern LINEAR_FUTURE = Pattern.compile("([A-Z0-9]+?)(USDT)?-" + CODE);
    private static final Pattern INVERSE_PERP = Pattern.compile("([A-Z0-9]+)USD");
    private static final Pattern INVERSE_FUTURE = Pattern.compile("([A-Z0-9]+)USD([A-Z])(\\d{2})");
    private static final Pattern INVERSE_DATED = Pattern.compile("([A-Z0-9]+)-" + CODE);
    private static final Pattern OPTION = Pattern.compile("([A-Z0-9]+)-" + CODE + "-(\\d+(?:\\.\\d+)?)-([CP])(?:-(USDT|USDC))?");

    private BybitExport() {
    }

    /**
     * The holdings of a Bybit export.
     *
     * @param root the export's root
     * @throws InputException naming the field of the export
     */
    public static VenueHoldings read(JsonNode root) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", KEYS);
        if (!root.has(POSITIONS) && !root.has(WALLET)) {
            throw new InputException("", "a Bybit export needs " + POSITIONS + " or " + WALLET);
        }
        List<Position> positions = new ArrayList<>();
        if (root.has(POSITIONS)) {
            for (Located r : ExportFields.responses(root.get(POSITIONS), POSITIONS)) {
                JsonNode result = result(r);
                String rPath = child(r.path(), "result");
                String category = ExportFields.string(result, "category", rPath);
                for (Located p : ExportFields.objects(result, "list", rPath)) {
                    Position q = position(category, child(rPath, "category"), p.node(), p.path());
                    if (q != null) {
                        positions.add(q);
                    }
                }
            }
        }
        Map<String, Double> balances = new LinkedHashMap<>();
        if (root.has(WALLET)) {
            for (Located r : ExportFields.responses(root.get(WALLET), WALLET)) {
                for (Located account : ExportFields.objects(result(r), "list", child(r.path(), "result"))) {
                    for (Located c : ExportFields.objects(account.node(), "coin", account.path())) {
                        String coin = ExportFields.string(c.node(), "coin", c.path());
                        InstrumentNames.requireAssetCode(coin, child(c.path(), "coin"));
                        double amount = ExportFields.number(c.node(), "walletBalance", c.path());
                        if (amount != 0) {
                            balances.merge(coin, amount, Double::sum);
                        }
                    }
                }
            }
        }
        return new VenueHoldings(Venue.BYBIT, balances, positions);
    }

    private static JsonNode result(Located r) {
        JsonNode code = TreeFields.required(r.node(), "retCode", r.path());
        if (!code.asText().equals("0")) {
            throw new InputException(child(r.path(), "retCode"), "the export holds Bybit's error answer, not data: retCode "
                + code.asText() + " " + r.node().path("retMsg").asText(""));
        }
        return TreeFields.object(TreeFields.required(r.node(), "result", r.path()), child(r.path(), "result"));
    }

    private static Position position(String category, String categoryPath, JsonNode p, String path) {
        String symbol = ExportFields.string(p, "symbol", path);
        double size = ExportFields.number(p, "size", path);
        if (size == 0) {
            return null;
        }
        String side = ExportFields.string(p, "side", path);
        double sign = switch (side) {
            case "Buy" -> 1.0;
            case "Sell" -> -1.0;
            default -> throw new InputException(child(path, "side"), "side \"" + side + "\" is neither Buy nor Sell");
        };
        String field = child(path, "symbol");
        String name;
        boolean sessionSettled = false;
        Matcher m;
        switch (category) {
            case "linear" -> {
                if ((m = USDC_PERP.matcher(symbol)).matches()) {
                    name = m.group(1) + "_USDC-PERPETUAL";
                    sessionSettled = true;
                } else if ((m = LINEAR_PERP.matcher(symbol)).matches()) {
                    name = m.group(1) + "_" + m.group(2) + "-PERPETUAL";
                    sessionSettled = m.group(2).equals("USDC");
                } else if ((m = LINEAR_FUTURE.matcher(symbol)).matches()) {
                    boolean usdt = m.group(2) != null;
                    name = m.group(1) + (usdt ? "_USDT-" : "_USDC-") + m.group(3);
                    sessionSettled = !usdt;
                } else {
                    throw VenueInstruments.unknownInstrument(field, symbol,
                        "a linear symbol such as BTCUSDT, BTCPERP, BTC-28MAR25 or BTCUSDT-28MAR25");
                }
            }
            case "inverse" -> {
                if ((m = INVERSE_PERP.matcher(symbol)).matches()) {
                    name = m.group(1) + "-PERPETUAL";
                } else if ((m = INVERSE_FUTURE.matcher(symbol)).matches()) {
                    name = m.group(1) + "-" + VenueInstruments.expiryOfMonthLetter(m.group(2).charAt(0), m.group(3), field);
                } else if ((m = INVERSE_DATED.matcher(symbol)).matches()) {
                    name = m.group(1) + "-" + m.group(2);
                } else {
                    throw VenueInstruments.unknownInstrument(field, symbol, "an inverse symbol such as BTCUSD or BTCUSDH25");
                }
            }
            case "option" -> {
                if (!(m = OPTION.matcher(symbol)).matches()) {
                    throw VenueInstruments.unknownInstrument(field, symbol, "an option symbol such as BTC-28MAR25-100000-C");
                }
                String settle = m.group(5) == null ? "USDC" : m.group(5);
                name = m.group(1) + "_" + settle + "-" + m.group(2) + "-" + m.group(3) + "-" + m.group(4);
                return VenueInstruments.position(Venue.BYBIT, name, sign * Math.abs(size), Double.NaN, path, "symbol",
                    "size", "avgPrice");
            }
            default -> throw new InputException(categoryPath, "category \"" + category
                + "\" is not supported (linear, inverse or option; spot holdings are wallet balances)");
        }
        double entry = Double.NaN;
        String entryKey = "avgPrice";
        if (sessionSettled) {
            entry = ExportFields.optionalNumber(p, "sessionAvgPrice", path);
            entryKey = "sessionAvgPrice";
        }
        if (Double.isNaN(entry)) {
            entry = ExportFields.number(p, "avgPrice", path);
            entryKey = "avgPrice";
        }
        return VenueInstruments.position(Venue.BYBIT, name, sign * Math.abs(size), entry, path, "symbol", "size", entryKey);
    }
}
