package io.upm.bench;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.CancelCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.FillCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.command.QuoteCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.event.Event;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.SyntheticVenue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * The live engine's hot commands, parsed beforehand, on an engine holding 2,000 accounts of the synthetic venue whose
 * BTC price comes from three quote sources:
 * <ul>
 *   <li>{@code quoteKeepingTheIndex}: a quote that changes no account's status (issue 8: at most 2 us): the two outer
 *       sources move around a median source that does not, so the index, and so every account, stays where it is;</li>
 *   <li>{@code orderCheckAndCancel}: the pre-trade check of an order (the worse of the two books), and its cancel;</li>
 *   <li>{@code fillAndRemargin}: a fill and the re-margin of its account (only the touched unit re-summed).</li>
 * </ul>
 * Engine time moves 1 ms per command, so the minute's re-pricing comes once per 60,000 commands (not measured here:
 * it is {@code upm bench engine}'s {@code timeRepriceMillis}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineCommandBenchmark {
    private static final int ACCOUNTS = 2_000;
    private static final long T0 = SyntheticVenue.TIME.toEpochMilli();
    private MarginEngine engine;
    private long now;
    private long seq;
    private int next;
    private final Instrument[] instruments = {InstrumentNames.parse("BTC_USDC-PERPETUAL", "x"),
        InstrumentNames.parse("ETH_USDC-PERPETUAL", "x"), InstrumentNames.parse("BTC-PERPETUAL", "x")};
    private final String[] accountIds = new String[ACCOUNTS];
    private final String[] orderIds = new String[1024];
    private static final String[] SOURCES = {"a", "b", "c"};
    private double median;
    private final Consumer<Event> sink = e -> { };

    private static Command parse(String line) {
        ReadResult r = CommandReader.read(line);
        if (!(r instanceof ReadResult.Parsed p)) {
            throw new IllegalStateException(line + ": " + r);
        }
        return p.command();
    }

    private String at(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private void apply(String line) {
        engine.apply(++seq, parse(line), sink);
    }

    /** The venue: a market, three BTC sources, 2,000 accounts opened with deposits and fills. */
    @Setup(Level.Trial)
    public void setUp() {
        SyntheticVenue venue = SyntheticVenue.create(7);
        engine = new MarginEngine(MarginParameters.defaults());
        now = T0;
        apply(String.format(Locale.ROOT, "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":%s,\"ETH\":%s,"
            + "\"SOL\":%s,\"USDC\":1,\"USDT\":1},\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7},"
            + "\"SOL\":{\"flat\":0.9}},\"correlations\":{\"BTC/ETH\":0.8,\"BTC/SOL\":0.7,\"ETH/SOL\":0.75},"
            + "\"adv\":{\"BTC\":25000000000,\"ETH\":12000000000,\"SOL\":3000000000}}", at(now), venue.spot("BTC"),
            venue.spot("ETH"), venue.spot("SOL")));
        median = venue.spot("BTC");
        for (String s : SOURCES) {
            apply(quote(s, median));
        }
        for (int i = 0; i < orderIds.length; i++) {
            orderIds[i] = "x" + i;
        }
        List<Portfolio> accounts = venue.accounts(ACCOUNTS, 8);
        for (int i = 0; i < ACCOUNTS; i++) {
            accountIds[i] = accounts.get(i).account();
        }
        for (Portfolio p : accounts) {
            apply(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\","
                + "\"amount\":1000000}", at(now), p.account()));
            for (Position pos : p.positions()) {
                if (pos.instrument().expiry() == null || pos.instrument().expiry().toEpochMilli() > T0 + 86_400_000L) {
                    double price = Double.isNaN(pos.entryPrice()) ? 0.0 : pos.entryPrice();
                    if (price > 0) {
                        apply(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\","
                            + "\"instrument\":\"%s\",\"size\":%s,\"price\":%s}", at(now), p.account(),
                            pos.instrument().name(), pos.size(), price));
                    }
                }
            }
        }
    }

    private String quote(String source, double price) {
        return String.format(Locale.ROOT, "{\"type\":\"quote\",\"time\":\"%s\",\"source\":\"%s\",\"asset\":\"BTC\","
            + "\"price\":%s}", at(now), source, price);
    }

    /**
     * A quote that leaves the index where it is: the outer sources move around the median source, which quotes its
     * unchanged price in turn (so that it stays fresh as engine time passes).
     */
    @Benchmark
    public MarginEngine quoteKeepingTheIndex() {
        now++;
        int n = next++;
        int which = n % 3;
        double q = which == 0 ? median * (0.999 - 1e-7 * (n & 255)) : which == 1 ? median : median * (1.001 + 1e-7 * (n & 255));
        engine.apply(++seq, new QuoteCommand(Instant.ofEpochMilli(now), SOURCES[which], "BTC", q), sink);
        return engine;
    }

    /**
     * An order's pre-trade check, then its cancel (the order must not stay: accounts would fill up with resting
     * orders); the measure is both, so the check alone is this minus a cancel (a map removal and an event).
     */
    @Benchmark
    public MarginEngine orderCheckAndCancel() {
        now++;
        int n = next++;
        String account = accountIds[n % ACCOUNTS];
        String id = orderIds[n & 1023];
        Instant t = Instant.ofEpochMilli(now);
        engine.apply(++seq, new OrderCommand(t, account, id, instruments[n % 3], (n & 1) == 0 ? 0.1 : -0.1,
            n % 3 == 1 ? 3000 : 90000), sink);
        engine.apply(++seq, new CancelCommand(t, account, id), sink);
        return engine;
    }

    /** A fill (alternately opening and closing a small perpetual position) and its account's re-margin. */
    @Benchmark
    public MarginEngine fillAndRemargin() {
        now++;
        int n = next++;
        engine.apply(++seq, new FillCommand(Instant.ofEpochMilli(now), accountIds[(n >> 1) % ACCOUNTS], instruments[0],
            (n & 1) == 0 ? 0.01 : -0.01, 90000, OptionalDouble.empty(), Optional.empty()), sink);
        return engine;
    }

    /** For a run outside JMH: a few figures of the set-up and of the quote path's engine time. */
    public static void main(String[] args) {
        EngineCommandBenchmark b = new EngineCommandBenchmark();
        b.setUp();
        long t0 = System.nanoTime();
        for (int i = 0; i < 3_000_000; i++) {
            b.quoteKeepingTheIndex();
        }
        long dt = System.nanoTime() - t0;
        System.out.println("accounts " + b.engine.accountCount() + ", clock " + b.engine.clock() + ", market time "
            + b.engine.market().time() + ", quote mean ns " + dt / 3_000_000);
    }
}
