package io.upm.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.engine.command.CommandType;
import io.upm.engine.event.AcceptedEvent;
import io.upm.engine.event.Event;
import io.upm.engine.event.EventType;
import io.upm.engine.event.HedgeEvent;
import io.upm.engine.event.IndexEvent;
import io.upm.engine.event.InsuranceEvent;
import io.upm.engine.event.LiquidationEvent;
import io.upm.engine.event.MarginCallEvent;
import io.upm.engine.event.MarginEvent;
import io.upm.engine.event.RecoveredEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.engine.event.SuggestedTrade;
import io.upm.engine.index.IndexStatus;
import io.upm.formats.DocumentParser;
import io.upm.formats.MarginReportReader;
import io.upm.formats.TreeFields;
import io.upm.input.InputException;
import io.upm.margin.AccountStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one line of the live engine's output, as {@link EventWriter} writes it, back into an {@link Event}: for
 * clients, tools that compare runs, and tests. As strict as the input readers: unknown members, missing or mistyped
 * fields and unknown names are {@link InputException}s naming the field.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventReader {
    /** The largest seq read: 2^53, beyond which a JSON number is no longer an exact integer everywhere. */
    static final long MAX_SEQ = 1L << 53;

    private static final Map<EventType, Set<String>> KEYS = keysByType();
    private static final Set<String> TRADE_KEYS = Set.of("instrument", "size", "price", "cost");

    private EventReader() {
    }

    /**
     * The event on one line.
     *
     * @param line one line of the engine's output, without its line break
     * @return the event
     * @throws InputException naming the offending field; field "" for the line as a whole
     */
    public static Event read(String line) {
        JsonNode o = TreeFields.object(DocumentParser.parseJson(line), "");
        String typeText = string(o, "type");
        EventType type = EventType.ofWireName(typeText);
        if (type == null) {
            throw new InputException("type", "unknown event type \"" + typeText + "\"");
        }
        TreeFields.onlyKeys(o, "", KEYS.get(type));
        long seq = seq(o, "seq");
        return switch (type) {
            case ACCEPTED -> new AcceptedEvent(seq, commandType(string(o, "command")), string(o, "account"),
                optionalString(o, "id"), optionalString(o, "reason"));
            case REJECTED -> {
                String command = optionalString(o, "command");
                yield new RejectedEvent(seq, command == null ? null : commandType(command), optionalString(o, "account"),
                    optionalString(o, "id"), string(o, "reason"), optionalString(o, "field"));
            }
            case MARGIN -> new MarginEvent(seq, string(o, "account"), number(o, "equity"), number(o, "initialMargin"),
                number(o, "maintenanceMargin"), accountStatus(string(o, "status")));
            case INDEX -> {
                JsonNode price = TreeFields.required(o, "price", "");
                yield new IndexEvent(seq, string(o, "asset"), price.isNull() ? Double.NaN : TreeFields.number(price,
                    "price"), strings(o, "sources"), indexStatus(string(o, "status")));
            }
            case LIQUIDATION -> new LiquidationEvent(seq, string(o, "account"), string(o, "instrument"),
                number(o, "size"), number(o, "price"), number(o, "fee"), number(o, "maintenanceMarginAfter"),
                number(o, "equityAfter"));
            case MARGIN_CALL -> {
                List<SuggestedTrade> hedge = o.has("hedge") ? trades(o, "hedge") : List.of();
                if (o.has("hedge") && hedge.isEmpty()) {
                    throw new InputException("hedge", "must not be empty (left out when there is no hedge)");
                }
                yield new MarginCallEvent(seq, string(o, "account"), number(o, "equity"),
                    number(o, "maintenanceMargin"), number(o, "shortfallAt2Sigma"), hedge);
            }
            case HEDGE -> new HedgeEvent(seq, string(o, "account"), string(o, "goal"), bool(o, "goalReached"),
                trades(o, "trades"), number(o, "totalCost"), number(o, "equityBefore"),
                number(o, "maintenanceMarginBefore"), number(o, "equityAfter"), number(o, "maintenanceMarginAfter"));
            case INSURANCE -> new InsuranceEvent(seq, number(o, "balance"), number(o, "change"),
                optionalString(o, "account"));
            case REPORT -> new ReportEvent(seq, MarginReportReader.fromTree(TreeFields.required(o, "report", ""),
                "report"), number(o, "openOrdersInitialMargin"));
            case RECOVERED -> {
                long lastSeq = seq(o, "lastSeq");
                if (lastSeq != seq) {
                    throw new InputException("lastSeq", "must equal seq (" + seq + "), got " + lastSeq);
                }
                yield new RecoveredEvent(lastSeq, TreeFields.integer(TreeFields.required(o, "accounts", ""),
                    "accounts", 0, Integer.MAX_VALUE));
            }
        };
    }

    private static String string(JsonNode o, String key) {
        return TreeFields.string(TreeFields.required(o, key, ""), key);
    }

    private static String optionalString(JsonNode o, String key) {
        return TreeFields.optionalString(o, key, "", null);
    }

    private static double number(JsonNode o, String key) {
        return TreeFields.number(TreeFields.required(o, key, ""), key);
    }

    private static boolean bool(JsonNode o, String key) {
        JsonNode v = TreeFields.required(o, key, "");
        if (!v.isBoolean()) {
            throw new InputException(key, "expected true or false, got " + TreeFields.typeName(v));
        }
        return v.booleanValue();
    }

    private static List<SuggestedTrade> trades(JsonNode o, String key) {
        JsonNode array = TreeFields.array(TreeFields.required(o, key, ""), key);
        List<SuggestedTrade> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = TreeFields.element(key, i);
            JsonNode t = TreeFields.object(array.get(i), at);
            TreeFields.onlyKeys(t, at, TRADE_KEYS);
            out.add(new SuggestedTrade(TreeFields.string(TreeFields.required(t, "instrument", at), at + ".instrument"),
                TreeFields.number(TreeFields.required(t, "size", at), at + ".size"),
                TreeFields.number(TreeFields.required(t, "price", at), at + ".price"),
                TreeFields.number(TreeFields.required(t, "cost", at), at + ".cost")));
        }
        return out;
    }

    private static long seq(JsonNode o, String key) {
        double v = number(o, key);
        if (v != Math.rint(v) || v < 0 || v > MAX_SEQ) {
            throw new InputException(key, "must be an integer in [0, 2^53], got " + TreeFields.required(o, key, "")
                .asText());
        }
        return (long) v;
    }

    private static List<String> strings(JsonNode o, String key) {
        JsonNode array = TreeFields.array(TreeFields.required(o, key, ""), key);
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(TreeFields.string(array.get(i), TreeFields.element(key, i)));
        }
        return out;
    }

    private static CommandType commandType(String name) {
        CommandType t = CommandType.ofWireName(name);
        if (t == null) {
            throw new InputException("command", "unknown command type \"" + name + "\"");
        }
        return t;
    }

    private static AccountStatus accountStatus(String name) {
        for (AccountStatus s : AccountStatus.values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new InputException("status", "unknown account status \"" + name + "\"");
    }

    private static IndexStatus indexStatus(String name) {
        for (IndexStatus s : IndexStatus.values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new InputException("status", "unknown index status \"" + name + "\"");
    }

    private static Map<EventType, Set<String>> keysByType() {
        Map<EventType, Set<String>> k = new EnumMap<>(EventType.class);
        k.put(EventType.ACCEPTED, keys("command", "account", "id", "reason"));
        k.put(EventType.REJECTED, keys("command", "account", "id", "reason", "field"));
        k.put(EventType.MARGIN, keys("account", "equity", "initialMargin", "maintenanceMargin", "status"));
        k.put(EventType.INDEX, keys("asset", "price", "sources", "status"));
        k.put(EventType.LIQUIDATION, keys("account", "instrument", "size", "price", "fee", "maintenanceMarginAfter",
            "equityAfter"));
        k.put(EventType.MARGIN_CALL, keys("account", "equity", "maintenanceMargin", "shortfallAt2Sigma", "hedge"));
        k.put(EventType.HEDGE, keys("account", "goal", "goalReached", "trades", "totalCost", "equityBefore",
            "maintenanceMarginBefore", "equityAfter", "maintenanceMarginAfter"));
        k.put(EventType.INSURANCE, keys("balance", "change", "account"));
        k.put(EventType.REPORT, keys("report", "openOrdersInitialMargin"));
        k.put(EventType.RECOVERED, keys("lastSeq", "accounts"));
        return Collections.unmodifiableMap(k);
    }

    private static Set<String> keys(String... fields) {
        Set<String> s = new HashSet<>(List.of(fields));
        s.add("seq");
        s.add("type");
        return Set.copyOf(s);
    }
}
