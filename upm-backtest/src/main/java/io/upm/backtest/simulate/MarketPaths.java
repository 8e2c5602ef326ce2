package io.upm.backtest.simulate;

import io.upm.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real price paths a simulation is driven through, one per underlying, minute by minute over a window, with the
 * volatility and the average daily volume each minute is valued with. Immutable.
 *
 * <p><b>Path within a bar.</b> The bars are 1 h, 2 h or 4 h; within a bar the price walks in straight lines from the
 * open to the first extreme, to the second and to the close, a third of the bar each; the first extreme is the high
 * for a bar that closes down (open, high, low, close) and the low for one that closes up (open, low, high, close), the
 * usual convention when the order inside a bar is unknown. So every bar's low and high are visited.
 *
 * <p><b>Volatility.</b> An EWMA of the bars' log close-to-close returns with a 12-hour half-life, annualised, started
 * from the realised volatility of the 30 days of bars before the window, floored at 20%; minute m uses the estimate
 * of the bars that closed before it (no look-ahead).
 *
 * <p><b>ADV.</b> The average daily USD volume (volume x close) of the 30 days before the window, from the same file.
 */
public final class MarketPaths {
    /** The underlyings and their files, finest first (SOURCES.md). */
    public static final Map<String, List<String>> FILES = files();
    /** The EWMA half-life of the volatility, hours. */
    public static final double VOL_HALF_LIFE_HOURS = 12.0;
    /** The floor of the volatility, annualised. */
    public static final double VOL_FLOOR = 0.20;
    /** The look-back for the starting volatility and the ADV, days. */
    public static final int LOOKBACK_DAYS = 30;

    private final long startMinute;
    private final int minutes;
    private final Map<String, double[]> price;
    private final Map<String, double[]> vol;
    private final Map<String, Double> adv;
    private final Map<String, String> source;

    private MarketPaths(long startMinute, int minutes, Map<String, double[]> price, Map<String, double[]> vol,
                        Map<String, Double> adv, Map<String, String> source) {
        this.startMinute = startMinute;
        this.minutes = minutes;
        this.price = price;
        this.vol = vol;
        this.adv = adv;
        this.source = source;
    }

    private static Map<String, List<String>> files() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("BTC", List.of("btc_usdt_binance_1h.csv", "btc_usdt_binance_2h.csv", "btc_usdt_binance_4h.csv"));
        m.put("ETH", List.of("eth_usdt_binance_2h.csv", "eth_usdt_binance_4h.csv"));
        m.put("SOL", List.of("sol_usdt_binance_4h.csv"));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The paths of the window from 00:00 UTC of {@code from} to 24:00 UTC of {@code to}: for each underlying the
     * finest file that covers the whole window (an underlying that no file covers is left out; SOL before August
     * 2020). BTC must be covered.
     *
     * @throws InputException naming {@code --from}/{@code --to} for a window the data do not cover, or the file for
     *                        a malformed one
     */
    public static MarketPaths load(Path dir, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new InputException("--from", from + " is after --to " + to);
        }
        if (to.toEpochDay() - from.toEpochDay() > 60) {
            throw new InputException("--to", "the window is at most 61 days, got " + from + " to " + to);
        }
        long start = from.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 60;
        long end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 60;
        Map<String, OhlcBars> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : FILES.entrySet()) {
            for (String f : e.getValue()) {
                Path p = dir.resolve(f);
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                OhlcBars bars = OhlcBars.read(p);
                if (covers(bars, start, end)) {
                    chosen.put(e.getKey(), bars);
                    break;
                }
            }
        }
        if (!chosen.containsKey("BTC")) {
            throw new InputException("--from", "no BTC intraday file in " + dir + " covers " + from + " to " + to
                + " (" + String.join(", ", FILES.get("BTC")) + ")");
        }
        return fromBars(chosen, start, end);
    }

    private static boolean covers(OhlcBars b, long start, long end) {
        if (b.size() < 2) {
            return false;
        }
        int first = b.firstAtOrAfter(start);
        if (first >= b.size() || b.openMinute(first) != start) {
            return false;
        }
        long bar = b.barMinutes();
        int last = b.firstAtOrAfter(end - bar);
        if (last >= b.size() || b.openMinute(last) != end - bar) {
            return false;
        }
        return (last - first + 1) * bar == end - start; // no missing bar inside the window
    }

    /**
     * Paths from bars that cover [startMinute, endMinute) without a gap (the real files, or synthetic bars in tests).
     *
     * @throws InputException naming an underlying whose bars do not cover the window
     */
    public static MarketPaths fromBars(Map<String, OhlcBars> bars, long startMinute, long endMinute) {
        int n = Math.toIntExact(endMinute - startMinute);
        Map<String, double[]> price = new LinkedHashMap<>();
        Map<String, double[]> vol = new LinkedHashMap<>();
        Map<String, Double> adv = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Map.Entry<String, OhlcBars> e : bars.entrySet()) {
            OhlcBars b = e.getValue();
            if (!covers(b, startMinute, endMinute)) {
                throw new InputException(e.getKey(), b.file() + " does not cover the window without a gap");
            }
            long len = b.barMinutes();
            int first = b.firstAtOrAfter(startMinute);
            double[] p = new double[n + 1];
            double[] v = new double[n + 1];
            // starting volatility and ADV from the look-back
            int lb = b.firstAtOrAfter(startMinute - LOOKBACK_DAYS * 1440L);
            double barsPerYear = 365.0 * 1440.0 / len;
            double sum = 0.0;
            int count = 0;
            double usd = 0.0;
            for (int i = Math.max(lb, 1); i < first; i++) {
                double r = Math.log(b.close(i) / b.close(i - 1));
                sum += r * r;
                count++;
            }
            for (int i = lb; i < first; i++) {
                usd += b.volume(i) * b.close(i);
            }
            double days = (first - lb) * len / 1440.0;
            if (!(days > 0)) { // no look-back: the window's own bars
                for (int i = first; i < b.size() && b.openMinute(i) < endMinute; i++) {
                    usd += b.volume(i) * b.close(i);
                }
                days = (endMinute - startMinute) / 1440.0;
            }
            double var = count >= 10 ? sum / count : Math.pow(0.8, 2) / barsPerYear;
            double lambda = Math.pow(0.5, len / 60.0 / VOL_HALF_LIFE_HOURS);
            int m = 0;
            for (int i = first; m < n; i++) {
                double sigma = Math.max(VOL_FLOOR, Math.sqrt(var * barsPerYear));
                double o = b.open(i);
                double c = b.close(i);
                double x1 = c < o ? b.high(i) : b.low(i);
                double x2 = c < o ? b.low(i) : b.high(i);
                for (int j = 0; j < len; j++, m++) {
                    double s = 3.0 * j / len; // 0..3: the segment and the fraction in it
                    int seg = (int) s;
                    double f = s - seg;
                    double a = seg == 0 ? o : seg == 1 ? x1 : x2;
                    double z = seg == 0 ? x1 : seg == 1 ? x2 : c;
                    p[m] = a + (z - a) * f;
                    v[m] = sigma;
                }
                double prev = i > 0 ? b.close(i - 1) : o;
                double r = Math.log(c / prev);
                var = lambda * var + (1.0 - lambda) * r * r;
                if (m == n) {
                    p[n] = c;
                    v[n] = Math.max(VOL_FLOOR, Math.sqrt(var * barsPerYear));
                }
            }
            price.put(e.getKey(), p);
            vol.put(e.getKey(), v);
            adv.put(e.getKey(), usd / days);
            source.put(e.getKey(), b.file());
        }
        return new MarketPaths(startMinute, n, price, vol, adv, source);
    }

    /** The first minute, epoch minutes. */
    public long startMinute() {
        return startMinute;
    }

    /** The window's start. */
    public Instant start() {
        return Instant.ofEpochSecond(startMinute * 60);
    }

    /** The number of minutes of the window (the paths have one more point: its end). */
    public int minutes() {
        return minutes;
    }

    /** The underlyings with a path, in the order BTC, ETH, SOL. */
    public List<String> underlyings() {
        return new ArrayList<>(price.keySet());
    }

    /** The real price of an underlying at minute m of the window (0..minutes()). */
    public double price(String underlying, int m) {
        return price.get(underlying)[m];
    }

    /** The annualised volatility minute m is valued with. */
    public double vol(String underlying, int m) {
        return vol.get(underlying)[m];
    }

    /** The average daily volume of an underlying, USD. */
    public double adv(String underlying) {
        return adv.get(underlying);
    }

    /** The file each path comes from. */
    public Map<String, String> sources() {
        return Collections.unmodifiableMap(source);
    }
}
