package io.upm.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.formats.DocumentParser;
import io.upm.formats.TreeFields;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads request bodies into engine command lines and what-if orders, with the errors of the CLI: the JSON is parsed by
 * {@link DocumentParser} and every command is checked by the engine's own {@link CommandReader}, so a bad field is
 * named with the same words as {@code upm engine} would use, and nothing reaches the journal. Stateless.
 */
public final class Requests {
    /** The placeholder time an order without {@code time} is checked with (the engine's time replaces it). */
    static final String PLACEHOLDER_TIME = "1970-01-01T00:00:00Z";
    private static final Set<String> ORDER_KEYS = Set.of("time", "id", "instrument", "size", "price");

    private Requests() {
    }

    /**
     * The command lines of a {@code POST /v1/commands} body: one command object or an array of them.
     *
     * @param body        the body
     * @param maxCommands most commands allowed
     * @return each command as one compact JSON line
     * @throws InputException naming the field ({@code [2].amount} in an array)
     */
    public static List<String> commands(String body, int maxCommands) {
        JsonNode root = DocumentParser.parseJson(body);
        List<String> lines = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new InputException("", "an empty array: at least one command");
            }
            if (root.size() > maxCommands) {
                throw new InputException("", "at most " + maxCommands + " commands in one request, got " + root.size());
            }
            for (int i = 0; i < root.size(); i++) {
                lines.add(checked(root.get(i).toString(), "[" + i + "]"));
            }
        } else {
            lines.add(checked(root.toString(), ""));
        }
        return lines;
    }

    /** The line if the engine's reader takes it, else its error under {@code prefix}. */
    private static String checked(String line, String prefix) {
        if (CommandReader.read(line) instanceof ReadResult.Malformed m) {
            String field = prefix.isEmpty() ? m.field() : m.field().isEmpty() ? prefix : prefix + "." + m.field();
            throw new InputException(field, m.reason());
        }
        return line;
    }

    /** An order for the engine: its line is made with the engine's time when the body gave none. */
    public record OrderRequest(ObjectNode command, boolean timed) {
        /** The command line, with {@code now} as its time when the body gave none. */
        public String line(Instant now) {
            ObjectNode c = command.deepCopy();
            if (!timed) {
                c.put("time", now.toString());
            }
            return c.toString();
        }
    }

    /**
     * The {@code order} command of a {@code POST /v1/accounts/{id}/orders} body ({@code id}, {@code instrument},
     * {@code size}, {@code price}, optional {@code time}: by default the engine's time).
     *
     * @throws InputException naming the field
     */
    public static OrderRequest order(String account, String body) {
        JsonNode root = TreeFields.object(DocumentParser.parseJson(body), "");
        if (root.has("account")) {
            throw new InputException("account", "given by the path /v1/accounts/{id}/orders, not the body");
        }
        if (root.has("type")) {
            throw new InputException("type", "always order on this route; leave it out");
        }
        TreeFields.onlyKeys(root, "", ORDER_KEYS);
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("type", "order");
        boolean timed = root.has("time");
        c.set("time", timed ? root.get("time") : JsonNodeFactory.instance.textNode(PLACEHOLDER_TIME));
        c.put("account", account);
        for (String k : List.of("id", "instrument", "size", "price")) {
            if (root.has(k)) {
                c.set(k, root.get(k));
            }
        }
        checked(c.toString(), "");
        return new OrderRequest(c, timed);
    }

    /**
     * The orders of a {@code POST /v1/accounts/{id}/whatif} body, {@code {"add": [{"instrument", "size",
     * "price"}]}}: as {@code upm whatif --add INSTRUMENT:SIZE[:PRICE]} (no price: the market's mark or model value).
     *
     * @throws InputException naming the field ({@code add[1].size})
     */
    public static List<MarginCalculator.Order> whatIf(String body, int maxOrders) {
        JsonNode root = TreeFields.object(DocumentParser.parseJson(body), "");
        TreeFields.onlyKeys(root, "", Set.of("add"));
        JsonNode add = TreeFields.array(TreeFields.required(root, "add", ""), "add");
        if (add.isEmpty()) {
            throw new InputException("add", "at least one order to add");
        }
        if (add.size() > maxOrders) {
            throw new InputException("add", "at most " + maxOrders + " orders, got " + add.size());
        }
        List<MarginCalculator.Order> orders = new ArrayList<>();
        for (int k = 0; k < add.size(); k++) {
            String path = TreeFields.element("add", k);
            JsonNode o = TreeFields.object(add.get(k), path);
            TreeFields.onlyKeys(o, path, Set.of("instrument", "size", "price"));
            String ip = TreeFields.child(path, "instrument");
            Instrument instrument = InstrumentNames.parse(TreeFields.string(TreeFields.required(o, "instrument", path), ip), ip);
            String sp = TreeFields.child(path, "size");
            double size = TreeFields.number(TreeFields.required(o, "size", path), sp);
            if (size == 0 || Math.abs(size) > Position.MAX_ABS_SIZE) {
                throw new InputException(sp, "size must be non-zero and at most " + Position.MAX_ABS_SIZE
                    + " in size, got " + o.get("size").asText());
            }
            double price = Double.NaN;
            if (o.has("price")) {
                String pp = TreeFields.child(path, "price");
                price = TreeFields.number(o.get("price"), pp);
                if (price <= 0 || price > 1e12) {
                    throw new InputException(pp, "price must be positive, got " + o.get("price").asText());
                }
            }
            orders.add(new MarginCalculator.Order(instrument, size, price));
        }
        return orders;
    }
}
