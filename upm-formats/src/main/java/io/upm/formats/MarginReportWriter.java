package io.upm.formats;

import io.upm.margin.MarginReport;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Writes a {@link MarginReport} as FORMATS.md's margin report JSON: the field names and nesting of the
 * contract, plus the added fields {@code size} (per position), {@code vanna}, {@code volga} (in every
 * Greeks block) and, when the report has balance lines, {@code balances} (after {@code positions}: per balance its
 * value, the haircut rate applied, the term that set it and each term of MODEL.md section 10). Numbers are written at full precision (shortest round-trip form), never rounded;
 * {@code marginRatio} is {@code null} when the report has none. Output is pretty-printed with a fixed
 * member order (units sorted by asset code, positions in report order) and ends with a newline, so the
 * same report always gives the same bytes.
 *
 * <p>A NaN or infinite number anywhere in the report is a bug in the calculator, not something to
 * publish: {@link #toJson} then throws {@link IllegalStateException} naming the field.
 *
 * <p>Stateless and thread-safe.
 */
public final class MarginReportWriter {
    private MarginReportWriter() {
    }

    /**
     * The report as a JSON document.
     *
     * @throws IllegalStateException if any number in the report is NaN or infinite, or a required value is null
     */
    public static String toJson(MarginReport report) {
        JsonOutput out = JsonOutput.pretty();
        write(out, report);
        return out.finish();
    }

    /**
     * The report as a JSON document with more members after its last one (e.g. the per-venue section of a
     * cross-venue portfolio, docs/venues.md); with none added it is {@link #toJson(MarginReport)}, byte for byte.
     *
     * @param report       the report
     * @param extraMembers writes the members to add, into the report's object
     * @throws IllegalStateException as {@link #toJson(MarginReport)}
     */
    public static String toJson(MarginReport report, Consumer<JsonOutput> extraMembers) {
        JsonOutput out = JsonOutput.pretty();
        write(out, report, extraMembers);
        return out.finish();
    }

    /**
     * Writes the report as the current value of {@code out}: a whole document, or the value of the member named
     * just before (the live engine's {@code report} event embeds it so, on one line with {@link JsonOutput#compact()}).
     * The members, their order and their numbers are those of {@link #toJson}; only the layout differs.
     *
     * @param out the document being written
     * @param r   the report
     * @throws IllegalStateException if any number in the report is NaN or infinite, or a required value is null
     */
    public static void write(JsonOutput out, MarginReport r) {
        write(out, r, o -> { });
    }

    private static void write(JsonOutput out, MarginReport r, Consumer<JsonOutput> extraMembers) {
        if (r.status() == null || r.time() == null || r.standard() == null || r.crossUnit() == null) {
            throw new IllegalStateException("margin report of " + r.account() + " is incomplete: " + r);
        }
        out.startObject()
            .string("account", r.account())
            .string("time", r.time().toString())
            .number("equity", r.equity())
            .number("initialMargin", r.initialMargin())
            .number("maintenanceMargin", r.maintenanceMargin())
            .numberOrNull("marginRatio", r.marginRatio())
            .string("status", r.status().wireName());
        out.startObject("standard")
            .number("initialMargin", r.standard().initialMargin())
            .number("maintenanceMargin", r.standard().maintenanceMargin())
            .endObject();
        out.startObject("units");
        for (Map.Entry<String, MarginReport.Unit> e : new TreeMap<>(r.units()).entrySet()) {
            out.startObject(e.getKey());
            unit(out, e.getValue());
            out.endObject();
        }
        out.endObject();
        MarginReport.CrossUnit cu = r.crossUnit();
        out.startObject("crossUnit")
            .number("jointLoss", cu.jointLoss())
            .number("stressedJointLoss", cu.stressedJointLoss())
            .number("floor", cu.floor())
            .number("charge", cu.charge())
            .string("jointLossMethod", cu.jointLossMethod())
            .string("stressedJointLossMethod", cu.stressedJointLossMethod())
            .endObject();
        out.number("borrowingCharge", r.borrowingCharge());
        out.startArray("positions");
        for (MarginReport.PositionLine p : r.positions()) {
            MarginReport.Greeks g = p.greeks();
            out.startObject()
                .string("instrument", p.instrument())
                .number("size", p.size())
                .number("value", p.value())
                .number("delta", g.delta())
                .number("gamma", g.gamma())
                .number("vega", g.vega())
                .number("theta", g.theta())
                .number("vanna", g.vanna())
                .number("volga", g.volga())
                .number("marginContribution", p.marginContribution())
                .endObject();
        }
        out.endArray();
        if (!r.balances().isEmpty()) {
            out.startArray("balances");
            for (MarginReport.BalanceLine b : r.balances()) {
                out.startObject()
                    .string("asset", b.asset())
                    .number("amount", b.amount())
                    .number("price", b.price())
                    .number("value", b.value())
                    .number("haircut", b.haircut())
                    .number("haircutUsd", b.haircutUsd())
                    .string("haircutTerm", b.haircutTerm())
                    .number("tierHaircut", b.tierHaircut())
                    .number("volatilityHaircut", b.volatilityHaircut())
                    .number("depegHaircut", b.depegHaircut())
                    .number("sizeHaircut", b.sizeHaircut())
                    .numberOrNull("sigma", b.sigma())
                    .endObject();
            }
            out.endArray();
        }
        extraMembers.accept(out);
        out.endObject();
    }

    private static void unit(JsonOutput out, MarginReport.Unit u) {
        out.startArray("priceMoves");
        for (double m : u.priceMoves()) {
            out.number(m);
        }
        out.endArray();
        out.startArray("volStates");
        for (String s : u.volStates()) {
            out.string(s);
        }
        out.endArray();
        out.startArray("pnl");
        for (double[] row : u.pnl()) {
            out.startArray();
            for (double x : row) {
                out.number(x);
            }
            out.endArray();
        }
        out.endArray();
        out.number("worstLoss", u.worstLoss());
        out.startObject("worstCell")
            .number("priceMove", u.worstCell().priceMove())
            .string("volState", u.worstCell().volState())
            .endObject();
        out.number("extendedLoss", u.extendedLoss())
            .number("shortOptionMinimum", u.shortOptionMinimum())
            .number("coreCharge", u.coreCharge())
            .number("rollShock", u.rollShock())
            .number("liquidityAddOn", u.liquidityAddOn());
        MarginReport.Greeks g = u.greeks();
        out.startObject("greeks")
            .number("delta", g.delta())
            .number("gamma", g.gamma())
            .number("vega", g.vega())
            .number("theta", g.theta())
            .number("vanna", g.vanna())
            .number("volga", g.volga())
            .endObject();
    }
}
