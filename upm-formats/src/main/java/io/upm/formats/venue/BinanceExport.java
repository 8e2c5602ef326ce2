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
 * Reads a Binance export: an object whose keys are the endpoints, each holding that endpoint's answer as Binance
 * returns it. Every key is optional, at least one is needed:
 *
 * <ul>
 *   <li>{@code /fapi/v2/positionRisk} (or {@code /fapi/v3/positionRisk}), USD-M futures, an array:
 *   {@code BTCUSDT} is {@code BTC_USDT-PERPETUAL}, {@code BTCUSDC} {@code BTC_USDC-PERPETUAL},
 *   {@code BTCUSDT_250328} {@code BTC_USDT-28MAR25}; the size is {@code positionAmt} (coin, signed), the entry
 *   price {@code entryPrice}.</li>
 *   <li>{@code /dapi/v1/positionRisk}, COIN-M futures, an array: {@code BTCUSD_PERP} is {@code BTC-PERPETUAL},
 *   {@code BTCUSD_250328} {@code BTC-28MAR25}; {@code positionAmt} counts contracts of 100 USD (BTC) or 10 USD
 *   (every other coin), so UPM's size is {@code positionAmt x 100} or {@code x 10} USD.</li>
 *   <li>{@code /eapi/v1/position}, options (USDT-settled), an array: {@code BTC-250328-100000-C} is
 *   {@code BTC_USDT-28MAR25-100000-C}; the size is {@code quantity} (coin), long for {@code side} {@code LONG},
 *   short for {@code SHORT}.</li>
 *   <li>Balances: {@code /api/v3/account} (spot, {@code balances[]}: {@code free + locked}),
 *   {@code /fapi/v2/balance} (or v3) and {@code /dapi/v1/balance} (arrays, {@code asset} and the wallet
 *   {@code balance}, which leaves unrealised P&amp;L out).</li>
 * </ul>
 */
public final class BinanceExport {
    /** USD-M futures positions. */
    public static final String USDM_POSITIONS = "/fapi/v2/positionRisk";
    /** USD-M futures positions, version 3. */
    public static final String USDM_POSITIONS_V3 = "/fapi/v3/positionRisk";
    /** COIN-M futures positions. */
    public static final String COINM_POSITIONS = "/dapi/v1/positionRisk";
    /** Options positions. */
    public static final String OPTION_POSITIONS = "/eapi/v1/position";
    /** Spot account. */
    public static final String SPOT_ACCOUNT = "/api/v3/account";
    /** USD-M futures balances. */
    public static final String USDM_BALANCE = "/fapi/v2/balance";
    /** USD-M futures balances, version 3. */
    public static final String USDM_BALANCE_V3 = "/fapi/v3/balance";
    /** COIN-M futures balances. */
    public static final String COINM_BALANCE = "/dapi/v1/balance";
    private static final List<String> KEYS = List.of(USDM_POSITIONS, USDM_POSITIONS_V3, COINM_POSITIONS, OPTION_POSITIONS,
        SPOT_ACCOUNT, USDM_BALANCE, USDM_BALANCE_V3, COINM_BALANCE);

    private static final Pattern USDM = Pattern.compile("([A-Z0-9]+?)(USDT|USDC)(?:_(\\d{6}))?");
    private static final Pattern COINM = Pattern.compile("([A-Z0-9]+)USD_(PERP|\\d{6})");
    private static final Pattern OPTION = Pattern.compile("([A-Z0-9]+)-(\\d{6})-(\\d+(?:\\.\\d+)?)-([CP])");

    private BinanceExport() {
    }

    /** The USD face value of one COIN-M contract: 100 for BTC, 10 for every other coin. */
    static double coinMarginedContractUsd(String underlying) {
        return underlying.equals("BTC") ? 100 : 10;
    }

    /**
     * The holdings of a Binance export.
     *
     * @param root the export's root
     * @throws InputException naming the field of the export
     */
    public static VenueHoldings read(JsonNode root) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", Set.copyOf(KEYS));
        if (root.isEmpty()) {
            throw new InputException("", "a Binance export needs at least one of " + String.join(", ", KEYS));
        }
        List<Position> positions = new ArrayList<>();
        for (String key : List.of(USDM_POSITIONS, USDM_POSITIONS_V3)) {
            for (Located p : answer(root, key)) {
                addIfHeld(positions, usdMargined(p.node(), p.path()));
            }
        }
        for (Located p : answer(root, COINM_POSITIONS)) {
            addIfHeld(positions, coinMargined(p.node(), p.path()));
        }
        for (Located p : answer(root, OPTION_POSITIONS)) {
            addIfHeld(positions, option(p.node(), p.path()));
        }
        Map<String, Double> balances = new LinkedHashMap<>();
        if (root.has(SPOT_ACCOUNT)) {
            JsonNode account = TreeFields.object(root.get(SPOT_ACCOUNT), SPOT_ACCOUNT);
            refused(account, SPOT_ACCOUNT);
            for (Located b : ExportFields.objects(account, "balances", SPOT_ACCOUNT)) {
                double amount = ExportFields.number(b.node(), "free", b.path()) + ExportFields.number(b.node(), "locked", b.path());
                addBalance(balances, b, amount);
            }
        }
        for (String key : List.of(USDM_BALANCE, USDM_BALANCE_V3, COINM_BALANCE)) {
            for (Located b : answer(root, key)) {
                addBalance(balances, b, ExportFields.number(b.node(), "balance", b.path()));
            }
        }
        return new VenueHoldings(Venue.BINANCE, balances, positions);
    }

    private static void addBalance(Map<String, Double> balances, Located b, double amount) {
        String asset = ExportFields.string(b.node(), "asset", b.path());
        InstrumentNames.requireAssetCode(asset, child(b.path(), "asset"));
        if (amount != 0) {
            balances.merge(asset, amount, Double::sum);
        }
    }

    private static void addIfHeld(List<Position> positions, Position p) {
        if (p != null) {
            positions.add(p);
        }
    }

    /** The elements of an endpoint's array answer; none when the export lacks the key. */
    private static List<Located> answer(JsonNode root, String key) {
        JsonNode a = root.get(key);
        if (a == null) {
            return List.of();
        }
        if (a.isObject()) {
            refused(a, key);
        }
        TreeFields.array(a, key);
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String path = key + "[" + i + "]";
            out.add(new Located(TreeFields.object(a.get(i), path), path));
        }
        return out;
    }

    /** Binance's error answer {@code {"code": -2015, "msg": "..."}} in place of data. */
    private static void refused(JsonNode answer, String path) {
        if (answer.has("code") && answer.has("msg")) {
            throw new InputException(child(path, "code"), "the export holds Binance's error answer, not data: code "
                + answer.get("code").asText() + " " + answer.get("msg").asText());
        }
    }

    private static Position usdMargined(JsonNode p, String path) {
        String symbol = ExportFields.string(p, "symbol", path);
        double amount = ExportFields.number(p, "positionAmt", path);
        if (amount == 0) {
            return null;
        }
        String field = child(path, "symbol");
        Matcher m = USDM.matcher(symbol);
        if (!m.matches()) {
            throw VenueInstruments.unknownInstrument(field, symbol, "a USD-M symbol such as BTCUSDT or BTCUSDT_250328");
        }
        String head = m.group(1) + "_" + m.group(2);
        String name = m.group(3) == null ? head + "-PERPETUAL"
            : head + "-" + VenueInstruments.expiryOfYymmdd(m.group(3), field);
        return VenueInstruments.position(Venue.BINANCE, name, amount, ExportFields.number(p, "entryPrice", path), path,
            "symbol", "positionAmt", "entryPrice");
    }

    private static Position coinMargined(JsonNode p, String path) {
        String symbol = ExportFields.string(p, "symbol", path);
        double contracts = ExportFields.number(p, "positionAmt", path);
        if (contracts == 0) {
            return null;
        }
        String field = child(path, "symbol");
        Matcher m = COINM.matcher(symbol);
        if (!m.matches()) {
            throw VenueInstruments.unknownInstrument(field, symbol, "a COIN-M symbol such as BTCUSD_PERP or BTCUSD_250328");
        }
        String underlying = m.group(1);
        String name = m.group(2).equals("PERP") ? underlying + "-PERPETUAL"
            : underlying + "-" + VenueInstruments.expiryOfYymmdd(m.group(2), field);
        return VenueInstruments.position(Venue.BINANCE, name, contracts * coinMarginedContractUsd(underlying),
            ExportFields.number(p, "entryPrice", path), path, "symbol", "positionAmt", "entryPrice");
    }

    private static Position option(JsonNode p, String path) {
        String symbol = ExportFields.string(p, "symbol", path);
        double quantity = ExportFields.number(p, "quantity", path);
        if (quantity == 0) {
            return null;
        }
        String field = child(path, "symbol");
        Matcher m = OPTION.matcher(symbol);
        if (!m.matches()) {
            throw VenueInstruments.unknownInstrument(field, symbol, "an option symbol such as BTC-250328-100000-C");
        }
        String side = ExportFields.string(p, "side", path);
        double sign = switch (side) {
            case "LONG" -> 1.0;
            case "SHORT" -> -1.0;
            default -> throw new InputException(child(path, "side"), "side \"" + side + "\" is neither LONG nor SHORT");
        };
        String name = m.group(1) + "_USDT-" + VenueInstruments.expiryOfYymmdd(m.group(2), field) + "-" + m.group(3) + "-"
            + m.group(4);
        return VenueInstruments.position(Venue.BINANCE, name, sign * Math.abs(quantity), Double.NaN, path, "symbol",
            "quantity", "entryPrice");
    }
}
