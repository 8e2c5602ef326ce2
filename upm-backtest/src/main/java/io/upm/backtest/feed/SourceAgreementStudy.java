package io.upm.backtest.feed;

import io.upm.engine.index.AssetIndex;
import io.upm.engine.index.IndexParameters;
import io.upm.engine.index.IndexStatus;
import io.upm.engine.index.PriceIndex;
import io.upm.engine.index.SourceQuote;
import io.upm.engine.index.SourceState;
import io.upm.input.InputException;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How the real price sources agreed: a feed of daily closes ({@link QuoteFeed}) replayed through the live
 * engine's multi-source index ({@link PriceIndex}, MODEL.md section 9), and, per asset and source, how often the
 * source was an outlier and how far the index was from it; per asset, the days the index was ok, degraded or
 * stale and the range it moved in. docs/prices.md gives the figures on the 2020-2025 history and what they mean;
 * {@code upm feed --study} prints them and {@code --plot} draws them.
 *
 * <p>The replay applies all the quotes of one instant (one day's closes at the next midnight), then observes
 * every asset; a source's distance is |source / index - 1| for each quote it sent at that instant while the index
 * was not stale (a stale index holds an old value: a distance to it says nothing of the source), its state the
 * index's verdict on it (fresh, outlier). The median and 99th percentile are by nearest rank. Deterministic:
 * the same quotes and parameters give the same result bit for bit. Not thread-safe while running; the result is
 * immutable.
 */
public final class SourceAgreementStudy {

    /**
     * The index parameters for daily closes: MODEL.md's, except {@code staleAfter} = 36 hours (1.5 daily bars:
     * yesterday's close is still fresh when today's arrive, a missing day makes a source stale).
     */
    public static final IndexParameters DAILY = IndexParameters.DEFAULTS.toBuilder().staleAfter(Duration.ofHours(36))
        .build();

    private SourceAgreementStudy() {
    }

    /**
     * What one source's quotes were to the index.
     *
     * @param asset    the asset
     * @param source   the source
     * @param first    the day of its first bar in the replay
     * @param last     the day of its last bar
     * @param quotes   its quotes (once the index had a value)
     * @param outliers how many of them the index judged outliers
     * @param live     how many of them came while the index was not stale: the distances are over these
     * @param median   median of |source / index - 1| over its live quotes (NaN when none)
     * @param p99      99th percentile (nearest rank)
     * @param max      the largest
     * @param maxDay   the day of the bar where it was largest
     */
    public record SourceStats(String asset, String source, LocalDate first, LocalDate last, int quotes, int outliers,
                              int live, double median, double p99, double max, LocalDate maxDay) {
    }

    /**
     * One asset's index over the replay, observed after each instant with quotes.
     *
     * @param asset    the asset
     * @param days     observations (instants at which any asset was quoted)
     * @param statuses how many of them were ok, degraded, stale
     * @param minIndex the lowest index value
     * @param maxIndex the highest index value
     */
    public record AssetStats(String asset, int days, Map<IndexStatus, Integer> statuses, double minIndex,
                             double maxIndex) {
    }

    /**
     * The index and every source's last quote and state at one instant.
     *
     * @param asset     the asset
     * @param day       the day of the bars just quoted (the instant is the next midnight)
     * @param index     the index price (NaN before it had a value)
     * @param status    its status
     * @param quotes    every source's last quote and its state
     */
    public record Observation(String asset, LocalDate day, double index, IndexStatus status, List<SourceQuote> quotes) {
    }

    /**
     * The study's result.
     *
     * @param parameters   the index parameters used (for every asset)
     * @param sources      per asset and source, in asset then source order
     * @param assets       per asset, in the request's order
     * @param observations every asset after every instant with quotes, in time then asset order
     */
    public record Result(IndexParameters parameters, List<SourceStats> sources, List<AssetStats> assets,
                         List<Observation> observations) {
    }

    /**
     * Replays the daily closes of {@code request}'s assets from the folder {@code dir} with {@link #DAILY}.
     *
     * @throws InputException as {@link QuoteFeed#load}; {@code interval} when the request is not of daily bars
     */
    public static Result run(Path dir, FeedRequest request) {
        if (request.interval() != BarInterval.D1) {
            throw new InputException("interval", "the study replays daily closes (1d), not " + request.interval().code());
        }
        return run(QuoteFeed.load(dir, request), request.assets(), DAILY);
    }

    /**
     * Replays {@code quotes} (in {@link FeedQuote#ORDER}) through an index with {@code parameters}.
     *
     * @param quotes     the feed
     * @param assets     the assets to observe, in report order
     * @param parameters the index parameters of every asset
     */
    public static Result run(List<FeedQuote> quotes, List<String> assets, IndexParameters parameters) {
        PriceIndex index = new PriceIndex(parameters);
        Map<String, List<double[]>> distances = new TreeMap<>(); // asset/source -> {distance, epochDay}
        Map<String, int[]> counts = new TreeMap<>(); // asset/source -> {quotes, outliers, first day, last day}
        Map<String, EnumMap<IndexStatus, Integer>> statuses = new LinkedHashMap<>();
        Map<String, double[]> range = new LinkedHashMap<>();
        for (String a : assets) {
            statuses.put(a, new EnumMap<>(IndexStatus.class));
            range.put(a, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        }
        List<Observation> observations = new ArrayList<>();
        int i = 0;
        while (i < quotes.size()) {
            long t = quotes.get(i).timeMillis();
            while (i < quotes.size() && quotes.get(i).timeMillis() == t) {
                FeedQuote q = quotes.get(i++);
                index.quote(q.timeMillis(), q.source(), q.asset(), q.price());
            }
            LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(t - 1), ZoneOffset.UTC);
            for (String asset : assets) {
                AssetIndex x = index.asset(asset);
                if (x == null) {
                    continue;
                }
                List<SourceQuote> now = x.quotes();
                observations.add(new Observation(asset, day, x.price(), x.status(), now));
                statuses.get(asset).merge(x.status(), 1, Integer::sum);
                double[] r = range.get(asset);
                if (!Double.isNaN(x.price())) {
                    r[0] = Math.min(r[0], x.price());
                    r[1] = Math.max(r[1], x.price());
                }
                for (SourceQuote sq : now) {
                    if (sq.timeMillis() != t || Double.isNaN(x.price())) {
                        continue;
                    }
                    String key = asset + "/" + sq.source();
                    List<double[]> d = distances.computeIfAbsent(key, k -> new ArrayList<>());
                    if (x.status() != IndexStatus.STALE) {
                        d.add(new double[] {Math.abs(sq.price() / x.price() - 1), day.toEpochDay()});
                    }
                    int[] n = counts.computeIfAbsent(key, k -> new int[] {0, 0, (int) day.toEpochDay(), 0});
                    n[0]++;
                    n[3] = (int) day.toEpochDay();
                    if (sq.state() == SourceState.OUTLIER) {
                        n[1]++;
                    }
                }
            }
        }
        List<SourceStats> sources = new ArrayList<>();
        for (String asset : assets) {
            for (Map.Entry<String, List<double[]>> e : distances.entrySet()) {
                if (e.getKey().startsWith(asset + "/")) {
                    sources.add(stats(asset, e.getKey().substring(asset.length() + 1), e.getValue(),
                        counts.get(e.getKey())));
                }
            }
        }
        List<AssetStats> assetStats = new ArrayList<>();
        for (String asset : assets) {
            EnumMap<IndexStatus, Integer> s = statuses.get(asset);
            int days = s.values().stream().mapToInt(Integer::intValue).sum();
            double[] r = range.get(asset);
            assetStats.add(new AssetStats(asset, days, Map.copyOf(s), r[0], r[1]));
        }
        return new Result(parameters, List.copyOf(sources), List.copyOf(assetStats), List.copyOf(observations));
    }

    /** counts: quotes, outliers, first and last epoch day. */
    private static SourceStats stats(String asset, String source, List<double[]> rows, int[] counts) {
        LocalDate first = LocalDate.ofEpochDay(counts[2]);
        LocalDate last = LocalDate.ofEpochDay(counts[3]);
        int n = rows.size();
        if (n == 0) {
            return new SourceStats(asset, source, first, last, counts[0], counts[1], 0, Double.NaN, Double.NaN,
                Double.NaN, null);
        }
        double[] d = new double[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            d[i] = rows.get(i)[0];
            if (d[i] > d[at]) {
                at = i;
            }
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        return new SourceStats(asset, source, first, last, counts[0], counts[1], n, sorted[(n - 1) / 2],
            sorted[(int) Math.ceil(0.99 * n) - 1], sorted[n - 1], LocalDate.ofEpochDay((long) rows.get(at)[1]));
    }

    /** The result as Markdown tables: per source, then per asset. */
    public static String table(Result r) {
        StringBuilder out = new StringBuilder();
        IndexParameters p = r.parameters();
        out.append(String.format(Locale.ROOT, "Index of daily closes: staleAfter %s, outlierBand %s, quorum more than %s"
                + " of the sources ever seen%n%n", p.staleAfter(), pct(p.outlierBand(), 1), pct(p.quorumFraction(), 0)))
            .append("| asset | source | days | quotes | outliers | while not stale | median | p99 | max (day) |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (SourceStats s : r.sources()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s to %s | %d | %d | %d | %s | %s | %s |%n", s.asset(),
                s.source(), s.first(), s.last(), s.quotes(), s.outliers(), s.live(), pct(s.median(), 3),
                pct(s.p99(), 3), s.live() == 0 ? "n/a" : pct(s.max(), 3) + " (" + s.maxDay() + ")"));
        }
        out.append("\n| asset | days | ok | degraded | stale | lowest index | highest index |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (AssetStats a : r.assets()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s |%n", a.asset(), a.days(),
                a.statuses().getOrDefault(IndexStatus.OK, 0), a.statuses().getOrDefault(IndexStatus.DEGRADED, 0),
                a.statuses().getOrDefault(IndexStatus.STALE, 0), price(a.minIndex()), price(a.maxIndex())));
        }
        return out.toString();
    }

    private static String pct(double x, int decimals) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * x);
    }

    private static String price(double x) {
        return Double.isInfinite(x) ? "n/a" : x >= 100 ? String.format(Locale.ROOT, "%,.0f", x)
            : String.format(Locale.ROOT, "%.4f", x);
    }

    /**
     * A chart per asset with several sources: each source's deviation from the index, source / index - 1 in
     * percent, day by day, with the outlier band. Assets with a single source are left out (always 0).
     */
    public static List<XYChart> charts(Result r) {
        Map<String, Map<String, List<double[]>>> byAsset = new LinkedHashMap<>(); // asset -> source -> {day, dev}
        for (Observation o : r.observations()) {
            if (Double.isNaN(o.index())) {
                continue;
            }
            long t = o.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            for (SourceQuote q : o.quotes()) {
                if (q.timeMillis() == t) {
                    byAsset.computeIfAbsent(o.asset(), k -> new TreeMap<>()).computeIfAbsent(q.source(),
                        k -> new ArrayList<>()).add(new double[] {o.day().toEpochDay(), 100 * (q.price() / o.index() - 1)});
                }
            }
        }
        double band = 100 * r.parameters().outlierBand();
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<double[]>>> e : byAsset.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            XYChart chart = new XYChartBuilder().width(1400).height(420)
                .title(e.getKey() + ": source / index - 1, daily closes (index: median of the fresh non-outliers)")
                .xAxisTitle("day").yAxisTitle("%").build();
            var s = chart.getStyler();
            s.setLegendPosition(Styler.LegendPosition.InsideNW);
            s.setDatePattern("yyyy-MM");
            s.setChartBackgroundColor(Color.WHITE);
            s.setPlotGridLinesColor(new Color(225, 225, 225));
            s.setDecimalPattern("0.0");
            Date first = null;
            Date last = null;
            for (Map.Entry<String, List<double[]>> src : e.getValue().entrySet()) {
                List<Date> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (double[] row : src.getValue()) {
                    Date d = Date.from(LocalDate.ofEpochDay((long) row[0]).atStartOfDay(ZoneOffset.UTC).toInstant());
                    x.add(d);
                    y.add(row[1]);
                    first = first == null || d.before(first) ? d : first;
                    last = last == null || d.after(last) ? d : last;
                }
                XYSeries series = chart.addSeries(src.getKey(), x, y);
                series.setMarker(SeriesMarkers.NONE);
            }
            for (double level : new double[] {band, -band}) {
                XYSeries line = chart.addSeries((level > 0 ? "+" : "-") + String.format(Locale.ROOT, "%.1f%%", band)
                    + " outlier band", List.of(first, last), List.of(level, level));
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(Color.RED);
                line.setShowInLegend(level > 0);
            }
            charts.add(chart);
        }
        return charts;
    }

    /**
     * Writes {@link #charts} one above the other into a PNG.
     *
     * @throws InputException field {@code plot} when there is nothing to draw (no asset with two sources) or the
     *                        file cannot be written
     */
    public static void plot(Result r, Path png) {
        List<XYChart> charts = charts(r);
        if (charts.isEmpty()) {
            throw new InputException("plot", "nothing to draw: no asset has two sources in the replay");
        }
        try {
            BitmapEncoder.saveBitmap(new ArrayList<>(charts), charts.size(), 1, png.toString(),
                BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException | RuntimeException e) {
            throw new InputException("plot", "cannot write " + png + ": " + e.getMessage());
        }
    }
}
