package io.upm.backtest.vol;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.market.MarketSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded synthetic price histories for the tests of the vol and model packages, and the location of the real
 * market data (optional).
 */
public final class SyntheticHistories {
    private SyntheticHistories() {
    }

    /** A standard normal draw (Box-Muller). */
    public static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** {@code n} i.i.d. normal daily log returns of vol {@code sigma}; element 0 is NaN (no previous close). */
    public static double[] constantVolReturns(long seed, int n, double sigma) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] r = new double[n];
        r[0] = Double.NaN;
        for (int i = 1; i < n; i++) {
            r[i] = sigma * gaussian(rnd);
        }
        return r;
    }

    /** Closes from log returns (NaN returns: the close starts at the first valid one, NaN before). */
    public static double[] closes(double start, double[] returns) {
        double[] c = new double[returns.length];
        double p = start;
        c[0] = p;
        for (int i = 1; i < returns.length; i++) {
            p *= Math.exp(returns[i]);
            c[i] = p;
        }
        return c;
    }

    /** {@code n} consecutive days from {@code start}. */
    public static List<LocalDate> days(LocalDate start, int n) {
        List<LocalDate> d = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            d.add(start.plusDays(i));
        }
        return d;
    }

    /**
     * A joint history of BTC and ETH (correlation {@code rho}) and SOL (from day {@code solStart}, correlation
     * {@code rho} with BTC), with regime-switching vol (calm 2.5%, stressed 6% a day on days 700 to 800 and
     * 1300 to 1330), and a BTC and ETH DVOL following the regime from day {@code dvolStart}.
     */
    public static DailyHistory regimeHistory(long seed, int n, double rho, int solStart, int dvolStart) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] btc = new double[n];
        double[] eth = new double[n];
        double[] sol = new double[n];
        double[] btcIv = new double[n];
        double[] ethIv = new double[n];
        double pb = 20_000;
        double pe = 1_500;
        double ps = 30;
        double ivb = 0.6;
        double ive = 0.75;
        for (int i = 0; i < n; i++) {
            boolean stress = (i >= 700 && i < 800) || (i >= 1300 && i < 1330);
            double s = stress ? 0.06 : 0.025;
            if (i > 0) {
                double z1 = gaussian(rnd);
                double z2 = rho * z1 + Math.sqrt(1 - rho * rho) * gaussian(rnd);
                double z3 = rho * z1 + Math.sqrt(1 - rho * rho) * gaussian(rnd);
                pb *= Math.exp(s * z1);
                pe *= Math.exp(1.2 * s * z2);
                ps *= Math.exp(1.6 * s * z3);
                double target = stress ? 1.2 : 0.6;
                ivb = Math.exp(Math.log(ivb) + 0.1 * (Math.log(target) - Math.log(ivb)) - 0.5 * s * z1
                    + 0.03 * gaussian(rnd));
                ive = Math.exp(Math.log(ive) + 0.1 * (Math.log(target * 1.2) - Math.log(ive)) - 0.5 * s * z2
                    + 0.03 * gaussian(rnd));
            }
            btc[i] = pb;
            eth[i] = pe;
            sol[i] = i >= solStart ? ps : Double.NaN;
            btcIv[i] = i >= dvolStart ? ivb : Double.NaN;
            ethIv[i] = i >= dvolStart ? ive : Double.NaN;
        }
        Map<String, double[]> closes = new LinkedHashMap<>();
        closes.put("BTC", btc);
        closes.put("ETH", eth);
        closes.put("SOL", sol);
        Map<String, double[]> ivs = new LinkedHashMap<>();
        ivs.put("BTC", btcIv);
        ivs.put("ETH", ethIv);
        return DailyHistory.of(days(LocalDate.of(2016, 1, 1), n), closes, ivs);
    }

    /**
     * The backtest day {@code i}: a snapshot at the day's close ({@code date + 1} 00:00 UTC) with the closes as
     * index prices, USDC at 1 and flat vols (the history's implied vol where given, else {@code fallbackVol}).
     */
    public static BacktestDay day(DailyHistory h, int i, double fallbackVol) {
        LocalDate date = h.date(i);
        MarketSnapshot.Builder b = MarketSnapshot.builder(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        for (String a : h.assets()) {
            double c = h.close(a, i);
            if (!Double.isNaN(c)) {
                b.price(a, c);
                double iv = h.impliedVol(a, i);
                b.flatVol(a, Double.isNaN(iv) ? fallbackVol : iv);
            }
        }
        b.price("USDC", 1.0);
        return new BacktestDay(i, date, b.build(), h);
    }

    /**
     * The real market data folder, or null when it is not there: the system property {@code upm.data} if set,
     * else {@link io.upm.backtest.TestHistories#realData()} (shared/data/market beside the repository).
     */
    public static Path realData() {
        String prop = System.getProperty("upm.data");
        if (prop != null && Files.isRegularFile(Path.of(prop).resolve("btc_usdt_binance_1d.csv"))) {
            return Path.of(prop);
        }
        return io.upm.backtest.TestHistories.realData().orElse(null);
    }
}
