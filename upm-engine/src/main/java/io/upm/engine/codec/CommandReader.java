package io.upm.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.engine.command.AccountOptionsCommand;
import io.upm.engine.command.CancelCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.CommandType;
import io.upm.engine.command.DepositCommand;
import io.upm.engine.command.FillCommand;
import io.upm.engine.command.FundingCommand;
import io.upm.engine.command.HedgeCommand;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.command.QuoteCommand;
import io.upm.engine.command.ReportCommand;
import io.upm.engine.command.SettleCommand;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.command.WithdrawCommand;
import io.upm.formats.DocumentParser;
import io.upm.formats.MarketReader;
import io.upm.formats.TreeFields;
import io.upm.hedge.HedgeGoal;
import io.upm.hedge.HedgeOptimizer;
import io.upm.input.InputException;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one line of the live engine's input (FORMATS.md, "The live engine") into a {@link Command}, or into a
 * {@link ReadResult.Malformed} naming the offending field and what is wrong with it: a line that is not JSON, not an
 * object, with trailing content, a duplicate key, NaN or Infinity, a number that overflows a double, a missing or
 * unknown {@code type}, an unknown member, a missing field, a wrong JSON type, a non-positive amount or price, a zero
 * size, a malformed asset code, instrument name or expiry, a time that is not an ISO-8601 instant. The values are
 * checked by the command records themselves (see {@link io.upm.engine.command}); the market fields by
 * {@link MarketReader#readFields}, as strictly as a whole market snapshot.
 *
 * <p>Never throws on bad input: every problem is a {@link ReadResult.Malformed}. The JSON is parsed by
 * {@link DocumentParser}, so it rejects what every UPM document rejects, with the same words.
 *
 * <p>Stateless and thread-safe. A line costs a Jackson tree and the command (a few microseconds; see
 * {@code EngineCodecBenchmark} in upm-bench); a malformed line also costs an exception inside.
 */
public final class CommandReader {
    /** The members each command type may have. */
    private static final Map<CommandType, Set<String>> KEYS = keysByType();
    private static final String TYPE_NAMES = typeNames();

    private CommandReader() {
    }

    /**
     * The command on one line.
     *
     * @param line one line of input, without its line break; may be null (read as an empty line)
     * @return the command, or why the line is not one; never null
     */
    public static ReadResult read(String line) {
        JsonNode root;
        try {
            root = DocumentParser.parseJson(line);
        } catch (InputException e) {
            return new ReadResult.Malformed(null, null, null, e.field(), e.problem());
        } catch (RuntimeException e) {
            // the parser is not expected to throw anything else; a line must never stop the engine
            return new ReadResult.Malformed(null, null, null, "", "unreadable line: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!root.isObject()) {
            return new ReadResult.Malformed(null, null, null, "", "expected a JSON object, got "
                + TreeFields.typeName(root));
        }
        JsonNode typeNode = root.get("type");
        CommandType type = typeNode != null && typeNode.isTextual() ? CommandType.ofWireName(typeNode.textValue())
            : null;
        try {
            if (type == null) {
                String text = TreeFields.string(TreeFields.required(root, "type", ""), "type");
                throw new InputException("type", "unknown command type \"" + text + "\" (expected " + TYPE_NAMES + ")");
            }
            TreeFields.onlyKeys(root, "", KEYS.get(type));
            Instant time = TreeFields.instant(TreeFields.required(root, "time", ""), "time");
            return new ReadResult.Parsed(command(type, root, time));
        } catch (InputException e) {
            return new ReadResult.Malformed(type, echo(root, type, "account"), echo(root, type, "id"), e.field(),
                e.problem());
        } catch (RuntimeException e) {
            return new ReadResult.Malformed(type, echo(root, type, "account"), echo(root, type, "id"), "",
                "unreadable command: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Command command(CommandType type, JsonNode o, Instant time) {
        return switch (type) {
            case MARKET -> new MarketCommand(time, MarketReader.readFields(o, time));
            case QUOTE -> new QuoteCommand(time, string(o, "source"), string(o, "asset"), number(o, "price"));
            case DEPOSIT -> new DepositCommand(time, string(o, "account"), string(o, "asset"), number(o, "amount"));
            case WITHDRAW -> new WithdrawCommand(time, string(o, "account"), string(o, "asset"), number(o, "amount"));
            case ORDER -> new OrderCommand(time, string(o, "account"), string(o, "id"), instrument(o),
                number(o, "size"), number(o, "price"));
            case CANCEL -> new CancelCommand(time, string(o, "account"), string(o, "id"));
            case FILL -> new FillCommand(time, string(o, "account"), instrument(o), number(o, "size"),
                number(o, "price"), optionalNumber(o, "fee"), optionalString(o, "order"));
            case FUNDING -> new FundingCommand(time, FundingCommand.perpetual(instrument(o)), number(o, "rate"));
            case SETTLE -> new SettleCommand(time, string(o, "underlying"),
                ExpiryCodes.parse(string(o, "expiry"), "expiry"), optionalNumber(o, "price"));
            case REPORT -> new ReportCommand(time, string(o, "account"));
            case SNAPSHOT -> new SnapshotCommand(time);
            case HEDGE -> new HedgeCommand(time, string(o, "account"),
                o.has("goal") ? Optional.of(HedgeGoal.parse(TreeFields.string(o.get("goal"), "goal"), "goal"))
                    : Optional.empty(),
                o.has("maxTrades") ? OptionalInt.of(TreeFields.integer(o.get("maxTrades"), "maxTrades", 1,
                    HedgeOptimizer.MAX_TRADES_LIMIT)) : OptionalInt.empty());
            case ACCOUNT -> new AccountOptionsCommand(time, string(o, "account"), bool(o, "hedgeFirst"));
        };
    }

    private static String string(JsonNode o, String key) {
        return TreeFields.string(TreeFields.required(o, key, ""), key);
    }

    private static boolean bool(JsonNode o, String key) {
        JsonNode v = TreeFields.required(o, key, "");
        if (!v.isBoolean()) {
            throw new InputException(key, "expected true or false, got " + TreeFields.typeName(v));
        }
        return v.booleanValue();
    }

    private static double number(JsonNode o, String key) {
        return TreeFields.number(TreeFields.required(o, key, ""), key);
    }

    private static Instrument instrument(JsonNode o) {
        return InstrumentNames.parse(string(o, "instrument"), "instrument");
    }

    private static OptionalDouble optionalNumber(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(TreeFields.number(v, key));
    }

    private static Optional<String> optionalString(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null ? Optional.empty() : Optional.of(TreeFields.string(v, key));
    }

    /** The value of {@code key} for the rejected event, when the type has such a field and it is a string. */
    private static String echo(JsonNode o, CommandType type, String key) {
        JsonNode v = o.get(key);
        return type != null && KEYS.get(type).contains(key) && v != null && v.isTextual() ? v.textValue() : null;
    }

    private static Map<CommandType, Set<String>> keysByType() {
        Map<CommandType, Set<String>> k = new EnumMap<>(CommandType.class);
        Set<String> market = new HashSet<>(MarketReader.FIELD_NAMES);
        market.add("type");
        k.put(CommandType.MARKET, Set.copyOf(market));
        k.put(CommandType.QUOTE, keys("source", "asset", "price"));
        k.put(CommandType.DEPOSIT, keys("account", "asset", "amount"));
        k.put(CommandType.WITHDRAW, keys("account", "asset", "amount"));
        k.put(CommandType.ORDER, keys("account", "id", "instrument", "size", "price"));
        k.put(CommandType.CANCEL, keys("account", "id"));
        k.put(CommandType.FILL, keys("account", "instrument", "size", "price", "fee", "order"));
        k.put(CommandType.FUNDING, keys("instrument", "rate"));
        k.put(CommandType.SETTLE, keys("underlying", "expiry", "price"));
        k.put(CommandType.REPORT, keys("account"));
        k.put(CommandType.SNAPSHOT, keys());
        k.put(CommandType.HEDGE, keys("account", "goal", "maxTrades"));
        k.put(CommandType.ACCOUNT, keys("account", "hedgeFirst"));
        return Collections.unmodifiableMap(k);
    }

    private static Set<String> keys(String... fields) {
        Set<String> s = new HashSet<>(List.of(fields));
        s.add("type");
        s.add("time");
        return Set.copyOf(s);
    }

    private static String typeNames() {
        List<String> names = Arrays.stream(CommandType.values()).map(CommandType::wireName).toList();
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
            + names.get(names.size() - 1);
    }
}
