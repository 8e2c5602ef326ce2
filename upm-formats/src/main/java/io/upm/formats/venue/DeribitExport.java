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

/**
 * Reads a Deribit export: {@code {"private/get_positions": R, "private/get_account_summary": R}}, each R one
 * JSON-RPC response or an array of them (Deribit answers per currency).
 *
 * <ul>
 *   <li>Positions ({@code result[]}): {@code instrument_name} is already a FORMATS.md name (FORMATS.md follows
 *   Deribit's convention) and {@code size} already UPM's unit (USD for inverse perpetuals and futures, coin for
 *   linear ones and for options); the sign comes from {@code direction} ({@code buy} long, {@code sell} short,
 *   {@code zero} or size 0 left out). The entry price is {@code settlement_price} when present, else
 *   {@code average_price}: Deribit settles a future's session P&amp;L into the balance each day, so the P&amp;L
 *   up to the last settlement is already in {@code balance}. Combos are rejected.</li>
 *   <li>Balances: {@code result.currency} and {@code result.balance} of each account summary.</li>
 * </ul>
 */
public final class DeribitExport {
    /** The export's key of the positions responses. */
    public static final String POSITIONS = "private/get_positions";
    /** The export's key of the account summary responses. */
    public static final String ACCOUNT_SUMMARY = "private/get_account_summary";
    private static final Set<String> KEYS = Set.of(POSITIONS, ACCOUNT_SUMMARY);

    private DeribitExport() {
    }

    /**
     * The holdings of a Deribit export.
     *
     * @param root the export's root
     * @throws InputException naming the field of the export
     */
    public static VenueHoldings read(JsonNode root) {
        TreeFields.object(root, "");
        TreeFields.onlyKeys(root, "", KEYS);
        if (!root.has(POSITIONS) && !root.has(ACCOUNT_SUMMARY)) {
            throw new InputException("", "a Deribit export needs " + POSITIONS + " or " + ACCOUNT_SUMMARY);
        }
        List<Position> positions = new ArrayList<>();
        if (root.has(POSITIONS)) {
            for (Located r : ExportFields.responses(root.get(POSITIONS), POSITIONS)) {
                for (Located p : ExportFields.objects(result(r), "result", r.path())) {
                    Position q = position(p.node(), p.path());
                    if (q != null) {
                        positions.add(q);
                    }
                }
            }
        }
        Map<String, Double> balances = new LinkedHashMap<>();
        if (root.has(ACCOUNT_SUMMARY)) {
            for (Located r : ExportFields.responses(root.get(ACCOUNT_SUMMARY), ACCOUNT_SUMMARY)) {
                String path = child(r.path(), "result");
                JsonNode s = TreeFields.object(result(r).get("result"), path);
                String currency = ExportFields.string(s, "currency", path);
                InstrumentNames.requireAssetCode(currency, child(path, "currency"));
                double balance = ExportFields.number(s, "balance", path);
                if (balance != 0) {
                    balances.merge(currency, balance, Double::sum);
                }
            }
        }
        return new VenueHoldings(Venue.DERIBIT, balances, positions);
    }

    /** The response, checked to be a success: an {@code error} member is Deribit's refusal. */
    private static JsonNode result(Located r) {
        JsonNode error = r.node().get("error");
        if (error != null && !error.isNull()) {
            throw new InputException(child(r.path(), "error"), "the export holds Deribit's error answer, not data: "
                + error.path("message").asText(error.toString()));
        }
        TreeFields.required(r.node(), "result", r.path());
        return r.node();
    }

    private static Position position(JsonNode p, String path) {
        String name = ExportFields.string(p, "instrument_name", path);
        String kind = p.has("kind") ? ExportFields.string(p, "kind", path) : "";
        if (kind.endsWith("combo")) {
            throw new InputException(child(path, "kind"), "combo positions (" + name + ") are not supported: export"
                + " their legs");
        }
        String direction = ExportFields.string(p, "direction", path);
        double size = ExportFields.number(p, "size", path);
        if (direction.equals("zero") || size == 0) {
            return null;
        }
        double sign = switch (direction) {
            case "buy" -> 1.0;
            case "sell" -> -1.0;
            default -> throw new InputException(child(path, "direction"), "direction \"" + direction
                + "\" is none of buy, sell, zero");
        };
        boolean option = name.endsWith("-C") || name.endsWith("-P");
        double entry = Double.NaN;
        String entryKey = "average_price";
        if (!option) {
            double settlement = ExportFields.optionalNumber(p, "settlement_price", path);
            if (Double.isNaN(settlement)) {
                entry = ExportFields.number(p, "average_price", path);
            } else {
                entry = settlement;
                entryKey = "settlement_price";
            }
        }
        return VenueInstruments.position(Venue.DERIBIT, name, sign * Math.abs(size), entry, path, "instrument_name",
            "size", entryKey);
    }
}
