package io.upm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.journal.Journal;
import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.product.Settlement;
import io.upm.testkit.SyntheticVenue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code upm bench engine}: the live engine on the synthetic venue. Every account of {@link SyntheticVenue} is opened
 * with deposits and fills, then a stream of mixed commands (orders, cancels, fills, deposits, and a BTC market tick
 * every {@code --tick-every} commands) runs through the journaled engine (durable, group commit) and through the
 * bare state machine (journal off, each command timed); then recovery (the latest snapshot plus the journal after
 * it) and a full replay of the journal are timed.
 */
@picocli.CommandLine.Command(name = "engine", mixinStandardHelpOptions = true,
    description = "Benchmark the live engine: commands per second with the journal on and off, order-check latency, "
        + "re-margin time after a tick, recovery time, journal bytes per command.")
final class EngineBenchCommand implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000", description = "accounts (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--commands", defaultValue = "1000000", description = "mixed commands timed (default: ${DEFAULT-VALUE})")
    int commands;

    @Option(names = "--tick-every", defaultValue = "50000",
        description = "commands between BTC market ticks in the stream (default: ${DEFAULT-VALUE})")
    int tickEvery;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "N",
        description = "commands per second of engine time in the stream (a busy venue; options re-price once per "
            + "minute of engine time, so this sets how often a re-pricing of every option account comes; default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "7", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the benchmark's journal goes (default: a temporary folder)")
    Path dir;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() throws IOException {
        if (accounts < 1 || accounts > 2_000_000) {
            throw new BadInput("--accounts: must be between 1 and 2000000, got " + accounts);
        }
        if (commands < 1 || commands > 100_000_000) {
            throw new BadInput("--commands: must be between 1 and 100000000, got " + commands);
        }
        if (rate < 1 || rate > 10_000_000) {
            throw new BadInput("--rate: must be between 1 and 10000000, got " + rate);
        }
        if (tickEvery < 1) {
            throw new BadInput("--tick-every: must be at least 1, got " + tickEvery);
        }
        Path journalDir = dir != null ? dir : Files.createTempDirectory("upm-bench-engine");
        if (Files.exists(journalDir.resolve(Journal.DATABASE_FILE))) {
            throw new BadInput("--dir: " + journalDir + " already holds a journal; give an empty folder");
        }
        SyntheticVenue venue = SyntheticVenue.create(seed);
        progress("building " + accounts + " accounts");
        List<String> setup = setup(venue);
        List<String> stream = stream(venue, setup);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accounts", accounts);
        out.put("setupCommands", setup.size());
        out.put("streamCommands", stream.size());

        // 1. journaled, group commit
        progress("journaled run: " + (setup.size() + stream.size()) + " commands");
        long t0 = System.nanoTime();
        try (EngineRunner runner = EngineRunner.open(journalDir, MarginParameters.defaults(),
            EngineRunner.DEFAULT_SNAPSHOT_EVERY, l -> { })) {
            submitAll(runner, setup);
            long t1 = System.nanoTime();
            submitAll(runner, stream);
            long t2 = System.nanoTime();
            out.put("setupSeconds", (t1 - t0) / 1e9);
            out.put("commandsPerSecondJournaled", stream.size() / ((t2 - t1) / 1e9));
            out.put("journalBytesPerCommand", (double) journalBytes(journalDir) / runner.lastSeq());
        }

        // 2. the state machine alone, each command timed
        progress("engine alone: the same commands, each timed");
        MarginEngine engine = new MarginEngine(MarginParameters.defaults());
        List<io.upm.engine.command.Command> parsedSetup = parse(setup);
        List<io.upm.engine.command.Command> parsedStream = parse(stream);
        long seq = 0;
        for (io.upm.engine.command.Command c : parsedSetup) {
            engine.apply(++seq, c, e -> { });
        }
        long[] orderNanos = new long[parsedStream.size()];
        long[] tickNanos = new long[parsedStream.size()];
        int orders = 0;
        int ticks = 0;
        long otherNanos = 0;
        int others = 0;
        long start = System.nanoTime();
        long[] repriceNanos = new long[parsedStream.size()];
        int reprices = 0;
        for (io.upm.engine.command.Command c : parsedStream) {
            java.time.Instant marketTime = engine.market().time();
            long a = System.nanoTime();
            engine.apply(++seq, c, e -> { });
            long dt = System.nanoTime() - a;
            if (!(c instanceof MarketCommand) && !engine.market().time().equals(marketTime)) {
                repriceNanos[reprices++] = dt; // time passed a minute: every option account re-margined
            } else if (c instanceof OrderCommand) {
                orderNanos[orders++] = dt;
            } else if (c instanceof MarketCommand) {
                tickNanos[ticks++] = dt;
            } else {
                otherNanos += dt;
                others++;
            }
        }
        long total = System.nanoTime() - start;
        long[] o = Arrays.copyOf(orderNanos, orders);
        Arrays.sort(o);
        long[] tk = Arrays.copyOf(tickNanos, ticks);
        Arrays.sort(tk);
        long[] rp = Arrays.copyOf(repriceNanos, reprices);
        Arrays.sort(rp);
        out.put("commandsPerSecondEngineOnly", parsedStream.size() / (total / 1e9));
        out.put("commandsPerSecondEngineOnlyWithoutTicks", (parsedStream.size() - ticks - reprices)
            / ((total - sum(tk) - sum(rp)) / 1e9));
        out.put("orderCheckLatencyP50Micros", orders == 0 ? 0.0 : o[orders / 2] / 1e3);
        out.put("orderCheckLatencyP99Micros", orders == 0 ? 0.0 : o[Math.min(orders - 1, (int) Math.ceil(orders * 0.99) - 1)] / 1e3);
        out.put("otherCommandMeanMicros", others == 0 ? 0.0 : otherNanos / 1e3 / others);
        out.put("ticks", ticks);
        out.put("tickRemarginMillis", ticks == 0 ? 0.0 : tk[ticks / 2] / 1e6);
        out.put("tickRemarginMaxMillis", ticks == 0 ? 0.0 : tk[ticks - 1] / 1e6);
        out.put("timeReprices", reprices);
        out.put("timeRepriceMillis", reprices == 0 ? 0.0 : rp[reprices / 2] / 1e6);

        // 3. a crash: BTC -20% in one tick over every account (issue 9): re-margin, margin calls, the first pass
        progress("crash: BTC -20% in one tick");
        java.time.Instant crashTime = engine.clock().plusSeconds(1);
        double btc = engine.market().priceOrNaN("BTC");
        io.upm.engine.command.Command crash = ((ReadResult.Parsed) CommandReader.read(String.format(Locale.ROOT,
            "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":%s}}", crashTime, Math.round(btc * 0.8 * 100) / 100.0))).command();
        long[] plansBefore = engine.liquidationPlanStats();
        Map<String, Integer> crashEvents = new java.util.TreeMap<>();
        long c0 = System.nanoTime();
        engine.apply(++seq, crash, e -> crashEvents.merge(e.type().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        long crashNanos = System.nanoTime() - c0;
        long[] plansAfter = engine.liquidationPlanStats();
        long plans = plansAfter[0] - plansBefore[0];
        out.put("crashMillis", crashNanos / 1e6);
        out.put("crashEvents", crashEvents);
        out.put("crashLiquidationPlans", plans);
        out.put("liquidationPlanMicros", plans == 0 ? 0.0 : (plansAfter[1] - plansBefore[1]) / 1e3 / plans);
        out.put("crashQueuedAfterFirstPass", engine.liquidationQueueSize());

        // 4. recovery and full replay
        progress("recovery from the latest snapshot and the journal after it");
        long r0 = System.nanoTime();
        long recoveredSeq;
        try (EngineRunner runner = EngineRunner.open(journalDir, null, EngineRunner.DEFAULT_SNAPSHOT_EVERY, l -> { })) {
            recoveredSeq = runner.lastSeq();
        }
        out.put("recoveryMillis", (System.nanoTime() - r0) / 1e6);
        out.put("recoveredCommands", recoveredSeq);
        progress("full replay of the journal (no snapshot)");
        long p0 = System.nanoTime();
        long[] count = new long[1];
        EngineRunner.replay(journalDir, l -> count[0]++);
        out.put("fullReplayMillis", (System.nanoTime() - p0) / 1e6);
        out.put("fullReplayCommandsPerSecond", recoveredSeq / ((System.nanoTime() - p0) / 1e9));
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.put("journal", journalDir.toString());

        if (format == OutputFormat.json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            StringBuilder b = new StringBuilder("UPM bench engine\n");
            out.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-42s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d) : v)));
            System.out.print(b);
        }
        return 0;
    }

    private static long sum(long[] xs) {
        long s = 0;
        for (long x : xs) {
            s += x;
        }
        return s;
    }

    private static long journalBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(Journal.DATABASE_FILE))
                .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static List<io.upm.engine.command.Command> parse(List<String> lines) {
        List<io.upm.engine.command.Command> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            if (CommandReader.read(l) instanceof ReadResult.Parsed p) {
                out.add(p.command());
            }
        }
        return out;
    }

    /** Through the two-stage pipeline of {@code upm engine} (journal on this thread, engine on its own). */
    private static void submitAll(EngineRunner runner, List<String> lines) {
        long[] events = new long[1];
        try (EngineRunner.Pipeline pipeline = runner.pipeline(new EngineRunner.EventSink() {
            @Override
            public void event(String line) {
                events[0] += line.length();
            }

            @Override
            public void endOfBatch() {
            }
        })) {
            for (int i = 0; i < lines.size(); i += 4096) {
                pipeline.submit(lines.subList(i, Math.min(lines.size(), i + 4096)));
            }
        }
    }

    private static final long T0 = SyntheticVenue.TIME.getEpochSecond();
    private static final String[] ASSETS = {"BTC", "ETH", "SOL"};

    private static String at(long second) {
        return java.time.Instant.ofEpochSecond(second).toString();
    }

    private static String market(long t, double[] spot, boolean full) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":%s,\"ETH\":%s,\"SOL\":%s%s}", at(t), spot[0], spot[1],
            spot[2], full ? ",\"USDC\":1,\"USDT\":1" : ""));
        if (full) {
            b.append(",\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7},\"SOL\":{\"flat\":0.9}}")
                .append(",\"correlations\":{\"BTC/ETH\":0.8,\"BTC/SOL\":0.7,\"ETH/SOL\":0.75}")
                .append(",\"adv\":{\"BTC\":25000000000,\"ETH\":12000000000,\"SOL\":3000000000}");
        }
        return b.append('}').toString();
    }

    /** The market, then per account its deposits and one fill per position (options at their model value). */
    private List<String> setup(SyntheticVenue venue) {
        double[] spot = {venue.spot("BTC"), venue.spot("ETH"), venue.spot("SOL")};
        List<String> lines = new ArrayList<>();
        lines.add(market(T0, spot, true));
        MarketSnapshot m = MarketSnapshot.builder(SyntheticVenue.TIME).price("BTC", spot[0]).price("ETH", spot[1])
            .price("SOL", spot[2]).flatVol("BTC", 0.55).flatVol("ETH", 0.7).flatVol("SOL", 0.9).build();
        // a venue lists its whole universe before trading starts: an order (then its cancel) per instrument does that
        lines.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"lister\",\"asset\":\"USDC\",\"amount\":1000000}", at(T0)));
        int n = 0;
        for (Instrument ins : venue.universe()) {
            boolean inverseDelta1 = !(ins instanceof EuropeanOption) && ins.settlement() == Settlement.INVERSE;
            lines.add(String.format(Locale.ROOT, "{\"type\":\"order\",\"time\":\"%s\",\"account\":\"lister\",\"id\":\"l%d\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                at(T0), n, ins.name(), inverseDelta1 ? 10 : 0.001, ins instanceof EuropeanOption ? 0.0001 : 1000));
            lines.add(String.format(Locale.ROOT, "{\"type\":\"cancel\",\"time\":\"%s\",\"account\":\"lister\",\"id\":\"l%d\"}", at(T0), n++));
        }
        List<Portfolio> portfolios = venue.accounts(accounts, seed + 1);
        for (Portfolio p : portfolios) {
            double usd = 0;
            for (var e : p.balances().entrySet()) {
                if (e.getValue() > 0) {
                    if (e.getKey().equals("USDC") || e.getKey().equals("USDT")) {
                        usd += e.getValue();
                    } else {
                        lines.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"%s\",\"amount\":%s}",
                            at(T0 + 2), p.account(), e.getKey(), e.getValue()));
                    }
                }
            }
            lines.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":%s}",
                at(T0 + 2), p.account(), Math.max(usd, 100_000.0)));
            for (Position pos : p.positions()) {
                Instrument ins = pos.instrument();
                double price;
                if (ins instanceof EuropeanOption) {
                    ResolvedInstrument r = ResolvedInstrument.resolve(ins, m, "x");
                    double value = r.value(0.0);
                    price = ins.settlement() == Settlement.INVERSE ? value / r.spot() : value;
                    price = Math.max(price, 1e-8);
                } else {
                    price = pos.entryPrice();
                }
                lines.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                    at(T0 + 2), p.account(), ins.name(), pos.size(), price));
            }
        }
        return lines;
    }

    /** Orders, cancels, fills (of resting orders and direct), deposits, and a BTC tick every {@code tickEvery}. */
    private List<String> stream(SyntheticVenue venue, List<String> setup) {
        SplittableRandom rnd = new SplittableRandom(seed + 3);
        double[] spot = {venue.spot("BTC"), venue.spot("ETH"), venue.spot("SOL")};
        List<Instrument> universe = venue.universe().stream()
            .filter(i -> i.expiry() == null || i.expiry().getEpochSecond() > T0 + 86_400).toList();
        List<String[]> resting = new ArrayList<>();
        List<String> out = new ArrayList<>(commands);
        long t = T0 + 3;
        int id = 0;
        while (out.size() < commands) {
            if (out.size() % rate == 0) {
                t++; // --rate commands a second of engine time
            }
            if (out.size() > 0 && out.size() % tickEvery == 0) {
                spot[0] *= 1 + 0.01 * (rnd.nextDouble() - 0.5);
                out.add(market(t, spot, false));
                continue;
            }
            String acct = "acct-" + rnd.nextInt(accounts);
            double x = rnd.nextDouble();
            if (x < 0.40 || resting.isEmpty()) {
                Instrument ins = universe.get(rnd.nextInt(universe.size()));
                int u = Arrays.asList(ASSETS).indexOf(ins.underlying());
                boolean inverseDelta1 = !(ins instanceof EuropeanOption) && ins.settlement() == Settlement.INVERSE;
                double size = (rnd.nextBoolean() ? 1 : -1) * (inverseDelta1 ? 1_000 : Math.max(1e-3, Math.round(1e3 * 2_000 / spot[u]) / 1e3));
                double price = ins instanceof EuropeanOption ? (ins.settlement() == Settlement.INVERSE ? 0.01 : spot[u] * 0.01)
                    : Math.round(spot[u] * 100) / 100.0;
                String oid = "b" + id++;
                out.add(String.format(Locale.ROOT, "{\"type\":\"order\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                    at(t), acct, oid, ins.name(), size, price));
                resting.add(new String[] {acct, oid, ins.name(), String.valueOf(size), String.valueOf(price)});
            } else if (x < 0.65) {
                String[] r = resting.remove(rnd.nextInt(resting.size()));
                out.add(String.format(Locale.ROOT, "{\"type\":\"cancel\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"%s\"}", at(t), r[0], r[1]));
            } else if (x < 0.95) {
                String[] r = resting.remove(rnd.nextInt(resting.size()));
                out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s,\"fee\":1.5,\"order\":\"%s\"}",
                    at(t), r[0], r[2], r[3], r[4], r[1]));
            } else {
                out.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":1000}", at(t), acct));
            }
        }
        return out;
    }

    private void progress(String what) {
        System.err.println("bench engine: " + what + " ...");
    }
}
