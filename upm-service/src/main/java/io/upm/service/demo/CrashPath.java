package io.upm.service.demo;

import io.upm.backtest.feed.BarInterval;
import io.upm.backtest.feed.FeedQuote;
import io.upm.backtest.feed.FeedRequest;
import io.upm.backtest.feed.QuoteFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The price path the demo replays: BTC and ETH every four hours through the March 2020 crash (Binance 4h closes, 8 to
 * 20 March 2020: BTC fell from about 8,000 to under 5,000 USDT in two days) when the market-data folder is there, else
 * a seeded synthetic path of the same shape (a calm start, a 45% fall over a day and a half, a partial rebound).
 * Immutable.
 *
 * @param source where the path comes from, in words
 * @param steps  the steps, in time order
 */
public record CrashPath(String source, List<Step> steps) {
    /** The first day of the real replay. */
    public static final LocalDate REAL_FROM = LocalDate.of(2020, 3, 8);
    /** The last day of the real replay. */
    public static final LocalDate REAL_TO = LocalDate.of(2020, 3, 20);

    /** Copies the steps. */
    public CrashPath {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps: at least one");
        }
    }

    /**
     * One step: the time and the prices.
     *
     * @param time engine time
     * @param btc  BTC in USD
     * @param eth  ETH in USD
     */
    public record Step(Instant time, double btc, double eth) {
    }

    /**
     * The real crash from {@code dataDir} when it holds Binance 4h bars of BTC and ETH for March 2020, else the
     * synthetic path.
     */
    public static CrashPath load(Path dataDir, long seed) {
        if (dataDir != null && Files.isRegularFile(dataDir.resolve("btc_usdt_binance_4h.csv"))
            && Files.isRegularFile(dataDir.resolve("eth_usdt_binance_4h.csv"))) {
            try {
                return real(dataDir);
            } catch (RuntimeException e) {
                return synthetic(seed);
            }
        }
        return synthetic(seed);
    }

    /** The real replay (Binance 4h closes, USDT taken at par). */
    public static CrashPath real(Path dataDir) {
        List<FeedQuote> quotes = QuoteFeed.load(dataDir, new FeedRequest(List.of("BTC", "ETH"), REAL_FROM, REAL_TO,
            BarInterval.H4, Set.of("binance")));
        TreeMap<Long, double[]> byTime = new TreeMap<>();
        for (FeedQuote q : quotes) {
            double[] p = byTime.computeIfAbsent(q.timeMillis(), t -> new double[] {Double.NaN, Double.NaN});
            p["BTC".equals(q.asset()) ? 0 : 1] = q.price();
        }
        List<Step> steps = new ArrayList<>();
        for (var e : byTime.entrySet()) {
            if (!Double.isNaN(e.getValue()[0]) && !Double.isNaN(e.getValue()[1])) {
                steps.add(new Step(Instant.ofEpochMilli(e.getKey()), e.getValue()[0], e.getValue()[1]));
            }
        }
        return new CrashPath("Binance BTCUSDT and ETHUSDT 4h closes, " + REAL_FROM + " to " + REAL_TO
            + " (../shared/data/market)", steps);
    }

    /** A seeded synthetic crash of the same shape, 4h steps from 8 March 2020. */
    public static CrashPath synthetic(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        double btc = 8_000;
        double eth = 200;
        Instant t = Instant.parse("2020-03-08T04:00:00Z");
        for (int k = 0; k < 72; k++) {
            double drift = k >= 20 && k < 29 ? -0.065 : k >= 29 && k < 40 ? 0.02 : 0.0;
            double shock = 0.012 * gaussian(rnd);
            btc *= Math.exp(drift + shock);
            eth *= Math.exp(1.2 * drift + 1.1 * shock + 0.006 * gaussian(rnd));
            steps.add(new Step(t, round(btc), round(eth)));
            t = t.plusSeconds(4 * 3600);
        }
        return new CrashPath("synthetic crash (seed " + seed + "): the market-data folder was not found", steps);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = Math.max(1e-12, rnd.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
