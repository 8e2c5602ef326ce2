package io.upm.bench;

import io.upm.engine.index.PriceIndex;
import java.time.Instant;
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
 * One {@code quote} command into the multi-source index (MODEL.md section 9), as the live engine applies it:
 * 8 assets of 5 sources each, the engine clock moving 1 ms per quote. {@link #quoteThatChangesNothing} re-quotes
 * a source that is not the median (prices alternate within its side of the median), so the index does not move;
 * {@link #quoteThatMovesTheIndex} re-quotes the median source with a new price, so the index moves every time and
 * its TWAP buffer records a point (after 4,096 points it merges its oldest segments on every quote). Both
 * include the clock move, the asset and source lookups, the median and outlier pass and the change report.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PriceIndexBenchmark {
    private static final String[] ASSETS = {"BTC", "ETH", "SOL", "USDT", "USDC", "DAI", "XRP", "DOGE"};
    private static final String[] SOURCES = {"binance", "coinbase", "kraken", "okx", "bybit"};
    // BTC: binance 100.0, coinbase 100.1, kraken 100.2 (the median), okx 100.3, bybit 100.4
    private static final int[] NOT_MEDIAN = {0, 1, 3, 4};

    private PriceIndex index;
    private long time;
    private int next;

    /** 8 assets with 5 fresh sources each. */
    @Setup
    public void setUp() {
        index = new PriceIndex();
        time = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int a = 0; a < ASSETS.length; a++) {
            for (int s = 0; s < SOURCES.length; s++) {
                index.quote(time, SOURCES[s], ASSETS[a], (a + 1) * (100.0 + 0.1 * s));
            }
        }
    }

    /** A quote that changes nothing: a source off the median moves within its side. */
    @Benchmark
    public int quoteThatChangesNothing() {
        int k = next++;
        int s = NOT_MEDIAN[k & 3];
        double p = 100.0 + 0.1 * s + ((k & 4) == 0 ? 0.0 : (s < 2 ? -0.05 : 0.05));
        return index.quote(++time, SOURCES[s], "BTC", p);
    }

    /** A quote that moves the index: the median source alternates between two prices. */
    @Benchmark
    public int quoteThatMovesTheIndex() {
        int k = next++;
        return index.quote(++time, SOURCES[2], "BTC", (k & 1) == 0 ? 100.25 : 100.2);
    }
}
