package io.upm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.formats.ErrorLine;
import io.upm.formats.JsonOutput;
import io.upm.formats.MarginReportWriter;
import io.upm.hedge.HedgeCandidates;
import io.upm.hedge.HedgeGoal;
import io.upm.hedge.HedgeOptimizer;
import io.upm.hedge.HedgePlan;
import io.upm.hedge.HedgeTrade;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upm hedge}: the cheapest trades that bring an account to a goal ({@code healthy}, {@code min-mm},
 * {@code target-ratio:R}), the margin before and after, and the check that {@code upm margin} on the hedged
 * portfolio gives the optimiser's MM (a mismatch is an internal error, never printed as a result).
 */
@Command(name = "hedge", mixinStandardHelpOptions = true,
    description = "The cheapest trades (half-spread plus impact, MODEL.md section 11) that bring an account to a goal,"
        + " the margin before and after, and the check by the ordinary calculator.")
final class HedgeCommand implements Callable<Integer> {
    @Mixin
    AccountFiles files;

    @Option(names = "--goal", defaultValue = "healthy", paramLabel = "healthy|min-mm|target-ratio:R",
        description = "healthy: equity >= IM; min-mm: the least MM; target-ratio:R: MM / equity <= R, 0 < R <= 1"
            + " (default: ${DEFAULT-VALUE})")
    String goal;

    @Option(names = "--instruments", split = ",", paramLabel = "A,B,...",
        description = "the instruments the hedge may trade (default: the perpetuals, futures and listed linear options"
            + " of the account's underlyings)")
    List<String> instruments;

    @Option(names = "--listed", description = "candidates on every underlying the snapshot lists, not only the account's")
    boolean listed;

    @Option(names = "--max-trades", defaultValue = "4", paramLabel = "K",
        description = "the largest number of trades, 1 to 64 (default: ${DEFAULT-VALUE})")
    int maxTrades;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        Path market = files.market;
        Path portfolio = files.portfolio;
        Path params = files.params;
        HedgeGoal g = Inputs.guarded("--goal", () -> HedgeGoal.parse(goal, "goal"));
        if (maxTrades < 1 || maxTrades > HedgeOptimizer.MAX_TRADES_LIMIT) {
            throw new BadInput("--max-trades: must be 1 to " + HedgeOptimizer.MAX_TRADES_LIMIT + ", got " + maxTrades);
        }
        if (instruments != null && listed) {
            throw new BadInput("--instruments and --listed: give one or the other");
        }
        List<Instrument> named = instruments == null ? null
            : Inputs.guarded("--instruments", () -> HedgeCandidates.parse(instruments, "instruments"));
        MarketSnapshot m = Inputs.market(market);
        Portfolio p = Inputs.portfolio(portfolio);
        MarginParameters x = Inputs.params(params);
        List<Instrument> candidates = named != null ? named
            : Inputs.guarded(market.toString(), () -> HedgeCandidates.listed(m, p, quotedStrikes(market), listed,
                x.stablecoins()));
        HedgePlan plan;
        MarginReport before;
        MarginReport after;
        try {
            plan = new HedgeOptimizer().solve(m, x, p, g, candidates, maxTrades);
            before = MarginCalculator.report(m, p, x);
            after = MarginCalculator.report(m, plan.hedgedPortfolio(), x);
        } catch (InputException e) {
            String f = e.field();
            if (f.startsWith("candidates[")) {
                throw new BadInput(ErrorLine.format(named != null ? "--instruments" : market.toString(),
                    new InputException("instruments" + f.substring("candidates".length()), e.problem())));
            }
            String source = f.startsWith("positions") || f.startsWith("balances") ? portfolio.toString()
                : market.toString();
            throw new BadInput(ErrorLine.format(source, e));
        }
        // the check: the ordinary calculator on the hedged portfolio gives the optimiser's MM, bit for bit
        if (Double.doubleToLongBits(after.maintenanceMargin()) != Double.doubleToLongBits(plan.after().maintenanceMargin())
            || Double.doubleToLongBits(after.equity()) != Double.doubleToLongBits(plan.after().equity())) {
            throw new IllegalStateException("hedge check failed: upm margin gives MM " + after.maintenanceMargin()
                + " and equity " + after.equity() + " on the hedged portfolio, the optimiser "
                + plan.after().maintenanceMargin() + " and " + plan.after().equity());
        }
        System.out.print(format == OutputFormat.json ? toJson(plan, before, after) : render(plan, before, after));
        System.out.flush();
        return 0;
    }

    /**
     * The strikes each vol slice of the market file quotes (underlying to expiry code to strikes), read from the file
     * as JSON: the snapshot's listed options. A flat vol lists none.
     */
    static Map<String, Map<String, List<Double>>> quotedStrikes(Path file) {
        Map<String, Map<String, List<Double>>> out = new TreeMap<>();
        JsonNode vols;
        try {
            vols = new ObjectMapper().readTree(file.toFile()).path("vols");
        } catch (IOException e) {
            return out; // unreachable after MarketReader read the same file; no listed options then
        }
        for (Map.Entry<String, JsonNode> ue : vols.properties()) {
            Map<String, List<Double>> slices = new TreeMap<>();
            for (Map.Entry<String, JsonNode> se : ue.getValue().properties()) {
                if (!se.getValue().isObject()) {
                    continue; // "flat"
                }
                List<Double> strikes = new ArrayList<>();
                se.getValue().fieldNames().forEachRemaining(k -> strikes.add(Double.parseDouble(k)));
                slices.put(se.getKey(), strikes);
            }
            out.put(ue.getKey(), slices);
        }
        return out;
    }

    /** FORMATS.md's hedge document, plus {@code totalCost}, {@code check} and {@code hedgedPortfolio}. */
    static String toJson(HedgePlan plan, MarginReport before, MarginReport after) {
        JsonOutput out = JsonOutput.pretty();
        out.startObject()
            .string("goal", plan.goal().wireName())
            .bool("goalReached", plan.goalReached());
        out.startArray("trades");
        for (HedgeTrade t : plan.trades()) {
            out.startObject()
                .string("instrument", t.instrument().name())
                .number("size", t.size())
                .number("price", t.price())
                .number("cost", t.cost())
                .endObject();
        }
        out.endArray();
        out.number("totalCost", plan.totalCost());
        out.fieldName("before");
        MarginReportWriter.write(out, before);
        out.fieldName("after");
        MarginReportWriter.write(out, after);
        out.startObject("check")
            .number("maintenanceMargin", plan.after().maintenanceMargin())
            .numberOrNull("modelMaintenanceMargin",
                Double.isNaN(plan.modelMaintenanceMargin()) ? null : plan.modelMaintenanceMargin())
            .bool("equalsCalculator", true)
            .number("programmes", plan.programmes())
            .number("evaluations", plan.evaluations())
            .endObject();
        out.fieldName("hedgedPortfolio");
        portfolio(out, plan.hedgedPortfolio());
        out.endObject();
        return out.finish();
    }

    /** A portfolio document (FORMATS.md), balances in their order, positions in theirs. */
    private static void portfolio(JsonOutput out, Portfolio p) {
        out.startObject().string("account", p.account());
        out.startObject("balances");
        for (Map.Entry<String, Double> b : p.balances().entrySet()) {
            out.number(b.getKey(), b.getValue());
        }
        out.endObject();
        out.startArray("positions");
        for (Position pos : p.positions()) {
            out.startObject()
                .string("instrument", pos.instrument().name())
                .number("size", pos.size());
            if (!Double.isNaN(pos.entryPrice())) {
                out.number("entryPrice", pos.entryPrice());
            }
            out.endObject();
        }
        out.endArray();
        out.endObject();
    }

    /** The plan as text: the verdict, the trades, before and after, and the check. */
    static String render(HedgePlan plan, MarginReport before, MarginReport after) {
        StringBuilder b = new StringBuilder();
        int n = plan.trades().size();
        String verdict;
        if (plan.goal().kind() != HedgeGoal.Kind.MIN_MM && n == 0 && plan.goalReached()) {
            verdict = "ALREADY MET: no trade needed";
        } else if (n == 0) {
            verdict = plan.goalReached() ? "NO TRADE LOWERS MM among the candidates"
                : "NOT REACHABLE: no trade among the candidates brings the account closer to the goal";
        } else {
            verdict = (plan.goalReached() ? "REACHED" : "NOT REACHED (closest plan shown)") + " with " + n
                + (n == 1 ? " trade" : " trades") + " costing " + ReportTable.up(plan.totalCost()) + " USD";
        }
        b.append(String.format(Locale.ROOT, "Hedge of account %s, goal %s%n", before.account(), plan.goal().wireName()));
        b.append(verdict).append("\n\n");
        if (n > 0) {
            TextTable t = new TextTable("  ").text("trade").number("size", "").text("unit").number("price", "")
                .number("cost", "USD");
            for (HedgeTrade tr : plan.trades()) {
                String name = tr.instrument().name();
                boolean coinPremium = tr.instrument() instanceof io.upm.product.EuropeanOption && !tr.instrument().isLinear();
                t.row(name, ReportTable.fixed(tr.size(), ReportTable.decimalsNeeded(tr.size(), 6)),
                    ReportTable.sizeUnit(name), ReportTable.fixed(tr.price(), coinPremium ? 6 : 2)
                        + (coinPremium ? " " + tr.instrument().underlying() : ""),
                    ReportTable.up(tr.cost()));
            }
            b.append(t.render()).append('\n');
        }
        TextTable t = new TextTable("  ").text("").number("before", "USD").number("after", "USD").number("change", "USD");
        row(t, "excess over IM", before.equity() - before.initialMargin(), after.equity() - after.initialMargin(), false);
        row(t, "equity", before.equity(), after.equity(), false);
        row(t, "maintenance margin MM", before.maintenanceMargin(), after.maintenanceMargin(), true);
        row(t, "initial margin IM", before.initialMargin(), after.initialMargin(), true);
        t.row("margin ratio", ratio(before), ratio(after), "");
        t.row("status", before.status().wireName(), after.status().wireName(), "");
        b.append(t.render());
        b.append(String.format(Locale.ROOT, "%ncheck: upm margin on the hedged portfolio gives MM %s USD, the optimiser's"
            + " MM (equal)%n", ReportTable.up(after.maintenanceMargin())));
        return b.toString();
    }

    private static String ratio(MarginReport r) {
        return r.marginRatio() == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * r.marginRatio());
    }

    private static void row(TextTable t, String label, double before, double after, boolean requirement) {
        t.row(label, requirement ? ReportTable.up(before) : ReportTable.down(before),
            requirement ? ReportTable.up(after) : ReportTable.down(after), ReportTable.signedUsd(after - before));
    }
}
