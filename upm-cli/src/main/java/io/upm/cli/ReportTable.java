package io.upm.cli;

import io.upm.margin.MarginReport;
import io.upm.margin.WhatIf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders margin reports as readable text tables (the CLI's default output). */
final class ReportTable {
    /** How many positions the "largest contributors" table lists. */
    static final int TOP_CONTRIBUTORS = 10;

    private ReportTable() {
    }

    static String render(MarginReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Account %s at %s: %s%n", r.account(), r.time(),
            r.status().wireName().toUpperCase(Locale.ROOT)));
        b.append(String.format(Locale.ROOT, "  equity %s   maintenance margin %s   initial margin %s   margin ratio %s%n",
            usd(r.equity()), usd(r.maintenanceMargin()), usd(r.initialMargin()),
            r.marginRatio() == null ? "n/a (equity <= 0)" : String.format(Locale.ROOT, "%.2f%%", 100 * r.marginRatio())));
        double stdMm = r.standard().maintenanceMargin();
        String saving = stdMm > 0 ? String.format(Locale.ROOT, " (portfolio MM is %.1f%% of it)",
            100 * r.maintenanceMargin() / stdMm) : "";
        b.append(String.format(Locale.ROOT, "  siloed baseline: MM %s   IM %s%s%n", usd(stdMm),
            usd(r.standard().initialMargin()), saving));
        for (Map.Entry<String, MarginReport.Unit> e : r.units().entrySet()) {
            unit(b, e.getKey(), e.getValue());
        }
        MarginReport.CrossUnit cu = r.crossUnit();
        b.append(String.format(Locale.ROOT, "%nAcross units%n  J(rho) %s   J(stressed) %s   floor %s   cross-unit charge %s%n",
            usd(cu.jointLoss()), usd(cu.stressedJointLoss()), usd(cu.floor()), usd(cu.charge())));
        b.append(String.format(Locale.ROOT, "  borrowing charge %s%n", usd(r.borrowingCharge())));
        contributors(b, r.positions());
        return b.toString();
    }

    private static void unit(StringBuilder b, String name, MarginReport.Unit u) {
        b.append(String.format(Locale.ROOT, "%nUnit %s: P&L (USD) by price move and vol state%n", name));
        b.append(String.format(Locale.ROOT, "  %8s", "move"));
        for (String v : u.volStates()) {
            b.append(String.format(Locale.ROOT, " %16s", "vol " + v));
        }
        b.append('\n');
        for (int j = 0; j < u.priceMoves().length; j++) {
            b.append(String.format(Locale.ROOT, "  %+7.1f%%", 100 * u.priceMoves()[j]));
            for (int v = 0; v < u.pnl()[j].length; v++) {
                boolean worst = u.priceMoves()[j] == u.worstCell().priceMove()
                    && u.volStates().get(v).equals(u.worstCell().volState());
                b.append(String.format(Locale.ROOT, " %15s%s", num(u.pnl()[j][v]), worst ? "*" : " "));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "  worst loss W %s (* at %+.1f%%, vol %s)   extended X %s   short-option min %s%n",
            usd(u.worstLoss()), 100 * u.worstCell().priceMove(), u.worstCell().volState(), usd(u.extendedLoss()),
            usd(u.shortOptionMinimum())));
        b.append(String.format(Locale.ROOT, "  core charge C %s   roll shock %s   liquidity add-on %s%n",
            usd(u.coreCharge()), usd(u.rollShock()), usd(u.liquidityAddOn())));
        MarginReport.Greeks g = u.greeks();
        b.append(String.format(Locale.ROOT, "  delta %s   gamma %s   vega %s/vol pt   theta %s/day   vanna %s   volga %s%n",
            num(g.delta()), num(g.gamma()), num(g.vega()), num(g.theta()), num(g.vanna()), num(g.volga())));
    }

    private static void contributors(StringBuilder b, List<MarginReport.PositionLine> positions) {
        if (positions.isEmpty()) {
            return;
        }
        List<MarginReport.PositionLine> sorted = new ArrayList<>(positions);
        sorted.sort(Comparator.comparingDouble((MarginReport.PositionLine p) -> -Math.abs(p.marginContribution()))
            .thenComparing(MarginReport.PositionLine::instrument));
        b.append(String.format(Locale.ROOT, "%nLargest contributors to MM (MM with the position minus MM without it)%n"));
        b.append(String.format(Locale.ROOT, "  %-28s %14s %14s %12s %12s %12s %14s%n", "instrument", "size", "value",
            "delta", "vega", "theta", "contribution"));
        for (int k = 0; k < Math.min(TOP_CONTRIBUTORS, sorted.size()); k++) {
            MarginReport.PositionLine p = sorted.get(k);
            b.append(String.format(Locale.ROOT, "  %-28s %14s %14s %12s %12s %12s %14s%n", p.instrument(), num(p.size()),
                num(p.value()), num(p.greeks().delta()), num(p.greeks().vega()), num(p.greeks().theta()),
                num(p.marginContribution())));
        }
        if (sorted.size() > TOP_CONTRIBUTORS) {
            b.append(String.format(Locale.ROOT, "  ... and %d more (see --format json)%n", sorted.size() - TOP_CONTRIBUTORS));
        }
    }

    static String renderWhatIf(WhatIf w) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "What if: account %s%n", w.before().account()));
        b.append(String.format(Locale.ROOT, "  %-22s %18s %18s %18s%n", "", "before", "after", "change"));
        row(b, "equity", w.before().equity(), w.after().equity());
        row(b, "maintenance margin", w.before().maintenanceMargin(), w.after().maintenanceMargin());
        row(b, "initial margin", w.before().initialMargin(), w.after().initialMargin());
        row(b, "siloed baseline MM", w.before().standard().maintenanceMargin(), w.after().standard().maintenanceMargin());
        b.append(String.format(Locale.ROOT, "  %-22s %18s %18s%n", "status", w.before().status().wireName(),
            w.after().status().wireName()));
        b.append(String.format(Locale.ROOT, "%n%s: %s%n", w.accepted() ? "ACCEPTED" : "REJECTED", w.reason()));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, double before, double after) {
        b.append(String.format(Locale.ROOT, "  %-22s %18s %18s %18s%n", label, usd(before), usd(after), num(after - before)));
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    static String num(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1e-3 && a < 1e12) {
            return String.format(Locale.ROOT, a >= 100 ? "%,.2f" : "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
