package io.upm.engine.codec;

import io.upm.engine.event.AcceptedEvent;
import io.upm.engine.event.Event;
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
import io.upm.formats.JsonOutput;
import io.upm.formats.MarginReportWriter;

/**
 * Writes an {@link Event} as one line of the live engine's output (FORMATS.md, "The live engine"), in deterministic
 * bytes: {@code seq} and {@code type} first, then the fields in the order FORMATS.md lists them; a field that does
 * not apply (an accepted withdraw's {@code id}, an engine rejection's {@code field}, an insurance change without an
 * account) is left out, never written {@code null}, except an index {@code price} that has never been set
 * ({@code null}); numbers in {@link JsonOutput}'s shortest round-trip form with no negative zero; the {@code report}
 * event's report exactly as {@link MarginReportWriter} writes it, on one line. The same event always gives the same
 * bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventWriter {
    private EventWriter() {
    }

    /**
     * The event as one JSON line.
     *
     * @param event the event
     * @return the line, without a line break
     * @throws IllegalStateException if a number in the event is NaN or infinite (a bug upstream: it is never
     *                               written), naming the field
     */
    public static String toJsonLine(Event event) {
        JsonOutput out = JsonOutput.compact().startObject()
            .integer("seq", event.seq())
            .string("type", event.type().wireName());
        switch (event) {
            case AcceptedEvent e -> {
                out.string("command", e.command().wireName()).string("account", e.account());
                optional(out, "id", e.id());
                optional(out, "reason", e.reason());
            }
            case RejectedEvent e -> {
                optional(out, "command", e.command() == null ? null : e.command().wireName());
                optional(out, "account", e.account());
                optional(out, "id", e.id());
                out.string("reason", e.reason());
                optional(out, "field", e.field());
            }
            case MarginEvent e -> out.string("account", e.account()).number("equity", e.equity())
                .number("initialMargin", e.initialMargin()).number("maintenanceMargin", e.maintenanceMargin())
                .string("status", e.status().wireName());
            case IndexEvent e -> {
                out.string("asset", e.asset()).numberOrNull("price", Double.isNaN(e.price()) ? null : e.price());
                out.startArray("sources");
                e.sources().forEach(out::string);
                out.endArray().string("status", e.status().wireName());
            }
            case LiquidationEvent e -> out.string("account", e.account()).string("instrument", e.instrument())
                .number("size", e.size()).number("price", e.price()).number("fee", e.fee())
                .number("maintenanceMarginAfter", e.maintenanceMarginAfter()).number("equityAfter", e.equityAfter());
            case MarginCallEvent e -> {
                out.string("account", e.account()).number("equity", e.equity())
                    .number("maintenanceMargin", e.maintenanceMargin()).number("shortfallAt2Sigma", e.shortfallAt2Sigma());
                if (!e.hedge().isEmpty()) {
                    trades(out, "hedge", e.hedge());
                }
            }
            case HedgeEvent e -> {
                out.string("account", e.account()).string("goal", e.goal()).bool("goalReached", e.goalReached());
                trades(out, "trades", e.trades());
                out.number("totalCost", e.totalCost()).number("equityBefore", e.equityBefore())
                    .number("maintenanceMarginBefore", e.maintenanceMarginBefore())
                    .number("equityAfter", e.equityAfter()).number("maintenanceMarginAfter", e.maintenanceMarginAfter());
            }
            case InsuranceEvent e -> {
                out.number("balance", e.balance()).number("change", e.change());
                optional(out, "account", e.account());
            }
            case ReportEvent e -> {
                out.fieldName("report");
                MarginReportWriter.write(out, e.report());
                out.number("openOrdersInitialMargin", e.openOrdersInitialMargin());
            }
            case RecoveredEvent e -> out.integer("lastSeq", e.lastSeq()).integer("accounts", e.accounts());
        }
        return out.endObject().finish();
    }

    /** An array of trades: instrument, size, price, cost each. */
    private static void trades(JsonOutput out, String name, java.util.List<SuggestedTrade> trades) {
        out.startArray(name);
        for (SuggestedTrade t : trades) {
            out.startObject().string("instrument", t.instrument()).number("size", t.size())
                .number("price", t.price()).number("cost", t.cost()).endObject();
        }
        out.endArray();
    }

    private static void optional(JsonOutput out, String name, String value) {
        if (value != null) {
            out.string(name, value);
        }
    }
}
