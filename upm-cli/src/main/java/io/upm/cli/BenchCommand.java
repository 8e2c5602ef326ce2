package io.upm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.params.MarginParameters;
import io.upm.testkit.ManyCoinVenue;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm bench}: a synthetic venue (about 2,000 options and futures on BTC, ETH and SOL, and N
 * accounts of about 20 positions) timed end to end: the risk-array build, per-account latency from cached
 * arrays, the throughput of recomputing every account after a BTC price move (arrays rebuilt included),
 * and the same recompute by naive full repricing, with a check that both agree.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {EngineBenchCommand.class},
    description = "Benchmark on a synthetic venue: risk-array build, per-account latency, accounts per second after a"
        + " BTC move, and the speed-up over naive full repricing.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000", description = "number of accounts (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the synthetic venue (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "0",
        description = "threads for the recompute (0 = available processors)")
    int threads;

    @Option(names = "--naive-sample", defaultValue = "1000",
        description = "accounts recomputed by naive full repricing (default: ${DEFAULT-VALUE})")
    int naiveSample;

    @Option(names = "--mixed-accounts", defaultValue = "20000",
        description = "accounts of the mixed many-coin venue (0 = skip it; default: ${DEFAULT-VALUE})")
    int mixedAccounts;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || accounts > 10_000_000) {
            throw new BadInput("--accounts: must be between 1 and 10000000, got " + accounts);
        }
        if (naiveSample < 1) {
            throw new BadInput("--naive-sample: must be at least 1, got " + naiveSample);
        }
        if (mixedAccounts < 0 || mixedAccounts > 1_000_000) {
            throw new BadInput("--mixed-accounts: must be between 0 and 1000000, got " + mixedAccounts);
        }
        if (threads < 0 || threads > 256) {
            throw new BadInput("--threads: must be between 0 and 256, got " + threads);
        }
        int nThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        Map<String, Object> out = run(nThreads);
        if (format == OutputFormat.json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(mapper.writeValueAsString(out));
        } else {
            StringBuilder b = new StringBuilder("UPM bench\n");
            table(b, out, "  ");
            System.out.print(b);
        }
        return 0;
    }

    private Map<String, Object> run(int nThreads) throws Exception {
        MarginParameters params = MarginParameters.defaults();
        SyntheticVenue venue = SyntheticVenue.create(seed);
        MarketSnapshot market = venue.market();
        List<Instrument> universe = venue.universe();
        List<String> fields = universe.stream().map(Instrument::name).toList();
        progress("building risk arrays for " + universe.size() + " instruments");
        RiskArrays arrays = null;
        for (int w = 0; w < 5; w++) {
            arrays = RiskArrays.build(market, params, universe, fields);
        }
        double[] builds = new double[7];
        for (int r = 0; r < builds.length; r++) {
            long t0 = System.nanoTime();
            arrays = RiskArrays.build(market, params, universe, fields);
            builds[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(builds);

        progress("generating " + accounts + " accounts");
        List<Portfolio> portfolios = venue.accounts(accounts, seed + 1);
        List<ResolvedPortfolio> resolved = new ArrayList<>(portfolios.size());
        long positions = 0;
        for (Portfolio p : portfolios) {
            resolved.add(ResolvedPortfolio.resolve(p, arrays));
            positions += p.positions().size();
        }

        progress("measuring per-account latency");
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double sink = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (ResolvedPortfolio p : resolved) {
                sink += calc.compute(arrays, p, -1);
            }
        }
        long[] latency = new long[resolved.size()];
        for (int k = 0; k < resolved.size(); k++) {
            long t0 = System.nanoTime();
            sink += calc.compute(arrays, resolved.get(k), -1);
            latency[k] = System.nanoTime() - t0;
        }
        Arrays.sort(latency);

        progress("recomputing every account after BTC price moves on " + nThreads + " thread(s)");
        ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        AccountMarginCalculator[] calculators = new AccountMarginCalculator[nThreads];
        for (int t = 0; t < nThreads; t++) {
            calculators[t] = new AccountMarginCalculator();
        }
        double[] mm = new double[resolved.size()];
        double[] rates = new double[5];
        MarketSnapshot moved = market;
        RiskArrays current = arrays;
        for (int r = 0; r < rates.length + 1; r++) {
            moved = market.withPriceMove("BTC", r % 2 == 0 ? -0.05 : 0.03);
            long t0 = System.nanoTime();
            current = arrays.withMarket(moved);
            recomputeAll(pool, calculators, current, resolved, mm);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                rates[r - 1] = resolved.size() / seconds; // the first round is a warm-up
            }
        }
        Arrays.sort(rates);
        double accountsPerSecond = rates[rates.length / 2];

        int sample = Math.min(naiveSample, resolved.size());
        progress("naive full repricing of " + sample + " accounts");
        MarketSnapshot naiveMarket = moved;
        double[] naiveMm = new double[sample];
        NaiveMarginCalculator warmUp = new NaiveMarginCalculator();
        for (int k = 0; k < Math.min(50, sample); k++) {
            warmUp.compute(naiveMarket, portfolios.get(k), params);
        }
        long t0 = System.nanoTime();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            int from = (int) ((long) sample * t / nThreads);
            int to = (int) ((long) sample * (t + 1) / nThreads);
            jobs.add(pool.submit(() -> {
                NaiveMarginCalculator naive = new NaiveMarginCalculator(); // one per thread, like the fast calculator
                for (int k = from; k < to; k++) {
                    naiveMm[k] = naive.compute(naiveMarket, portfolios.get(k), params).maintenanceMargin();
                }
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        double naiveSeconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        double naiveRate = sample / naiveSeconds;
        double maxRel = 0;
        for (int k = 0; k < sample; k++) {
            double scale = Math.max(Math.abs(naiveMm[k]), 1.0);
            maxRel = Math.max(maxRel, Math.abs(mm[k] - naiveMm[k]) / scale);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instruments", universe.size());
        out.put("accounts", resolved.size());
        out.put("averagePositionsPerAccount", (double) positions / resolved.size());
        out.put("riskArrayBuildMillis", builds[builds.length / 2]);
        out.put("marginLatencyP50Micros", latency[latency.length / 2] / 1e3);
        out.put("marginLatencyP99Micros", latency[(int) Math.min(latency.length - 1, Math.ceil(latency.length * 0.99) - 1)] / 1e3);
        out.put("marginLatencyP999Micros", latency[(int) Math.min(latency.length - 1, Math.ceil(latency.length * 0.999) - 1)] / 1e3);
        out.put("marginLatencyMaxMicros", latency[latency.length - 1] / 1e3);
        out.put("accountsPerSecond", accountsPerSecond);
        out.put("naiveAccountsPerSecond", naiveRate);
        out.put("speedupVsNaive", accountsPerSecond / naiveRate);
        out.put("naiveSampleAccounts", sample);
        out.put("maxRelativeDifferenceVsNaive", maxRel);
        out.put("threads", nThreads);
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.put("checksum", sink == 0 ? 0.0 : 1.0);
        if (mixedAccounts > 0) {
            out.put("mixedVenue", mixed(nThreads));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void table(StringBuilder b, Map<String, Object> m, String indent) {
        m.forEach((k, v) -> {
            if (v instanceof Map<?, ?> sub) {
                b.append(indent).append(k).append('\n');
                table(b, (Map<String, Object>) sub, indent + "  ");
            } else {
                b.append(String.format(Locale.ROOT, "%s%-34s %s%n", indent, k,
                    v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d) : v));
            }
        });
    }

    /** Recomputes every account, one calculator per thread (each owns its geometry cache, as a writer thread would). */
    private static void recomputeAll(ExecutorService pool, AccountMarginCalculator[] calculators, RiskArrays arrays,
                                     List<ResolvedPortfolio> accounts, double[] mm) throws Exception {
        int nThreads = calculators.length;
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            int from = (int) ((long) accounts.size() * t / nThreads);
            int to = (int) ((long) accounts.size() * (t + 1) / nThreads);
            AccountMarginCalculator c = calculators[t];
            jobs.add(pool.submit(() -> {
                for (int k = from; k < to; k++) {
                    mm[k] = c.compute(arrays, accounts.get(k), -1);
                }
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
    }

    /**
     * The mixed venue: {@link ManyCoinVenue} (50 coins) with most accounts on 1 to 3 coins, some on 4 to 20 and a
     * few on 30 to 50; per-account latency by unit count (single thread, cached arrays), the share of exact MM, and
     * the speed-up over naive full repricing on a sample.
     */
    private Map<String, Object> mixed(int nThreads) throws Exception {
        MarginParameters params = MarginParameters.defaults();
        ManyCoinVenue venue = ManyCoinVenue.create(50, seed);
        List<Instrument> universe = venue.universe();
        RiskArrays arrays = RiskArrays.build(venue.market(), params, universe, universe.stream().map(Instrument::name).toList());
        progress("mixed venue: generating " + mixedAccounts + " accounts on " + venue.coins() + " coins");
        List<Portfolio> portfolios = venue.accounts(mixedAccounts, seed + 2);
        List<ResolvedPortfolio> resolved = new ArrayList<>(portfolios.size());
        for (Portfolio p : portfolios) {
            resolved.add(ResolvedPortfolio.resolve(p, arrays));
        }
        progress("mixed venue: per-account latency by unit count");
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double sink = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (ResolvedPortfolio p : resolved) {
                sink += calc.compute(arrays, p, -1);
            }
        }
        int[][] buckets = {{1, 1}, {2, 2}, {3, 3}, {4, 5}, {6, 10}, {11, 20}, {21, 50}};
        List<List<Long>> times = new ArrayList<>();
        for (int b = 0; b < buckets.length; b++) {
            times.add(new ArrayList<>());
        }
        List<Long> upTo20 = new ArrayList<>();
        int exact = 0;
        double[] mm = new double[resolved.size()];
        for (int k = 0; k < resolved.size(); k++) {
            long t0 = System.nanoTime();
            mm[k] = calc.compute(arrays, resolved.get(k), -1);
            long dt = System.nanoTime() - t0;
            exact += calc.exact() ? 1 : 0;
            int n = calc.unitCount();
            for (int b = 0; b < buckets.length; b++) {
                if (n >= buckets[b][0] && n <= buckets[b][1]) {
                    times.get(b).add(dt);
                }
            }
            if (n <= 20) {
                upTo20.add(dt);
            }
        }
        Map<String, Object> byUnits = new LinkedHashMap<>();
        for (int b = 0; b < buckets.length; b++) {
            List<Long> t = times.get(b);
            if (t.isEmpty()) {
                continue;
            }
            t.sort(null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("accounts", t.size());
            row.put("p50Micros", t.get(t.size() / 2) / 1e3);
            row.put("p99Micros", t.get(percentileIndex(t.size(), 0.99)) / 1e3);
            row.put("maxMicros", t.get(t.size() - 1) / 1e3);
            byUnits.put(buckets[b][0] == buckets[b][1] ? String.valueOf(buckets[b][0])
                : buckets[b][0] + "-" + buckets[b][1], row);
        }
        upTo20.sort(null);
        int sample = Math.min(naiveSample, resolved.size());
        progress("mixed venue: naive full repricing of " + sample + " accounts");
        NaiveMarginCalculator naive = new NaiveMarginCalculator();
        for (int k = 0; k < Math.min(50, sample); k++) {
            naive.compute(venue.market(), portfolios.get(k), params);
        }
        double maxRel = 0;
        long naiveNanos = 0;
        long fastNanos = 0;
        for (int k = 0; k < sample; k++) {
            long t0 = System.nanoTime();
            double n = naive.compute(venue.market(), portfolios.get(k), params).maintenanceMargin();
            long t1 = System.nanoTime();
            double f = calc.compute(arrays, resolved.get(k), -1);
            long t2 = System.nanoTime();
            naiveNanos += t1 - t0;
            fastNanos += t2 - t1;
            maxRel = Math.max(maxRel, Math.abs(f - n) / Math.max(Math.abs(n), 1.0));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("coins", venue.coins());
        out.put("instruments", universe.size());
        out.put("accounts", resolved.size());
        out.put("latencyByUnitCount", byUnits);
        out.put("marginLatencyP99UpTo20UnitsMicros", upTo20.get(percentileIndex(upTo20.size(), 0.99)) / 1e3);
        out.put("exactMarginShare", (double) exact / resolved.size());
        out.put("naiveSampleAccounts", sample);
        out.put("speedupVsNaive", (double) naiveNanos / Math.max(fastNanos, 1));
        out.put("maxRelativeDifferenceVsNaive", maxRel);
        out.put("checksum", sink == 0 ? 0.0 : 1.0);
        return out;
    }

    private static int percentileIndex(int size, double q) {
        return (int) Math.min(size - 1, Math.max(0, Math.ceil(size * q) - 1));
    }

    private void progress(String what) {
        if (System.console() != null || format == OutputFormat.table) {
            System.err.println("bench: " + what + " ...");
        }
    }
}
