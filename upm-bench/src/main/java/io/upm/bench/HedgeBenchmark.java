package io.upm.bench;

import io.upm.hedge.HedgeGoal;
import io.upm.hedge.HedgeOptimizer;
import io.upm.hedge.HedgePlan;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginResult;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hedge optimiser ({@code upm hedge}) on the synthetic venue: accounts of about 20 positions on 1 to 3
 * underlyings, each made short of margin (equity 60% of its IM), solved to {@code healthy} with at most 4 trades on
 * the venue's shared risk arrays (their build is not timed: the engine keeps them). Two candidate sets: the linear and
 * inverse perpetuals of the account's underlyings, and those plus every linear future and the linear calls and puts
 * of the next two monthly expiries with strikes within the scan range of the index (about 30 options per underlying).
 * Sample mode: JMH reports p50, p99 and the worst solve.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class HedgeBenchmark {
    private static final int ACCOUNTS = 64;
    /** The option expiries of the larger candidate set: the next two monthlies. */
    private static final java.util.Set<java.time.Instant> NEAR_EXPIRIES = java.util.Set.of(
        java.time.Instant.parse("2025-12-26T08:00:00Z"), java.time.Instant.parse("2026-01-30T08:00:00Z"));

    private RiskArrays arrays;
    private Portfolio[] accounts;
    private List<List<Instrument>> perpetuals;
    private List<List<Instrument>> withOptions;
    private final HedgeOptimizer optimizer = new HedgeOptimizer();
    private int next;

    /** Builds the venue, its risk arrays and the short accounts once. */
    @Setup(Level.Trial)
    public void setUp() {
        MarginParameters params = MarginParameters.defaults();
        SyntheticVenue venue = SyntheticVenue.create(7);
        List<Instrument> universe = venue.universe();
        arrays = RiskArrays.build(venue.market(), params, universe, universe.stream().map(Instrument::name).toList());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        accounts = new Portfolio[ACCOUNTS];
        perpetuals = new ArrayList<>();
        withOptions = new ArrayList<>();
        List<Portfolio> raw = venue.accounts(4 * ACCOUNTS, 8);
        int a = 0;
        for (Portfolio p : raw) {
            if (a == ACCOUNTS) {
                break;
            }
            if (p.positions().isEmpty()) {
                continue;
            }
            Portfolio noCash = new Portfolio(p.account(), Map.of("USDC", 0.0), p.positions());
            calc.compute(arrays, ResolvedPortfolio.resolve(noCash, arrays), -1);
            MarginResult r = calc.result(arrays);
            Map<String, Double> balances = new LinkedHashMap<>();
            balances.put("USDC", 0.6 * r.initialMargin() - r.equity());
            Portfolio shortOfMargin = new Portfolio(p.account(), balances, p.positions());
            TreeSet<String> underlyings = new TreeSet<>();
            for (Position x : p.positions()) {
                underlyings.add(x.instrument().underlying());
            }
            List<Instrument> perps = new ArrayList<>();
            List<Instrument> all = new ArrayList<>();
            for (Instrument i : universe) {
                if (!underlyings.contains(i.underlying())) {
                    continue;
                }
                if (i instanceof Perpetual) {
                    perps.add(i);
                }
                if (i instanceof Perpetual || i.isLinear() && !(i instanceof EuropeanOption)) {
                    all.add(i);
                } else if (i instanceof EuropeanOption o && o.isLinear() && NEAR_EXPIRIES.contains(o.expiry())
                    && Math.abs(o.strike() / venue.spot(o.underlying()) - 1) <= params.asset(o.underlying()).scanRange()) {
                    all.add(i);
                }
            }
            accounts[a] = shortOfMargin;
            perpetuals.add(perps);
            withOptions.add(all);
            a++;
        }
        if (a < ACCOUNTS) {
            throw new IllegalStateException("the venue gave only " + a + " accounts with positions");
        }
    }

    /** Options listed per account in the larger candidate set (for the record of the workload). */
    public int optionCandidates(int account) {
        return (int) withOptions.get(account).stream().filter(i -> i instanceof EuropeanOption).count();
    }

    /**
     * A quick report without JMH: every account solved {@code rounds} times per candidate set (after as many warm-up
     * rounds), the solve times' p50/p99/worst in microseconds, and the mean programmes and margin evaluations per
     * solve. Arguments: rounds (default 20).
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        HedgeBenchmark b = new HedgeBenchmark();
        b.setUp();
        if (args.length > 1 && args[1].equals("plans")) {
            // one line per account and candidate set: reached, cost, MM and equity after (to compare versions)
            for (int set = 0; set < 2; set++) {
                for (int k = 0; k < ACCOUNTS; k++) {
                    HedgePlan plan = b.optimizer.solve(b.arrays, b.accounts[k], HedgeGoal.HEALTHY,
                        (set == 0 ? b.perpetuals : b.withOptions).get(k), 4);
                    System.out.printf("%d %2d %-5s %.6f %.6f %.6f %d%n", set, k, plan.goalReached(), plan.totalCost(),
                        plan.after().maintenanceMargin(), plan.after().equity(), plan.trades().size());
                }
            }
            return;
        }
        for (int set = 0; set < 2; set++) {
            List<List<Instrument>> candidates = set == 0 ? b.perpetuals : b.withOptions;
            long[] times = new long[rounds * ACCOUNTS];
            List<Long> reachedTimes = new ArrayList<>();
            List<Long> shortTimes = new ArrayList<>();
            long programmes = 0;
            long evaluations = 0;
            int reached = 0;
            double cost = 0;
            for (int r = 0; r < 2 * rounds; r++) {
                for (int k = 0; k < ACCOUNTS; k++) {
                    long t0 = System.nanoTime();
                    HedgePlan plan = b.optimizer.solve(b.arrays, b.accounts[k], HedgeGoal.HEALTHY, candidates.get(k), 4);
                    long t = System.nanoTime() - t0;
                    if (r >= rounds) {
                        times[(r - rounds) * ACCOUNTS + k] = t;
                        programmes += plan.programmes();
                        evaluations += plan.evaluations();
                        reached += plan.goalReached() ? 1 : 0;
                        (plan.goalReached() ? reachedTimes : shortTimes).add(t);
                        cost += plan.totalCost();
                    }
                }
            }
            java.util.Arrays.sort(times);
            int n = times.length;
            System.out.printf("%-22s p50 %8.1f us  p99 %8.1f us  worst %8.1f us  programmes %.2f  evaluations %.1f"
                    + "  reached %d/%d  mean cost %.2f%n", set == 0 ? "perpetualsOnly" : "withFuturesAndOptions",
                times[n / 2] / 1e3, times[(int) (0.99 * n)] / 1e3, times[n - 1] / 1e3, (double) programmes / n,
                (double) evaluations / n, reached / rounds, ACCOUNTS, cost / n);
            for (List<Long> part : List.of(reachedTimes, shortTimes)) {
                if (!part.isEmpty()) {
                    long[] ts = part.stream().mapToLong(Long::longValue).sorted().toArray();
                    System.out.printf("  %-20s %5d solves: p50 %8.1f us  p99 %8.1f us%n", part == reachedTimes
                        ? "goal reached" : "goal out of reach", ts.length, ts[ts.length / 2] / 1e3,
                        ts[(int) (0.99 * ts.length)] / 1e3);
                }
            }
        }
    }

    /** One account to {@code healthy} with its perpetuals only. */
    @Benchmark
    public HedgePlan perpetualsOnly() {
        int k = next;
        next = (next + 1) & (ACCOUNTS - 1);
        return optimizer.solve(arrays, accounts[k], HedgeGoal.HEALTHY, perpetuals.get(k), 4);
    }

    /** One account to {@code healthy} with its perpetuals, linear futures and listed linear options. */
    @Benchmark
    public HedgePlan withFuturesAndOptions() {
        int k = next;
        next = (next + 1) & (ACCOUNTS - 1);
        return optimizer.solve(arrays, accounts[k], HedgeGoal.HEALTHY, withOptions.get(k), 4);
    }
}
