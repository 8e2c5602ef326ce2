package io.upm.cli;

import io.upm.formats.venue.VenueMargins;
import io.upm.margin.MarginReport;
import io.upm.margin.WhatIf;
import io.upm.product.Future;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Settlement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders margin reports and what-ifs as readable text tables (the CLI's default output; the JSON of
 * {@code --format json} is the contract, this is for people).
 *
 * <p>The first line is the one a trader reads first: the excess of equity over the initial margin, or
 * the shortfall. Every numeric column header carries its unit on a second header line, amounts have two
 * decimals and line up on their decimal points, and lines stay within about 115 columns. Amounts are
 * rounded for display only, never in the account's favour: requirements and charges (IM, MM, W, X, ...)
 * up to the cent, equity and the excess over a requirement down to the cent, P&amp;L and values to the
 * nearest cent; an amount within a millionth of a cent of a whole cent is taken as that cent, so
 * anything smaller than half a cent shows as {@code 0.00}, never as {@code 5.821e-11} or {@code -0.00}.
 *
 * <p>Stateless and thread-safe.
 */
final class ReportTable {
    /** How many positions the "largest contributors" table lists. */
    static final int TOP_CONTRIBUTORS = 10;

    private ReportTable() {
    }

    /** The margin report of one account as text. */
    static String render(MarginReport r) {
        return render(r, null);
    }

    /**
     * The margin report of one account as text, with the per-venue section of a cross-venue portfolio after the
     * summary (docs/venues.md); {@code venues} null gives {@link #render(MarginReport)}.
     */
    static String render(MarginReport r, VenueMargins venues) {
        StringBuilder b = new StringBuilder();
        b.append(headline(r)).append('\n');
        b.append(String.format(Locale.ROOT, "Account %s at %s: %s   margin ratio (MM / equity) %s%n", r.account(), r.time(),
            r.status().wireName().toUpperCase(Locale.ROOT), ratio(r)));
        summary(b, r);
        if (venues != null) {
            venues(b, venues);
        }
        buildUp(b, r);
        balances(b, r.balances());
        if (!r.units().isEmpty()) {
            charges(b, r.units());
            greeks(b, r.units());
            for (Map.Entry<String, MarginReport.Unit> e : r.units().entrySet()) {
                matrix(b, e.getKey(), e.getValue());
            }
        }
        contributors(b, r.positions());
        return b.toString();
    }

    /**
     * The first line: the excess of equity over IM, or the shortfall below IM (and below MM when the account
     * is in liquidation), in USD.
     */
    static String headline(MarginReport r) {
        double excess = r.equity() - r.initialMargin();
        if (r.equity() >= r.initialMargin()) {
            return "Excess over initial margin: " + down(excess) + " USD";
        }
        StringBuilder s = new StringBuilder("SHORTFALL below initial margin: ").append(up(-excess)).append(" USD");
        if (r.equity() < r.maintenanceMargin()) {
            s.append(", below maintenance margin: ").append(up(r.maintenanceMargin() - r.equity())).append(" USD");
        }
        return s.toString();
    }

    /** A note line for a joint loss replaced by its certified upper bound (MODEL.md section 5); empty when exact. */
    private static String bounded(String name, String method) {
        return MarginReport.CrossUnit.BOUNDED.equals(method)
            ? String.format(Locale.ROOT, "  %s is bounded: a certified upper bound of the joint loss (too many units "
                + "to solve exactly), never below it%n", name)
            : "";
    }

    private static String ratio(MarginReport r) {
        return r.marginRatio() == null ? "n/a (equity <= 0)"
            : String.format(Locale.ROOT, "%.2f%%", 100 * r.marginRatio());
    }

    private static void summary(StringBuilder b, MarginReport r) {
        double equity = r.equity();
        MarginReport.Requirements std = r.standard();
        b.append('\n');
        b.append(new TextTable("  ")
            .text("")
            .number("portfolio margin", "USD")
            .number("siloed baseline", "USD")
            .row("equity", down(equity), down(equity))
            .row("initial margin IM", up(r.initialMargin()), up(std.initialMargin()))
            .row("maintenance margin MM", up(r.maintenanceMargin()), up(std.maintenanceMargin()))
            .row("excess over IM", down(equity - r.initialMargin()), down(equity - std.initialMargin()))
            .row("excess over MM", down(equity - r.maintenanceMargin()), down(equity - std.maintenanceMargin()))
            .render());
        if (std.maintenanceMargin() > 0) {
            b.append(String.format(Locale.ROOT, "  portfolio MM is %.1f%% of the siloed baseline's MM (no offsets at all)%n",
                100 * r.maintenanceMargin() / std.maintenanceMargin()));
        }
    }

    /** Across venues: each venue's part margined alone, their sum, the unified margin and the saving. */
    private static void venues(StringBuilder b, VenueMargins v) {
        TextTable t = new TextTable("  ").text("venue").number("positions", "").number("equity", "USD")
            .number("IM", "USD").number("MM", "USD").text("status").number("siloed baseline MM", "USD");
        for (VenueMargins.VenueMargin m : v.venues()) {
            t.row(m.venue(), Integer.toString(m.positions()), down(m.equity()), up(m.initialMargin()),
                up(m.maintenanceMargin()), m.status().wireName(), up(m.standard().maintenanceMargin()));
        }
        t.row("sum of venues", "", down(v.siloed().equity()), up(v.siloed().initialMargin()),
            up(v.siloed().maintenanceMargin()), "", "");
        t.row("unified (one account)", "", down(v.unified().equity()), up(v.unified().initialMargin()),
            up(v.unified().maintenanceMargin()), "", "");
        t.row("saving (sum - unified)", "", "", usd(v.saving().initialMargin()), usd(v.saving().maintenanceMargin()), "", "");
        b.append(String.format(Locale.ROOT, "%nAcross venues: each venue's part margined alone vs one unified margin%n"))
            .append(t.render());
        if (v.siloed().maintenanceMargin() > 0) {
            b.append(String.format(Locale.ROOT, "  unified MM is %.1f%% of the venues' summed MM%n",
                100 * v.unified().maintenanceMargin() / v.siloed().maintenanceMargin()));
        }
    }

    /** Across units: the three terms of CU (the largest marked), then MM built up from CU, and IM. */
    private static void buildUp(StringBuilder b, MarginReport r) {
        MarginReport.CrossUnit cu = r.crossUnit();
        double addOns = 0;
        double roll = 0;
        double liquidity = 0;
        for (MarginReport.Unit u : r.units().values()) {
            addOns += u.coreCharge() - u.worstLoss();
            roll += u.rollShock();
            liquidity += u.liquidityAddOn();
        }
        double max = Math.max(cu.jointLoss(), Math.max(cu.stressedJointLoss(), cu.floor()));
        double other = r.maintenanceMargin() - (cu.charge() + roll + liquidity + r.borrowingCharge());
        TextTable t = new TextTable("  ").text("").text("").number("USD", "").text("")
            .row("J(rho)", "joint loss of the units under the correlations rho", up(cu.jointLoss()),
                binds(cu.jointLoss(), max))
            .row("J(Q_stress)", "joint loss under correlations pulled halfway to 1", up(cu.stressedJointLoss()),
                binds(cu.stressedJointLoss(), max))
            .row("floor", "(1 - c_max) x sum of W: the most that offsets can save", up(cu.floor()), binds(cu.floor(), max))
            .row("+ sum (C - W)", "the units' core charges above their worst losses", up(addOns), "")
            .row("= CU", "cross-unit charge", up(cu.charge()), "")
            .row("+ sum RS", "roll (basis) shocks", up(roll), "")
            .row("+ sum LA", "liquidity add-ons", up(liquidity), "")
            .row("+ borrowing", "charge on negative balances (loans)", up(r.borrowingCharge()), "");
        if (Math.abs(other) >= 0.005) {
            t.row("+ other", "other add-ons", up(other), "");
        }
        t.row("= MM", "maintenance margin", up(r.maintenanceMargin()), "")
            .row("IM", "initial margin", up(r.initialMargin()), "");
        b.append(String.format(Locale.ROOT, "%nAcross units: how MM is built%n")).append(t.render());
        b.append(bounded("J(rho)", cu.jointLossMethod())).append(bounded("J(Q_stress)", cu.stressedJointLossMethod()));
        double sumW = 0;
        for (MarginReport.Unit u : r.units().values()) {
            sumW += u.worstLoss();
        }
        if (r.units().size() > 1 && sumW > 0 && largest(cu.floor(), max)) {
            b.append(String.format(Locale.ROOT, "  the floor binds: at most %.0f%% of the units' summed worst losses (%s USD)"
                + " may be offset%n", 100 * (1 - cu.floor() / sumW), up(sumW)));
        }
    }

    /** Whether {@code term} is the largest of CU's three terms (to the cent), marked in the table. */
    private static boolean largest(double term, double max) {
        return max - term < 0.005;
    }

    private static String binds(double term, double max) {
        return largest(term, max) ? "<- largest" : "";
    }

    /**
     * The balances and their haircuts (MODEL.md sections 6 and 10): the rate applied, the term that set it (plus the
     * size term where there is one) and what equity counts. The haircut is rounded up and what counts down.
     */
    private static void balances(StringBuilder b, List<MarginReport.BalanceLine> balances) {
        if (balances.isEmpty()) {
            return;
        }
        TextTable t = new TextTable("  ").text("asset").number("amount", "").number("price", "USD")
            .number("value", "USD").number("haircut", "%").text("set by").number("haircut", "USD")
            .number("counted", "USD");
        for (MarginReport.BalanceLine l : balances) {
            String setBy = l.amount() < 0 ? "loan, in full"
                : l.haircutTerm() + (l.sizeHaircut() > 0 ? " + size" : "");
            t.row(l.asset(), fixed(l.amount(), decimalsNeeded(l.amount(), 6)), fixed(l.price(), decimalsNeeded(l.price(), 6)),
                usd(l.value()), fixed(100 * l.haircut(), 4), setBy, up(l.haircutUsd()), down(l.value() - l.haircutUsd()));
        }
        b.append(String.format(Locale.ROOT, "%nBalances and haircuts (haircut = min(1, max(tier, volatility, depeg) "
            + "+ size))%n")).append(t.render());
    }

    private static void charges(StringBuilder b, Map<String, MarginReport.Unit> units) {
        TextTable t = new TextTable("  ").text("unit")
            .number("W", "USD").number("X", "USD").number("SOM", "USD").number("C", "USD")
            .number("RS", "USD").number("LA", "USD").text("worst cell");
        for (Map.Entry<String, MarginReport.Unit> e : units.entrySet()) {
            MarginReport.Unit u = e.getValue();
            t.row(e.getKey(), up(u.worstLoss()), up(u.extendedLoss()), up(u.shortOptionMinimum()), up(u.coreCharge()),
                up(u.rollShock()), up(u.liquidityAddOn()), String.format(Locale.ROOT, "%+.2f%%, vol %s",
                    100 * u.worstCell().priceMove(), u.worstCell().volState()));
        }
        b.append(String.format(Locale.ROOT, "%nCharges per risk unit%n")).append(t.render());
        b.append("  W worst loss of the matrix, X extended moves, SOM short-option minimum, C = max(W, X, SOM),\n");
        b.append("  RS roll shock, LA liquidity add-on\n");
    }

    private static void greeks(StringBuilder b, Map<String, MarginReport.Unit> units) {
        TextTable t = new TextTable("  ").text("unit")
            .number("delta", "coin").number("gamma", "coin/USD").number("vega", "USD/vol pt").number("theta", "USD/day")
            .number("vanna", "coin/vol pt").number("volga", "USD/vol pt^2");
        for (Map.Entry<String, MarginReport.Unit> e : units.entrySet()) {
            MarginReport.Greeks g = e.getValue().greeks();
            t.row(e.getKey(), fixed(g.delta(), 4), fixed(g.gamma(), 6), usd(g.vega()), usd(g.theta()), fixed(g.vanna(), 4),
                fixed(g.volga(), 4));
        }
        b.append(String.format(Locale.ROOT, "%nGreeks per risk unit (positions and the unit's coin balance)%n"))
            .append(t.render());
    }

    private static void matrix(StringBuilder b, String name, MarginReport.Unit u) {
        TextTable t = new TextTable("  ").number("move", "%");
        for (String v : u.volStates()) {
            t.number("vol " + v + " ", "USD ");
        }
        for (int j = 0; j < u.priceMoves().length; j++) {
            String[] cells = new String[1 + u.volStates().size()];
            cells[0] = String.format(Locale.ROOT, "%+.2f", 100 * u.priceMoves()[j]);
            for (int v = 0; v < u.pnl()[j].length; v++) {
                boolean worst = u.priceMoves()[j] == u.worstCell().priceMove()
                    && u.volStates().get(v).equals(u.worstCell().volState());
                cells[1 + v] = usd(u.pnl()[j][v]) + (worst ? "*" : " ");
            }
            t.row(cells);
        }
        b.append(String.format(Locale.ROOT, "%nUnit %s: P&L by price move and vol state (* the worst cell, W)%n", name))
            .append(t.render());
    }

    private static void contributors(StringBuilder b, List<MarginReport.PositionLine> positions) {
        if (positions.isEmpty()) {
            return;
        }
        List<MarginReport.PositionLine> sorted = new ArrayList<>(positions);
        sorted.sort(Comparator.comparingDouble((MarginReport.PositionLine p) -> -Math.abs(p.marginContribution()))
            .thenComparing(MarginReport.PositionLine::instrument));
        List<MarginReport.PositionLine> top = sorted.subList(0, Math.min(TOP_CONTRIBUTORS, sorted.size()));
        int unitWidth = 0;
        int sizeDecimals = 0;
        for (MarginReport.PositionLine p : top) {
            unitWidth = Math.max(unitWidth, sizeUnit(p.instrument()).length());
            sizeDecimals = Math.max(sizeDecimals, decimalsNeeded(p.size(), 4));
        }
        TextTable t = new TextTable("  ").text("instrument").number("size", "").number("value", "USD")
            .number("delta", "coin").number("vega", "USD/vol pt").number("theta", "USD/day")
            .number("MM contribution", "USD");
        for (MarginReport.PositionLine p : top) {
            String unit = sizeUnit(p.instrument());
            t.row(p.instrument(), fixed(p.size(), sizeDecimals) + " " + unit + " ".repeat(unitWidth - unit.length()),
                usd(p.value()), fixed(p.greeks().delta(), 4), usd(p.greeks().vega()), usd(p.greeks().theta()),
                usd(p.marginContribution()));
        }
        b.append(String.format(Locale.ROOT, "%nLargest contributors to MM (MM with the position minus MM without it)%n"))
            .append(t.render());
        if (sorted.size() > TOP_CONTRIBUTORS) {
            b.append(String.format(Locale.ROOT, "  ... and %d more (see --format json)%n", sorted.size() - TOP_CONTRIBUTORS));
        }
    }

    /**
     * The unit of a position's size (FORMATS.md): USD notional for inverse perpetuals and futures, else units
     * of the underlying.
     */
    static String sizeUnit(String instrument) {
        try {
            Instrument i = InstrumentNames.parse(instrument, "");
            boolean inverseDelta1 = (i instanceof Perpetual || i instanceof Future) && i.settlement() == Settlement.INVERSE;
            return inverseDelta1 ? "USD" : i.underlying();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * A what-if as text: the question, the verdict on one line, then before, after and change in USD.
     *
     * @param orders the orders as given on the command line ({@code INSTRUMENT:SIZE[:PRICE]})
     */
    static String renderWhatIf(WhatIf w, List<String> orders) {
        MarginReport be = w.before();
        MarginReport af = w.after();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "What if account %s adds %s?%n", be.account(), String.join(", ", orders)));
        b.append(verdict(w)).append("\n\n");
        TextTable t = new TextTable("  ").text("").number("before", "USD").number("after", "USD").number("change", "USD");
        whatIfRow(t, "excess over IM", be.equity() - be.initialMargin(), af.equity() - af.initialMargin(), false);
        whatIfRow(t, "equity", be.equity(), af.equity(), false);
        whatIfRow(t, "maintenance margin MM", be.maintenanceMargin(), af.maintenanceMargin(), true);
        whatIfRow(t, "initial margin IM", be.initialMargin(), af.initialMargin(), true);
        whatIfRow(t, "siloed baseline MM", be.standard().maintenanceMargin(), af.standard().maintenanceMargin(), true);
        t.row("status", be.status().wireName(), af.status().wireName(), "");
        b.append(t.render());
        return b.toString();
    }

    /**
     * The what-if's verdict as one line, {@code ACCEPTED: equity covers the initial margin after the order}:
     * the word once, then the reason without its own leading "accepted:" or "rejected:".
     */
    static String verdict(WhatIf w) {
        String reason = w.reason().strip();
        for (String prefix : new String[] {"accepted:", "rejected:"}) {
            if (reason.regionMatches(true, 0, prefix, 0, prefix.length())) {
                reason = reason.substring(prefix.length()).strip();
            }
        }
        return (w.accepted() ? "ACCEPTED" : "REJECTED") + (reason.isEmpty() ? "" : ": " + reason);
    }

    private static void whatIfRow(TextTable t, String label, double before, double after, boolean requirement) {
        t.row(label, requirement ? up(before) : down(before), requirement ? up(after) : down(after),
            signedUsd(after - before));
    }

    /** A USD amount with thousands separators and two decimals, to the nearest cent ({@code 0.00} below half a cent). */
    static String usd(double v) {
        return fixed(v, 2);
    }

    /** A requirement or charge in USD, rounded up to the cent (never in the account's favour). */
    static String up(double v) {
        return fixed(toCent(v, true), 2);
    }

    /** Equity or an excess in USD, rounded down to the cent (never in the account's favour). */
    static String down(double v) {
        return fixed(toCent(v, false), 2);
    }

    /**
     * {@code v} rounded up or down to a whole cent; a value within a millionth of a cent (plus a relative
     * 1e-12 for large amounts) of a whole cent is that cent, so that floating-point noise such as
     * {@code 4000.0000000001} does not turn into {@code 4,000.01}.
     */
    static double toCent(double v, boolean roundUp) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double cents = v * 100;
        double nearest = Math.rint(cents);
        if (Math.abs(cents - nearest) <= 1e-6 + 1e-12 * Math.abs(cents)) {
            return nearest / 100;
        }
        return (roundUp ? Math.ceil(cents) : Math.floor(cents)) / 100;
    }

    /** A change in USD with its sign ({@code +202.06}, {@code -106,177.91}); below half a cent {@code 0.00}. */
    static String signedUsd(double v) {
        String s = usd(v);
        return s.equals("0.00") || s.startsWith("-") ? s : "+" + s;
    }

    /**
     * {@code v} with thousands separators and exactly {@code decimals} decimals, for columns that line up on
     * the decimal point; a value that rounds to zero is shown unsigned ({@code 0.00}, not {@code -0.00}).
     */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        String s = String.format(Locale.ROOT, "%,." + decimals + "f", v);
        if (s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9')) {
            s = s.substring(1);
        }
        return s;
    }

    /**
     * The fewest decimals, at most {@code max}, that show {@code v} as it shows with {@code max} decimals
     * ({@code 10} needs 0, {@code 0.4} needs 1), so that a column of sizes shows no needless zeros.
     */
    static int decimalsNeeded(double v, int max) {
        String full = fixed(v, max);
        int dot = full.indexOf('.');
        if (dot < 0) {
            return 0;
        }
        int end = full.length();
        while (end > dot + 1 && full.charAt(end - 1) == '0') {
            end--;
        }
        return end - dot - 1;
    }
}
