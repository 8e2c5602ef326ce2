package io.upm.backtest;

import io.upm.backtest.carry.MarketCarry;
import io.upm.backtest.feed.BarInterval;
import io.upm.backtest.strategy.Strategy;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backtest over an intraday horizon of one bar (issue 9, item 5: {@code --horizon 1h}, {@code 2h},
 * {@code 4h}): at the close t of each BTC bar that opens on a day from {@code from} to {@code to}, the strategy's
 * holdings and the model's MM on the snapshot of t, and the loss over the next bar, {@code value_t -
 * value_{t+h}} (plus funding paid in (t, t+h] with a carry model).
 *
 * <p>The snapshot of a bar close t: the index of each asset is the close of its bar ending at t (an asset without
 * bars of that length, or with a gap at t, is not priced); USDC = 1; the flat vols and the correlations are those
 * of the last day completed at t (its close, the midnight UTC at or before t), so nothing after t is used; the
 * carry (forwards, perpetual marks) as in {@link HistoricalSnapshots}. A window whose next bar is missing (a
 * Binance outage) or in which an asset priced at t has no bar at t+h is not evaluated. Not thread-safe.
 */
public final class IntradayBacktest {
    private static final long DAY_MILLIS = 86_400_000L;

    private final HistoricalSnapshots daily;
    private final IntradayBars bars;
    private final MarginParameters params;
    private final Map<String, Map<String, Double>> correlationCache = new HashMap<>();

    /**
     * @param daily  the daily snapshots: the vols, correlations and carry known at each bar
     * @param bars   the bars of the horizon's length
     * @param params the parameters of the siloed baseline and the stablecoins
     */
    public IntradayBacktest(HistoricalSnapshots daily, IntradayBars bars, MarginParameters params) {
        if (bars.interval() == BarInterval.D1) {
            throw new IllegalArgumentException("daily bars: use Backtest");
        }
        this.daily = daily;
        this.bars = bars;
        this.params = params;
    }

    /**
     * Runs the backtest over the bars that open on a day from {@code from} to {@code to}.
     *
     * @throws InputException naming {@code --from} or {@code --to} when no bar of that range can be evaluated
     */
    public BacktestResult run(Strategy strategy, MarginModel model, LocalDate from, LocalDate to,
                             BacktestProgress progress) {
        if (from.isAfter(to)) {
            throw new InputException("--from", from + " is after --to " + to);
        }
        CloseSeries btc = bars.series("BTC");
        long iv = bars.interval().millis();
        long fromMillis = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long toMillis = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        int start = 0;
        while (start < btc.size() && btc.openMillis(start) < fromMillis) {
            start++;
        }
        int end = start;
        while (end < btc.size() && btc.openMillis(end) < toMillis) {
            end++;
        }
        if (end - start < 2) {
            throw new InputException("--from", "BTC's " + bars.interval().code() + " bars (" + btc.file() + ") have "
                + "fewer than two bars from " + from + " to " + to);
        }
        List<DayResult> results = new ArrayList<>();
        List<LocalDate> skipped = new ArrayList<>();
        progress.start(end - start);
        try {
            MarketSnapshot next = null;
            for (int k = start; k < end; k++) {
                long t0 = btc.openMillis(k) + iv;
                boolean contiguous = k + 1 < btc.size() && btc.openMillis(k + 1) == t0;
                MarketSnapshot s0 = next != null && next.time().toEpochMilli() == t0 ? next : snapshot(t0);
                next = null;
                if (!contiguous || s0 == null) {
                    progress.step();
                    continue;
                }
                MarketSnapshot s1 = snapshot(t0 + iv);
                next = s1;
                if (s1 == null || !s1.prices().keySet().containsAll(s0.prices().keySet())) {
                    progress.step();
                    continue;
                }
                LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(btc.openMillis(k)), ZoneOffset.UTC);
                BacktestDay day = new BacktestDay(lastCompletedDay(t0), date, s0, daily.history());
                Optional<Portfolio> holdings = strategy.holdings(day);
                if (holdings.isEmpty()) {
                    if (skipped.isEmpty() || !skipped.get(skipped.size() - 1).equals(date)) {
                        skipped.add(date);
                    }
                    progress.step();
                    continue;
                }
                Portfolio p = holdings.get();
                double mm = model.maintenanceMargin(day, p);
                double standard = Backtest.standardMargin(params, day, p);
                double v0 = PortfolioValuation.value(p, s0, params.stablecoins());
                double v1 = PortfolioValuation.value(p, s1, params.stablecoins());
                double loss = v0 - v1 + Backtest.fundingPaid(daily.carry(), p, s0, s1);
                results.add(new DayResult(date, mm, standard, loss, loss > mm, s0.time()));
                progress.step();
            }
        } finally {
            progress.finish();
        }
        if (results.isEmpty()) {
            throw new InputException("--from", "the strategy " + strategy.name() + " cannot be set up on any "
                + bars.interval().code() + " bar from " + from + " to " + to
                + " (an asset it needs has no bars of that length, or no price or vol yet)");
        }
        return new BacktestResult(strategy.name(), model.name(), from, to, 0, results, skipped,
            (int) (iv / 3_600_000L));
    }

    /**
     * The snapshot at a bar close {@code t} (epoch ms), or null when BTC has no bar ending at t or no day is
     * completed at t.
     */
    MarketSnapshot snapshot(long t) {
        long open = t - bars.interval().millis();
        if (Double.isNaN(bars.closeOfBarOpening("BTC", open))) {
            return null;
        }
        int dayIndex = lastCompletedDay(t);
        if (dayIndex < 0) {
            return null;
        }
        Instant time = Instant.ofEpochMilli(t);
        MarketSnapshot.Builder b = MarketSnapshot.builder(time);
        List<String> priced = new ArrayList<>();
        for (String a : bars.assets()) {
            double c = bars.closeOfBarOpening(a, open);
            if (Double.isNaN(c)) {
                continue;
            }
            b.price(a, c);
            priced.add(a);
            MarketCarry carry = daily.carry();
            if (carry != null) {
                carry.addTo(b, a, c, time);
            }
            double v = daily.vol(a, dayIndex);
            if (!Double.isNaN(v)) {
                b.flatVol(a, v);
            }
        }
        b.price(HistoricalSnapshots.STABLECOIN, 1.0);
        String key = dayIndex + ":" + priced;
        correlationCache.computeIfAbsent(key, k -> daily.correlationPairs(priced, dayIndex)).forEach(b::correlation);
        return b.build();
    }

    /** The index of the last day whose close (next midnight UTC) is at or before {@code t}; -1 if none. */
    int lastCompletedDay(long t) {
        DailyHistory h = daily.history();
        LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(t - DAY_MILLIS), ZoneOffset.UTC);
        int lo = 0;
        int hi = h.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (h.date(mid).isAfter(d)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo - 1;
    }
}
