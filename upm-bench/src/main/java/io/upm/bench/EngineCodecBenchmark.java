package io.upm.bench;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.CommandType;
import io.upm.engine.event.MarginEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.formats.MarketReader;
import io.upm.formats.PortfolioReader;
import io.upm.margin.AccountStatus;
import io.upm.margin.MarginCalculator;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The live engine's codecs on one line each: {@link CommandReader} on a {@code quote}, an {@code order}, a
 * {@code market} command with a small vol surface, and a malformed {@code deposit} (an unknown member, so the
 * rejection path with its exception); {@link EventWriter} on a {@code margin} event, a {@code rejected} event and a
 * {@code report} event embedding a two-unit margin report. Lines vary by a counter so nothing is constant-folded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineCodecBenchmark {
    private static final int N = 1024;
    private final String[] quotes = new String[N];
    private final String[] orders = new String[N];
    private final String[] markets = new String[N];
    private final String[] malformed = new String[N];
    private final MarginEvent[] margins = new MarginEvent[N];
    private RejectedEvent rejected;
    private ReportEvent report;
    private int next;

    /** Pre-built lines and events. */
    @Setup
    public void setUp() {
        for (int i = 0; i < N; i++) {
            String time = "\"time\":\"2026-01-05T12:" + String.format("%02d:%02d.%03dZ\"", i / 60 % 60, i % 60, i);
            quotes[i] = "{\"type\":\"quote\"," + time + ",\"source\":\"binance\",\"asset\":\"BTC\",\"price\":"
                + (90_000 + i * 0.5) + "}";
            orders[i] = "{\"type\":\"order\"," + time + ",\"account\":\"acct-" + i + "\",\"id\":\"o-" + i
                + "\",\"instrument\":\"BTC-27MAR26-100000-C\",\"size\":-1.5,\"price\":" + (0.0125 + i * 1e-6) + "}";
            markets[i] = "{\"type\":\"market\"," + time + ",\"prices\":{\"ETH\":" + (3000 + i)
                + "},\"forwards\":{\"BTC\":{\"27MAR26\":" + (92_100 + i) + "}},\"marks\":{\"BTC-PERPETUAL\":"
                + (90_040 + i) + "},\"vols\":{\"BTC\":{\"27MAR26\":{\"80000\":0.62,\"90000\":0.55,\"100000\":"
                + (0.53 + i * 1e-5) + "}}}}";
            malformed[i] = "{\"type\":\"deposit\"," + time + ",\"account\":\"a-" + i
                + "\",\"asset\":\"USDC\",\"amount\":100,\"ammount\":" + i + "}";
            margins[i] = new MarginEvent(1_000_000 + i, "acct-" + i, 123_456.789 + i, 45_678.9, 30_123.45,
                AccountStatus.HEALTHY);
        }
        rejected = new RejectedEvent(42, CommandType.DEPOSIT, "a-1", null, "unknown field", "ammount");
        MarketSnapshot market = MarketReader.read("{\"time\":\"2025-11-25T08:00:00Z\",\"prices\":{\"BTC\":90000,"
            + "\"ETH\":3000,\"USDC\":1},\"vols\":{\"BTC\":{\"26DEC25\":{\"80000\":0.62,\"90000\":0.55,\"100000\":0.53}},"
            + "\"ETH\":{\"flat\":0.7}},\"correlations\":{\"BTC/ETH\":0.82}}", "market");
        report = new ReportEvent(43, MarginCalculator.report(market, PortfolioReader.read("{\"account\":\"acct-7\","
            + "\"balances\":{\"BTC\":2.5,\"USDC\":150000},\"positions\":[{\"instrument\":\"BTC-PERPETUAL\","
            + "\"size\":-100000,\"entryPrice\":91000},{\"instrument\":\"BTC-26DEC25-100000-C\",\"size\":-3},"
            + "{\"instrument\":\"ETH_USDC-26DEC25-3500-P\",\"size\":20}]}", "portfolio"), MarginParameters.defaults()),
            1234.5);
    }

    /** A {@code quote} line. */
    @Benchmark
    public ReadResult readQuote() {
        return CommandReader.read(quotes[next++ & (N - 1)]);
    }

    /** An {@code order} line (an option: the instrument name parsed). */
    @Benchmark
    public ReadResult readOrder() {
        return CommandReader.read(orders[next++ & (N - 1)]);
    }

    /** A {@code market} line: a price, a forward, a mark and a three-strike slice. */
    @Benchmark
    public ReadResult readMarket() {
        return CommandReader.read(markets[next++ & (N - 1)]);
    }

    /** A malformed {@code deposit} line: the rejection path. */
    @Benchmark
    public ReadResult readMalformed() {
        return CommandReader.read(malformed[next++ & (N - 1)]);
    }

    /** A {@code margin} event. */
    @Benchmark
    public String writeMarginEvent() {
        return EventWriter.toJsonLine(margins[next++ & (N - 1)]);
    }

    /** A {@code rejected} event. */
    @Benchmark
    public String writeRejectedEvent() {
        return EventWriter.toJsonLine(rejected);
    }

    /** A {@code report} event with a two-unit margin report. */
    @Benchmark
    public String writeReportEvent() {
        return EventWriter.toJsonLine(report);
    }
}
