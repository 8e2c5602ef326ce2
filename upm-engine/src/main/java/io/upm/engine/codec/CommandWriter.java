package io.upm.engine.codec;

import io.upm.engine.command.AccountOptionsCommand;
import io.upm.engine.command.CancelCommand;
import io.upm.engine.command.Command;
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
import io.upm.formats.JsonOutput;
import io.upm.market.MarketFields;
import java.util.Map;

/**
 * Writes a {@link Command} as one line of the live engine's input (FORMATS.md, "The live engine"), which
 * {@link CommandReader} reads back as an equal command: {@code type} and {@code time} first, then the fields in
 * FORMATS.md's order ({@code fill}'s {@code fee} and {@code order}, {@code settle}'s {@code price} only when given;
 * a {@code market} command's snapshot members in the snapshot's order, each only when it has a leaf), numbers in
 * {@link JsonOutput}'s shortest round-trip form, times as {@link java.time.Instant#toString()}, expiries as their
 * canonical code. For clients, feeds and tests; the engine itself journals the lines it was given, byte for byte.
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandWriter {
    private CommandWriter() {
    }

    /**
     * The command as one JSON line.
     *
     * @param command the command
     * @return the line, without a line break
     */
    public static String toJsonLine(Command command) {
        JsonOutput out = JsonOutput.compact().startObject()
            .string("type", command.type().wireName())
            .string("time", command.time().toString());
        switch (command) {
            case MarketCommand c -> market(out, c.fields());
            case QuoteCommand c -> out.string("source", c.source()).string("asset", c.asset())
                .number("price", c.price());
            case DepositCommand c -> out.string("account", c.account()).string("asset", c.asset())
                .number("amount", c.amount());
            case WithdrawCommand c -> out.string("account", c.account()).string("asset", c.asset())
                .number("amount", c.amount());
            case OrderCommand c -> out.string("account", c.account()).string("id", c.id())
                .string("instrument", c.instrument().name()).number("size", c.size()).number("price", c.price());
            case CancelCommand c -> out.string("account", c.account()).string("id", c.id());
            case FillCommand c -> {
                out.string("account", c.account()).string("instrument", c.instrument().name())
                    .number("size", c.size()).number("price", c.price());
                c.feeUsd().ifPresent(fee -> out.number("fee", fee));
                c.order().ifPresent(order -> out.string("order", order));
            }
            case FundingCommand c -> out.string("instrument", c.instrument().name()).number("rate", c.rate());
            case SettleCommand c -> {
                out.string("underlying", c.underlying()).string("expiry", c.expiryCode());
                c.price().ifPresent(price -> out.number("price", price));
            }
            case ReportCommand c -> out.string("account", c.account());
            case SnapshotCommand c -> {
                // type and time only
            }
            case HedgeCommand c -> {
                out.string("account", c.account());
                c.goal().ifPresent(goal -> out.string("goal", goal.wireName()));
                c.maxTrades().ifPresent(k -> out.integer("maxTrades", k));
            }
            case AccountOptionsCommand c -> out.string("account", c.account()).bool("hedgeFirst", c.hedgeFirst());
        }
        return out.endObject().finish();
    }

    private static void market(JsonOutput out, MarketFields f) {
        numbers(out, "prices", f.prices());
        if (!f.forwards().isEmpty()) {
            out.startObject("forwards");
            f.forwards().forEach((underlying, byExpiry) -> numbers(out, underlying, byExpiry));
            out.endObject();
        }
        numbers(out, "marks", f.marks());
        if (!f.vols().isEmpty()) {
            out.startObject("vols");
            f.vols().forEach((underlying, surface) -> {
                out.startObject(underlying);
                if (surface.flat().isPresent()) {
                    out.number("flat", surface.flat().getAsDouble());
                } else {
                    surface.expiries().forEach((code, strikes) -> numbers(out, code, strikes));
                }
                out.endObject();
            });
            out.endObject();
        }
        numbers(out, "correlations", f.correlations());
        numbers(out, "adv", f.adv());
        f.rate().ifPresent(rate -> out.number("rate", rate));
    }

    /** An object member of numbers, written only when it has one. */
    private static void numbers(JsonOutput out, String name, Map<String, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        out.startObject(name);
        values.forEach(out::number);
        out.endObject();
    }
}
