package io.upm.engine.liquidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.input.InputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal lines of the engine's own liquidation commands (one JSON object per line, like the input commands):
 * {@code {"type":"liquidation-step","time",...,"account","instrument","size","price","fee","notional","underlying"}}
 * and {@code {"type":"bankruptcy","time","account","deleveraging":[{"counterparty","instrument","size","price",
 * "cash"}],"takeover":[{"asset","amount"}],"uncovered"}}. Doubles are written as their shortest round-trip
 * decimals, so a line read back gives the same record bit for bit. Reading is strict: a missing or mistyped field is an
 * {@link InputException} naming it. Stateless and thread-safe.
 */
public final class LiquidationCommandCodec {
    /** The {@code type} of a {@link LiquidationStep} line. */
    public static final String STEP = "liquidation-step";
    /** The {@code type} of a {@link BankruptcyResolution} line. */
    public static final String BANKRUPTCY = "bankruptcy";

    /** The {@code type} of a {@link LiquidationHedge} line (hedge first). */
    public static final String HEDGE = "liquidation-hedge";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiquidationCommandCodec() {
    }

    /** A step as one JSON line (no newline). */
    public static String toJsonLine(LiquidationStep s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", STEP).put("time", s.time().toString()).put("account", s.account())
            .put("instrument", s.instrument()).put("size", s.size()).put("price", s.price()).put("fee", s.feeUsd())
            .put("notional", s.notionalUsd()).put("underlying", s.underlying());
        return write(o);
    }

    /** A bankruptcy resolution as one JSON line (no newline). */
    public static String toJsonLine(BankruptcyResolution r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", BANKRUPTCY).put("time", r.time().toString()).put("account", r.account());
        ArrayNode d = o.putArray("deleveraging");
        for (AdlTransfer t : r.deleveraging()) {
            ObjectNode x = d.addObject();
            if (t.counterparty() == null) {
                x.putNull("counterparty");
            } else {
                x.put("counterparty", t.counterparty());
            }
            x.put("instrument", t.instrument()).put("size", t.size()).put("price", t.markPrice()).put("cash", t.cashUsd());
        }
        ArrayNode k = o.putArray("takeover");
        for (BalanceTakeover b : r.takeover()) {
            k.addObject().put("asset", b.asset()).put("amount", b.amount());
        }
        o.put("uncovered", r.uncoveredUsd());
        return write(o);
    }

    /**
     * A liquidation hedge as one JSON line (no newline): {@code {"type":"liquidation-hedge","time","account",
     * "trades":[{"instrument","size","price","fee","notional","underlying"}],"cost","closingCost"}};
     * {@code closingCost} is {@code null} when closing could not reach the target (+infinity).
     */
    public static String toJsonLine(LiquidationHedge h) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", HEDGE).put("time", h.time().toString()).put("account", h.account());
        ArrayNode d = o.putArray("trades");
        for (LiquidationHedge.Trade t : h.trades()) {
            d.addObject().put("instrument", t.instrument()).put("size", t.size()).put("price", t.price())
                .put("fee", t.feeUsd()).put("notional", t.notionalUsd()).put("underlying", t.underlying());
        }
        o.put("cost", h.costUsd());
        if (Double.isInfinite(h.closingCostUsd())) {
            o.putNull("closingCost");
        } else {
            o.put("closingCost", h.closingCostUsd());
        }
        return write(o);
    }

    /**
     * Reads a line written by {@code toJsonLine}: a {@link LiquidationStep}, a {@link BankruptcyResolution} or a
     * {@link LiquidationHedge}.
     *
     * @throws InputException naming the field that is missing, mistyped or invalid
     */
    public static Record read(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException("line", "not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new InputException("line", "not a JSON object");
        }
        String type = text(o, "type");
        try {
            return switch (type) {
                case STEP -> new LiquidationStep(time(o), text(o, "account"), text(o, "instrument"), number(o, "size"),
                    number(o, "price"), number(o, "fee"), number(o, "notional"), text(o, "underlying"));
                case BANKRUPTCY -> {
                    List<AdlTransfer> ts = new ArrayList<>();
                    JsonNode d = array(o, "deleveraging");
                    for (int n = 0; n < d.size(); n++) {
                        JsonNode x = d.get(n);
                        String field = "deleveraging[" + n + "].";
                        JsonNode cp = x.get("counterparty");
                        if (cp == null || !(cp.isNull() || cp.isTextual())) {
                            throw new InputException(field + "counterparty", "must be a string or null");
                        }
                        ts.add(new AdlTransfer(cp.isNull() ? null : cp.asText(), text(x, "instrument", field),
                            number(x, "size", field), number(x, "price", field), number(x, "cash", field)));
                    }
                    List<BalanceTakeover> bs = new ArrayList<>();
                    JsonNode k = array(o, "takeover");
                    for (int n = 0; n < k.size(); n++) {
                        String field = "takeover[" + n + "].";
                        bs.add(new BalanceTakeover(text(k.get(n), "asset", field), number(k.get(n), "amount", field)));
                    }
                    yield new BankruptcyResolution(time(o), text(o, "account"), ts, bs, number(o, "uncovered"));
                }
                case HEDGE -> {
                    List<LiquidationHedge.Trade> ts = new ArrayList<>();
                    JsonNode d = array(o, "trades");
                    for (int n = 0; n < d.size(); n++) {
                        JsonNode x = d.get(n);
                        String field = "trades[" + n + "].";
                        ts.add(new LiquidationHedge.Trade(text(x, "instrument", field), number(x, "size", field),
                            number(x, "price", field), number(x, "fee", field), number(x, "notional", field),
                            text(x, "underlying", field)));
                    }
                    JsonNode closing = o.get("closingCost");
                    double closingCost = closing != null && closing.isNull() ? Double.POSITIVE_INFINITY
                        : number(o, "closingCost");
                    yield new LiquidationHedge(time(o), text(o, "account"), ts, number(o, "cost"), closingCost);
                }
                default -> throw new InputException("type", "unknown liquidation command type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new InputException("line", e.getMessage());
        }
    }

    private static Instant time(JsonNode o) {
        try {
            return Instant.parse(text(o, "time"));
        } catch (DateTimeParseException e) {
            throw new InputException("time", "not an ISO-8601 instant");
        }
    }

    private static String text(JsonNode o, String name) {
        return text(o, name, "");
    }

    private static String text(JsonNode o, String name, String prefix) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual()) {
            throw new InputException(prefix + name, "must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode o, String name) {
        return number(o, name, "");
    }

    private static double number(JsonNode o, String name, String prefix) {
        JsonNode v = o.get(name);
        if (v == null || !v.isNumber()) {
            throw new InputException(prefix + name, "must be a number");
        }
        return v.doubleValue();
    }

    private static JsonNode array(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isArray()) {
            throw new InputException(name, "must be an array");
        }
        return v;
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
