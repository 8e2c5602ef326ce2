package io.upm.backtest.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes simulation reports: JSON (Jackson) and a side-by-side text table. Stateless. */
public final class SimulationReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SimulationReportWriter() {
    }

    /** One report as JSON, or several ({@code {"comparison": [...]}}), with a final newline. */
    public static String toJson(List<SimulationResult> results) {
        Object tree;
        if (results.size() == 1) {
            tree = results.get(0).report();
        } else {
            List<Object> all = new ArrayList<>();
            results.forEach(r -> all.add(r.report()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("comparison", all);
            tree = m;
        }
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The headline figures of each policy, one column per policy. */
    @SuppressWarnings("unchecked")
    public static String toTable(List<SimulationResult> results) {
        List<String[]> rows = new ArrayList<>();
        List<Map<String, Object>> reps = new ArrayList<>();
        results.forEach(r -> reps.add(r.report()));
        Map<String, Object> first = reps.get(0);
        StringBuilder b = new StringBuilder();
        Map<String, Object> venue = (Map<String, Object>) first.get("venue");
        b.append(String.format(Locale.ROOT, "simulation %s to %s, %s accounts, seed %s, gross notional %,.0f USD%n",
            first.get("from"), first.get("to"), venue.get("accounts"), first.get("seed"), venue.get("grossNotionalUsd")));
        ((Map<String, Object>) venue.get("underlyings")).forEach((u, x) -> {
            Map<String, Object> m = (Map<String, Object>) x;
            b.append(String.format(Locale.ROOT, "  %s from %s, ADV %,.0f USD, real low %.1f%% from the start%n", u,
                m.get("source"), m.get("advUsd"), 100 * (double) m.get("realLowVsStart")));
        });
        rows.add(header(reps));
        rows.add(row(reps, "accounts liquidated", r -> get(r, "accounts", "liquidated")));
        rows.add(row(reps, "  partly", r -> get(r, "accounts", "liquidatedPartly")));
        rows.add(row(reps, "  wholly", r -> get(r, "accounts", "liquidatedWholly")));
        rows.add(row(reps, "bankrupt", r -> get(r, "accounts", "bankrupt")));
        rows.add(row(reps, "wiped out", r -> get(r, "accounts", "wipedOut")));
        rows.add(row(reps, "liquidated notional (USD)", r -> usd(get(r, "liquidation", "notionalUsd"))));
        rows.add(row(reps, "impact cost (USD)", r -> usd(get(r, "liquidation", "impactCostUsd"))));
        rows.add(row(reps, "fees to the fund (USD)", r -> usd(get(r, "liquidation", "feesUsd"))));
        rows.add(row(reps, "cost to accounts (USD)", r -> usd(get(r, "liquidation", "costToAccountsUsd"))));
        rows.add(row(reps, "liquidation hedges", r -> get(r, "liquidation", "hedges")));
        rows.add(row(reps, "largest extra price move", r -> pct(get(r, "extraPriceMove", "largest"))
            + " " + get(r, "extraPriceMove", "underlying")));
        rows.add(row(reps, "bad debt (USD)", r -> usd(get(r, "badDebt", "badDebtUsd"))));
        rows.add(row(reps, "  paid by the fund (USD)", r -> usd(get(r, "badDebt", "paidByFundUsd"))));
        rows.add(row(reps, "  recovered by ADL (USD)", r -> usd(get(r, "badDebt", "recoveredByAdlUsd"))));
        rows.add(row(reps, "insurance fund start (USD)", r -> usd(get(r, "insuranceFund", "startUsd"))));
        rows.add(row(reps, "insurance fund end (USD)", r -> usd(get(r, "insuranceFund", "endUsd"))));
        rows.add(row(reps, "ADL events", r -> get(r, "autoDeleveraging", "events")));
        rows.add(row(reps, "margin calls", r -> get(r, "marginCalls", "calls")));
        rows.add(row(reps, "  median lead (min)", r -> get(r, "marginCalls", "leadMinutes", "median")));
        rows.add(row(reps, "time to resolve, median (min)", r -> get(r, "timeToResolve", "minutesWhenLiquidated", "median")));
        rows.add(row(reps, "time to resolve, p90 (min)", r -> get(r, "timeToResolve", "minutesWhenLiquidated", "p90")));
        rows.add(row(reps, "time to resolve, max (min)", r -> get(r, "timeToResolve", "minutesWhenLiquidated", "max")));
        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
        for (String[] row : rows) {
            b.append(String.format(Locale.ROOT, "%-" + w0 + "s", row[0]));
            for (int k = 1; k < row.length; k++) {
                b.append(String.format(Locale.ROOT, "  %18s", row[k]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String[] header(List<Map<String, Object>> reps) {
        String[] h = new String[reps.size() + 1];
        h[0] = "policy";
        for (int k = 0; k < reps.size(); k++) {
            h[k + 1] = reps.get(k).get("policy") + (Boolean.TRUE.equals(reps.get(k).get("hedgeFirst")) ? "+hedge" : "");
        }
        return h;
    }

    private static String[] row(List<Map<String, Object>> reps, String name,
                                java.util.function.Function<Map<String, Object>, Object> f) {
        String[] r = new String[reps.size() + 1];
        r[0] = name;
        for (int k = 0; k < reps.size(); k++) {
            Object v = f.apply(reps.get(k));
            r[k + 1] = v == null ? "n/a" : String.valueOf(v);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Object get(Map<String, Object> r, String... path) {
        Object x = r;
        for (String p : path) {
            if (!(x instanceof Map)) {
                return null;
            }
            x = ((Map<String, Object>) x).get(p);
        }
        return x;
    }

    private static String usd(Object v) {
        return v == null ? null : String.format(Locale.ROOT, "%,.0f", ((Number) v).doubleValue());
    }

    private static String pct(Object v) {
        return v == null ? null : String.format(Locale.ROOT, "%.2f%%", 100 * ((Number) v).doubleValue());
    }
}
