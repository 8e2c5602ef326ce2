package io.upm.backtest.simulate;

import io.upm.engine.liquidation.LiquidationStep;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link Simulation} run did, as it happened (every liquidation step and bankruptcy, the fund's path, the
 * extra price move per minute, margin calls, durations) and summed up in {@link #report()}, the JSON report of
 * {@code upm simulate}. Filled by the simulation's thread, read-only afterwards.
 */
public final class SimulationResult {
    /** An applied liquidation step, with the minute of the window and its impact cost (USD). */
    public record StepRecord(int minute, LiquidationStep step, double impactCostUsd) {
    }

    /**
     * A bankruptcy resolution.
     *
     * @param minute         minute of the window
     * @param account        the bankrupt account
     * @param deficitUsd     the bad debt: minus the account's gross value just before (0 when it was not negative)
     * @param fundPaidUsd    how far the fund's USD value fell by the takeover
     * @param adlEvents      auto-deleveraging transfers with a counterparty
     * @param adlNotionalUsd their notional
     * @param adlCashUsd     what the counterparties paid
     * @param uncoveredUsd   what neither covered
     */
    public record BankruptcyRecord(int minute, String account, double deficitUsd, double fundPaidUsd, int adlEvents,
                                   double adlNotionalUsd, double adlCashUsd, double uncoveredUsd) {
    }

    /** What happened to one account (mutable while the run goes on). */
    public static final class AccountOutcome {
        final String id;
        final String kind;
        final double utilisation;
        final double initialEquity;
        double finalEquity;
        int finalPositions;
        int steps;
        /** Liquidation hedges applied to it (hedge first). */
        int hedges;
        int episodes;
        int calls;
        int deleveraged;
        boolean bankrupt;
        int firstActionMinute = -1;
        int episodeStart = -1;
        int episodeFirstAction = -1;
        int unfinishedMinutes = -1;
        Integer callMinute;

        AccountOutcome(String id, String kind, double utilisation, double initialEquity) {
            this.id = id;
            this.kind = kind;
            this.utilisation = utilisation;
            this.initialEquity = initialEquity;
        }

        /** The account id. */
        public String id() {
            return id;
        }

        /** The account's kind. */
        public String kind() {
            return kind;
        }

        /** Equity at the start (after the collateral), USD. */
        public double initialEquity() {
            return initialEquity;
        }

        /** Equity at the end, USD. */
        public double finalEquity() {
            return finalEquity;
        }

        /** Liquidation steps (and whole closes) applied to it. */
        public int steps() {
            return steps;
        }

        /** True when it went through the bankruptcy path. */
        public boolean bankrupt() {
            return bankrupt;
        }

        /** True when liquidation touched it (a step or a bankruptcy). */
        public boolean liquidated() {
            return firstActionMinute >= 0;
        }

        /** Positions left at the end. */
        public int finalPositions() {
            return finalPositions;
        }

        /** Wiped out: bankrupt, or liquidated and left with at most 10% of its starting equity. */
        public boolean wipedOut() {
            return bankrupt || (liquidated() && finalEquity <= 0.10 * initialEquity);
        }
    }

    private final LiquidationPolicy policy;
    private final MarketPaths paths;
    private final SimulatedVenue venue;
    private final SimulationSettings settings;
    private final double grossNotionalUsd;
    private final double fundStartUsd;
    private final Map<String, AccountOutcome> outcomes;
    private final List<StepRecord> steps = new ArrayList<>();
    /** Liquidation hedges applied (hedge first). */
    private int hedges;
    private final List<BankruptcyRecord> bankruptcies = new ArrayList<>();
    private final List<Instant> fundTimes = new ArrayList<>();
    private final List<Double> fundUsd = new ArrayList<>();
    private final Map<String, double[]> displacement = new LinkedHashMap<>();
    private final Map<String, double[]> simulatedPrice = new LinkedHashMap<>();
    private final List<Integer> leads = new ArrayList<>();
    private final List<int[]> durations = new ArrayList<>();
    private int calls;
    private double fundEndUsd;
    private Map<String, Double> fundHoldings = Map.of();
    private final List<AccountState> finalStates = new ArrayList<>();

    SimulationResult(LiquidationPolicy policy, MarketPaths paths, SimulatedVenue venue, SimulationSettings settings,
                     double grossNotionalUsd, double fundStartUsd, Map<String, AccountOutcome> outcomes) {
        this.policy = policy;
        this.paths = paths;
        this.venue = venue;
        this.settings = settings;
        this.grossNotionalUsd = grossNotionalUsd;
        this.fundStartUsd = fundStartUsd;
        this.outcomes = outcomes;
        for (String u : paths.underlyings()) {
            displacement.put(u, new double[paths.minutes() + 1]);
            simulatedPrice.put(u, new double[paths.minutes() + 1]);
        }
    }

    void recordPrices(int minute, Instant now, Map<String, Double> d, MarketPaths p) {
        for (String u : p.underlyings()) {
            double x = d.get(u);
            displacement.get(u)[minute] = x;
            simulatedPrice.get(u)[minute] = p.price(u, minute) * (1.0 + x);
        }
    }

    void recordFund(Instant t, double usd) {
        fundTimes.add(t);
        fundUsd.add(usd);
    }

    void recordStep(int minute, Instant now, LiquidationStep step, double impact) {
        steps.add(new StepRecord(minute, step, impact));
    }

    void recordBankruptcy(int minute, Instant now, String account, double deficit, double fundPaid, int adlEvents,
                          double adlNotional, double adlCash, double uncovered) {
        bankruptcies.add(new BankruptcyRecord(minute, account, deficit, fundPaid, adlEvents, adlNotional, adlCash,
            uncovered));
    }

    /** Counts a liquidation hedge (hedge first). */
    void recordHedge() {
        hedges++;
    }

    void recordCall(int minute) {
        calls++;
    }

    void recordLead(Integer minutes) {
        leads.add(minutes);
    }

    void recordDuration(int minutes, boolean acted) {
        durations.add(new int[] {minutes, acted ? 1 : 0});
    }

    void finish(double fundEnd, Map<String, Double> holdings, Iterable<AccountState> states, RiskArrays arrays) {
        fundEndUsd = fundEnd;
        fundHoldings = holdings;
        for (AccountState s : states) {
            finalStates.add(s.copy());
        }
    }

    // ---- read access ---------------------------------------------------------------------------------------------

    /** The policy. */
    public LiquidationPolicy policy() {
        return policy;
    }

    /** Every liquidation step, in the order applied. */
    public List<StepRecord> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** Every bankruptcy, in order. */
    public List<BankruptcyRecord> bankruptcies() {
        return Collections.unmodifiableList(bankruptcies);
    }

    /** Each account's outcome, by id. */
    public Map<String, AccountOutcome> outcomes() {
        return Collections.unmodifiableMap(outcomes);
    }

    /** The accounts at the end (copies). */
    public List<AccountState> finalStates() {
        return Collections.unmodifiableList(finalStates);
    }

    /** The fund's holdings at the end. */
    public Map<String, Double> fundHoldings() {
        return fundHoldings;
    }

    /** The extra price move of an underlying caused by liquidations, per minute (fraction of the real price). */
    public double[] displacement(String underlying) {
        return displacement.get(underlying).clone();
    }

    /** The simulated price per minute. */
    public double[] simulatedPrice(String underlying) {
        return simulatedPrice.get(underlying).clone();
    }

    /** The fund's USD value, hourly. */
    public List<Double> fundPath() {
        return Collections.unmodifiableList(fundUsd);
    }

    /** The times of {@link #fundPath()}. */
    public List<Instant> fundTimes() {
        return Collections.unmodifiableList(fundTimes);
    }

    /** The paths the run was driven through. */
    public MarketPaths paths() {
        return paths;
    }

    /** Total bad debt, USD. */
    public double badDebtUsd() {
        double s = 0;
        for (BankruptcyRecord b : bankruptcies) {
            s += b.deficitUsd();
        }
        return s;
    }

    /** Liquidated notional per hour of the window and underlying, USD (hours without any left out). */
    public TreeMap<Integer, Map<String, Double>> liquidatedNotionalPerHour() {
        TreeMap<Integer, Map<String, Double>> out = new TreeMap<>();
        for (StepRecord r : steps) {
            out.computeIfAbsent(r.minute() / 60, h -> new TreeMap<>())
                .merge(r.step().underlying(), r.step().notionalUsd(), Double::sum);
        }
        return out;
    }

    /** The largest extra price move (by absolute value) of an underlying, fraction, signed. */
    public double largestExtraMove(String underlying) {
        double best = 0;
        for (double d : displacement.get(underlying)) {
            if (Math.abs(d) > Math.abs(best)) {
                best = d;
            }
        }
        return best;
    }

    /** The liquidation durations (minutes from the first breach seen until back above MM or closed), finished ones. */
    public int[] durations() {
        return durations.stream().mapToInt(d -> d[0]).sorted().toArray();
    }

    // ---- the report ----------------------------------------------------------------------------------------------

    /** The JSON report's tree (ordered maps, lists and numbers), deterministic. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("policy", policy.wireName());
        r.put("hedgeFirst", settings.hedgeFirst() && policy == LiquidationPolicy.UPM);
        r.put("hedgeOptions", settings.hedgeOptions() && settings.hedgeFirst() && policy == LiquidationPolicy.UPM);
        Instant start = paths.start();
        Instant end = start.plusSeconds(60L * paths.minutes());
        r.put("from", LocalDate.ofInstant(start, ZoneOffset.UTC).toString());
        r.put("to", LocalDate.ofInstant(end.minusSeconds(1), ZoneOffset.UTC).toString());
        r.put("seed", settings.seed());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("accounts", outcomes.size());
        TreeMap<String, Integer> kinds = new TreeMap<>();
        outcomes.values().forEach(o -> kinds.merge(o.kind, 1, Integer::sum));
        v.put("kinds", kinds);
        v.put("grossNotionalUsd", grossNotionalUsd);
        v.put("openInterestShareOfAdv", settings.openInterestShare());
        Map<String, Object> und = new LinkedHashMap<>();
        for (String u : paths.underlyings()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("source", paths.sources().get(u));
            x.put("advUsd", paths.adv(u));
            x.put("startPrice", paths.price(u, 0));
            x.put("endPrice", paths.price(u, paths.minutes()));
            double low = Double.POSITIVE_INFINITY;
            double simLow = Double.POSITIVE_INFINITY;
            double[] sp = simulatedPrice.get(u);
            for (int m = 0; m <= paths.minutes(); m++) {
                low = Math.min(low, paths.price(u, m));
                simLow = Math.min(simLow, sp[m]);
            }
            x.put("realLowVsStart", low / paths.price(u, 0) - 1.0);
            x.put("simulatedLowVsStart", simLow / paths.price(u, 0) - 1.0);
            und.put(u, x);
        }
        v.put("underlyings", und);
        v.put("evaluateEveryMinutes", settings.evaluateEveryMinutes());
        r.put("venue", v);

        int partly = 0;
        int wholly = 0;
        int bankrupt = 0;
        int wiped = 0;
        int touched = 0;
        for (AccountOutcome o : outcomes.values()) {
            if (o.liquidated()) {
                touched++;
                if (o.bankrupt || o.finalPositions == 0) {
                    wholly++;
                } else {
                    partly++;
                }
            }
            bankrupt += o.bankrupt ? 1 : 0;
            wiped += o.wipedOut() ? 1 : 0;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("liquidated", touched);
        a.put("liquidatedPartly", partly);
        a.put("liquidatedWholly", wholly);
        a.put("bankrupt", bankrupt);
        a.put("wipedOut", wiped);
        TreeMap<String, int[]> byKind = new TreeMap<>();
        for (AccountOutcome o : outcomes.values()) {
            int[] x = byKind.computeIfAbsent(o.kind, k -> new int[3]);
            x[0] += o.liquidated() ? 1 : 0;
            x[1] += o.bankrupt ? 1 : 0;
            x[2] += o.wipedOut() ? 1 : 0;
        }
        Map<String, Object> kindRows = new LinkedHashMap<>();
        byKind.forEach((k, x) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("liquidated", x[0]);
            row.put("bankrupt", x[1]);
            row.put("wipedOut", x[2]);
            kindRows.put(k, row);
        });
        a.put("byKind", kindRows);
        r.put("accounts", a);

        double notional = 0;
        double impact = 0;
        double fees = 0;
        for (StepRecord s : steps) {
            notional += s.step().notionalUsd();
            impact += s.impactCostUsd();
            fees += s.step().feeUsd();
        }
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("steps", steps.size());
        l.put("notionalUsd", notional);
        l.put("impactCostUsd", impact);
        l.put("feesUsd", fees);
        l.put("hedges", hedges);
        l.put("costToAccountsUsd", impact + fees);
        List<Object> perHour = new ArrayList<>();
        liquidatedNotionalPerHour().forEach((h, m) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("hour", start.plusSeconds(3600L * h).toString());
            double total = 0;
            for (Map.Entry<String, Double> e : m.entrySet()) {
                row.put(e.getKey(), e.getValue());
                total += e.getValue();
            }
            row.put("total", total);
            perHour.add(row);
        });
        l.put("notionalPerHour", perHour);
        r.put("liquidation", l);

        Map<String, Object> moves = new LinkedHashMap<>();
        String worst = null;
        double worstMove = 0;
        for (String u : paths.underlyings()) {
            double d = largestExtraMove(u);
            moves.put(u, d);
            if (worst == null || Math.abs(d) > Math.abs(worstMove)) {
                worst = u;
                worstMove = d;
            }
        }
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("largest", worstMove);
        em.put("underlying", worst);
        em.put("byUnderlying", moves);
        r.put("extraPriceMove", em);

        double deficit = 0;
        double fundPaid = 0;
        double adlCash = 0;
        double adlNotional = 0;
        double uncovered = 0;
        int adlEvents = 0;
        for (BankruptcyRecord b : bankruptcies) {
            deficit += b.deficitUsd();
            fundPaid += b.fundPaidUsd();
            adlCash += b.adlCashUsd();
            adlNotional += b.adlNotionalUsd();
            uncovered += b.uncoveredUsd();
            adlEvents += b.adlEvents();
        }
        Map<String, Object> bd = new LinkedHashMap<>();
        bd.put("badDebtUsd", deficit);
        bd.put("paidByFundUsd", fundPaid);
        bd.put("recoveredByAdlUsd", adlCash);
        bd.put("uncoveredUsd", uncovered);
        r.put("badDebt", bd);

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("startUsd", fundStartUsd);
        f.put("endUsd", fundEndUsd);
        f.put("minUsd", fundUsd.stream().mapToDouble(Double::doubleValue).min().orElse(fundStartUsd));
        f.put("feesInUsd", fees);
        List<Object> path = new ArrayList<>();
        for (int k = 0; k < fundUsd.size(); k++) {
            path.add(List.of(fundTimes.get(k).toString(), fundUsd.get(k)));
        }
        f.put("hourly", path);
        r.put("insuranceFund", f);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("events", adlEvents);
        d.put("notionalUsd", adlNotional);
        d.put("paidUsd", adlCash);
        d.put("accountsDeleveraged", outcomes.values().stream().filter(o -> o.deleveraged > 0).count());
        r.put("autoDeleveraging", d);

        Map<String, Object> c = new LinkedHashMap<>();
        if (policy == LiquidationPolicy.SILOED) {
            c.put("calls", null);
        } else {
            int called = 0;
            List<Integer> lead = new ArrayList<>();
            for (Integer x : leads) {
                if (x != null) {
                    called++;
                    lead.add(x);
                }
            }
            int[] sorted = lead.stream().mapToInt(Integer::intValue).sorted().toArray();
            c.put("calls", calls);
            c.put("liquidationsPreceded", called);
            c.put("liquidationsNotPreceded", leads.size() - called);
            c.put("leadMinutes", stats(sorted));
            c.put("leadAtLeast60Minutes", Arrays.stream(sorted).filter(x -> x >= 60).count());
            c.put("callsWithoutLiquidation", outcomes.values().stream().filter(o -> o.calls > 0 && !o.liquidated()).count());
        }
        r.put("marginCalls", c);

        Map<String, Object> t = new LinkedHashMap<>();
        int[] all = durations();
        int[] acted = durations.stream().filter(x -> x[1] == 1).mapToInt(x -> x[0]).sorted().toArray();
        t.put("episodes", all.length);
        t.put("minutes", stats(all));
        t.put("minutesWhenLiquidated", stats(acted));
        t.put("unfinishedAtEnd", outcomes.values().stream().filter(o -> o.unfinishedMinutes >= 0).count());
        t.put("detectionLagMinutesAtMost", settings.evaluateEveryMinutes() - 1);
        r.put("timeToResolve", t);
        return r;
    }

    static Map<String, Object> stats(int[] sorted) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", sorted.length);
        if (sorted.length == 0) {
            return s;
        }
        double mean = 0;
        for (int x : sorted) {
            mean += x;
        }
        s.put("mean", mean / sorted.length);
        s.put("median", quantile(sorted, 0.5));
        s.put("p90", quantile(sorted, 0.9));
        s.put("p99", quantile(sorted, 0.99));
        s.put("max", sorted[sorted.length - 1]);
        return s;
    }

    /** The empirical quantile: the smallest value with at least q of the sample at or below it. */
    static int quantile(int[] sorted, double q) {
        int k = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }
}
