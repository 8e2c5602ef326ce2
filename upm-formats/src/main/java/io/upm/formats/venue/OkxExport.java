package io.upm.formats.venue;

import static io.upm.formats.TreeFields.child;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.TreeFields;
import io.upm.formats.venue.ExportFields.Located;
import io.upm.input.InputException;
import io.upm.product.InstrumentNames;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OKX export: {@code {"/api/v5/account/positions": R, "/api/v5/account/balance": R,
 * "/api/v5/public/instruments": R}} (the last optional), each R one response {@code {"code": "0", "data": [...]}}
 * or an array of them.
 *
 * <p>Names ({@code instId}): {@code BTC-USD-SWAP} is {@code BTC-PERPETUAL}; {@code BTC-USDT-SWAP} is
 * {@code BTC_USDT-PERPETUAL} (USDC likewise); {@code BTC-USD-250328} is {@code BTC-28MAR25};
 * {@code BTC-USDT-250328} is {@code BTC_USDT-28MAR25}; {@code BTC-USD-250328-100000-C} (coin-settled) is
 * {@code BTC-28MAR25-100000-C}.
 *
 * <p>Sizes: {@code pos} counts contracts; UPM's size is {@code pos x ctVal x ctMult}: USD for coin-margined swaps
 * and futures, coin for USDT/USDC-margined ones and for options. The contract size comes from the export's
 * {@code /api/v5/public/instruments} answer when it lists the instrument, else from OKX's published sizes for BTC
 * and ETH ({@link #builtInContractSize}); any other instrument needs the instruments answer. The sign: with
 * {@code posSide} {@code net} it is {@code pos}'s own, {@code long} is long, {@code short} short. The entry price
 * is {@code avgPx} (OKX keeps unrealised P&amp;L out of {@code cashBal}).
 *
 * <p>Balances: {@code data[].details[].ccy} and {@code cashBal}.
 */
public final class OkxExport {
    /** The export's key of the positions responses. */
    public static final String POSITIONS = "/api/v5/account/positions";
    /** The export's key of the balance responses. */
    public static final String BALANCE = "/api/v5/account/balance";
    /** The export's key of the instruments responses (contract sizes). */
    public static final String INSTRUMENTS = "/api/v5/public/instruments";
    private static final Set<String> KEYS = Set.of(POSITIONS, BALANCE, INSTRUMENTS);

    private OkxExport() {
    }

    /**
     * The holdings of an OKX export.
     *
     * @param root the export's root
     * @throws InputException naming the field of the export
     */
    public static VenueHoldings read(JsonNode root) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", KEYS);
        if (!root.has(POSITIONS) && !root.has(BALANCE)) {
            throw new InputException("", "an OKX export needs " + POSITIONS + " or " + BALANCE);
        }
        Map<String, Double> contractSizes = new HashMap<>();
        if (root.has(INSTRUMENTS)) {
            for (Located r : ExportFields.responses(root.get(INSTRUMENTS), INSTRUMENTS)) {
                for (Located i : data(r)) {
                    double ctVal = ExportFields.number(i.node(), "ctVal", i.path());
                    double ctMult = ExportFields.optionalNumber(i.node(), "ctMult", i.path());
                    double size = ctVal * (Double.isNaN(ctMult) ? 1.0 : ctMult);
                    if (!(size > 0)) {
                        throw new InputException(child(i.path(), "ctVal"), "contract size must be positive, got " + size);
                    }
                    contractSizes.put(ExportFields.string(i.node(), "instId", i.path()), size);
                }
            }
        }
        List<Position> positions = new ArrayList<>();
        if (root.has(POSITIONS)) {
            for (Located r : ExportFields.responses(root.get(POSITIONS), POSITIONS)) {
                for (Located p : data(r)) {
                    Position q = position(p.node(), p.path(), contractSizes);
                    if (q != null) {
                        positions.add(q);
                    }
                }
            }
        }
        Map<String, Double> balances = new LinkedHashMap<>();
        if (root.has(BALANCE)) {
            for (Located r : ExportFields.responses(root.get(BALANCE), BALANCE)) {
                for (Located account : data(r)) {
                    for (Located d : ExportFields.objects(account.node(), "details", account.path())) {
                        String ccy = ExportFields.string(d.node(), "ccy", d.path());
                        InstrumentNames.requireAssetCode(ccy, child(d.path(), "ccy"));
                        double cash = ExportFields.number(d.node(), "cashBal", d.path());
                        if (cash != 0) {
                            balances.merge(ccy, cash, Double::sum);
                        }
                    }
                }
            }
        }
        return new VenueHoldings(Venue.OKX, balances, positions);
    }

    /**
     * OKX's published contract size (ctVal x ctMult) of an instrument on BTC or ETH, or NaN: coin-margined swaps
     * and futures 100 USD (BTC) and 10 USD (ETH); USDT/USDC-margined 0.01 BTC and 0.1 ETH; options 0.01 BTC and
     * 0.1 ETH.
     */
    static double builtInContractSize(String underlying, String quote, boolean option) {
        boolean btc = underlying.equals("BTC");
        if (!btc && !underlying.equals("ETH")) {
            return Double.NaN;
        }
        if (option || !quote.equals("USD")) {
            return btc ? 0.01 : 0.1;
        }
        return btc ? 100 : 10;
    }

    private static List<Located> data(Located r) {
        JsonNode code = TreeFields.required(r.node(), "code", r.path());
        if (!code.asText().equals("0")) {
            throw new InputException(child(r.path(), "code"), "the export holds OKX's error answer, not data: code "
                + code.asText() + " " + r.node().path("msg").asText(""));
        }
        return ExportFields.objects(r.node(), "data", r.path());
    }

    private static Position position(JsonNode p, String path, Map<String, Double> contractSizes) {
        String instId = ExportFields.string(p, "instId", path);
        String instType = ExportFields.string(p, "instType", path);
        double pos = ExportFields.number(p, "pos", path);
        if (pos == 0) {
            return null;
        }
        String field = child(path, "instId");
        String[] parts = instId.split("-", -1);
        String underlying = parts[0];
        String quote = parts.length > 1 ? parts[1] : "";
        boolean inverse = quote.equals("USD");
        if (!InstrumentNames.isAssetCode(underlying) || !(inverse || quote.equals("USDT") || quote.equals("USDC"))) {
            throw VenueInstruments.unknownInstrument(field, instId, "BTC-USD-SWAP, BTC-USDT-SWAP, BTC-USD-250328, "
                + "BTC-USDT-250328 or BTC-USD-250328-100000-C");
        }
        String head = inverse ? underlying : underlying + "_" + quote;
        String name;
        boolean option = false;
        switch (instType) {
            case "SWAP" -> {
                if (parts.length != 3 || !parts[2].equals("SWAP")) {
                    throw VenueInstruments.unknownInstrument(field, instId, "a swap such as BTC-USD-SWAP");
                }
                name = head + "-PERPETUAL";
            }
            case "FUTURES" -> {
                if (parts.length != 3) {
                    throw VenueInstruments.unknownInstrument(field, instId, "a future such as BTC-USD-250328");
                }
                name = head + "-" + VenueInstruments.expiryOfYymmdd(parts[2], field);
            }
            case "OPTION" -> {
                if (parts.length != 5 || !inverse) {
                    throw VenueInstruments.unknownInstrument(field, instId, "an option such as BTC-USD-250328-100000-C");
                }
                option = true;
                name = underlying + "-" + VenueInstruments.expiryOfYymmdd(parts[2], field) + "-" + parts[3] + "-" + parts[4];
            }
            default -> throw new InputException(child(path, "instType"), "instType \"" + instType
                + "\" is not supported (SWAP, FUTURES or OPTION; spot holdings and margin loans are balances)");
        }
        Double listed = contractSizes.get(instId);
        double contractSize = listed != null ? listed : builtInContractSize(underlying, quote, option);
        if (Double.isNaN(contractSize)) {
            throw new InputException(field, "contract size of \"" + instId + "\" unknown: add OKX's " + INSTRUMENTS
                + " answer listing it (ctVal, ctMult) to the export");
        }
        String posSide = p.has("posSide") ? ExportFields.string(p, "posSide", path) : "net";
        double signed = switch (posSide) {
            case "net" -> pos;
            case "long" -> Math.abs(pos);
            case "short" -> -Math.abs(pos);
            default -> throw new InputException(child(path, "posSide"), "posSide \"" + posSide
                + "\" is none of net, long, short");
        };
        double entry = option ? Double.NaN : ExportFields.number(p, "avgPx", path);
        return VenueInstruments.position(Venue.OKX, name, signed * contractSize, entry, path, "instId", "pos", "avgPx");
    }
}
