package io.upm.backtest;

import io.upm.backtest.carry.MarketCarry;
import io.upm.backtest.strategy.Strategy;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.market.MarketSnapshot;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.StandardMarginCalculator;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Portfolio;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays a strategy over history and measures a margin model against the realised losses (issue 3):
 * for each day t from {@code from} to {@code to}, the strategy's holdings at t's close, the model's MM on
 * t's snapshot, the siloed baseline, and the loss over the horizon h with the holdings fixed,
 * {@code value_t - value_{t+h}} (options repriced at t+h's price, vol and time to expiry), plus the funding
 * the perpetuals pay over the horizon when the snapshots carry a {@link MarketCarry}. A breach is a loss
 * larger than MM. Intraday horizons: {@link IntradayBacktest}.
 *
 * <p>Days whose horizon ends after the last day of the history are not evaluated (nor counted); days
 * on which the strategy cannot be set up (an asset it needs has no price or vol yet) are skipped and
 * counted. Not thread-safe (the model and the snapshot cache are not).
 */
public final class Backtest {
    private final HistoricalSnapshots snapshots;
    private final MarginParameters params;

    /**
     * @param snapshots the day snapshots
     * @param params    the parameters of the siloed baseline and the stablecoins (priced at 1)
     */
    public Backtest(HistoricalSnapshots snapshots, MarginParameters params) {
        this.snapshots = snapshots;
        this.params = params;
    }

    /**
     * Runs the backtest.
     *
     * @param strategy    the holdings of each day
     * @param model       the margin model
     * @param from        first day (inclusive)
     * @param to          last day (inclusive)
     * @param horizonDays the P&amp;L horizon, at least 1
     * @param progress    progress listener
     * @throws InputException naming {@code --from}, {@code --to} or {@code --horizon} when the range is empty,
     *                        reversed or outside the history, or no day can be evaluated
     */
    public BacktestResult run(Strategy strategy, MarginModel model, LocalDate from, LocalDate to, int horizonDays,
                              BacktestProgress progress) {
        DailyHistory h = snapshots.history();
        if (horizonDays < 1) {
            throw new InputException("--horizon", "must be at least 1 day, got " + horizonDays);
        }
        if (from.isAfter(to)) {
            throw new InputException("--from", from + " is after --to " + to);
        }
        LocalDate first = h.date(0);
        LocalDate last = h.date(h.size() - 1);
        if (from.isBefore(first) || from.isAfter(last)) {
            throw new InputException("--from", from + " is outside the data (" + first + " to " + last + ")");
        }
        if (to.isAfter(last)) {
            throw new InputException("--to", to + " is outside the data (" + first + " to " + last + ")");
        }
        int start = ceilingIndex(h, from);
        int end = floorIndex(h, to);
        int lastEvaluable = Math.min(end, h.size() - 1 - horizonDays);
        if (lastEvaluable < start) {
            throw new InputException("--to", "no day from " + from + " to " + to + " has " + horizonDays
                + " day(s) of data after it (the data end on " + last + ")");
        }
        List<DayResult> days = new ArrayList<>(lastEvaluable - start + 1);
        List<LocalDate> skipped = new ArrayList<>();
        progress.start(lastEvaluable - start + 1);
        try {
            for (int i = start; i <= lastEvaluable; i++) {
                BacktestDay day = new BacktestDay(i, h.date(i), snapshots.snapshot(i), h);
                Optional<Portfolio> holdings = strategy.holdings(day);
                if (holdings.isEmpty()) {
                    skipped.add(day.date());
                    progress.step();
                    continue;
                }
                Portfolio p = holdings.get();
                double mm = model.maintenanceMargin(day, p);
                double standard = standardMargin(day, p);
                double v0 = PortfolioValuation.value(p, day.market(), params.stablecoins());
                MarketSnapshot later = snapshots.snapshot(i + horizonDays);
                double v1 = PortfolioValuation.value(p, later, params.stablecoins());
                double loss = v0 - v1 + fundingPaid(snapshots.carry(), p, day.market(), later);
                days.add(new DayResult(day.date(), mm, standard, loss, loss > mm));
                progress.step();
            }
        } finally {
            progress.finish();
        }
        if (days.isEmpty()) {
            throw new InputException("--from", "the strategy " + strategy.name() + " cannot be set up on any day from "
                + from + " to " + to + " (an asset it needs has no price or vol yet)");
        }
        return new BacktestResult(strategy.name(), model.name(), from, to, horizonDays, days, skipped);
    }

    /**
     * The funding the holdings' perpetuals pay from {@code start}'s time to {@code end}'s (USD, negative when they
     * receive); 0 without a carry model (flat forwards, no funding).
     */
    static double fundingPaid(MarketCarry carry, Portfolio p, MarketSnapshot start, MarketSnapshot end) {
        return carry == null ? 0.0 : carry.fundingPaid(p, start, end.time());
    }

    /** The siloed baseline MM of the holdings on the day. */
    double standardMargin(BacktestDay day, Portfolio p) {
        return standardMargin(params, day, p);
    }

    /** The siloed baseline MM of the holdings on the day, with {@code params}. */
    static double standardMargin(MarginParameters params, BacktestDay day, Portfolio p) {
        RiskArrays arrays = MarginCalculator.arraysFor(day.market(), params, List.of(p));
        return StandardMarginCalculator.compute(arrays, ResolvedPortfolio.resolve(p, arrays)).maintenanceMargin();
    }

    private static int ceilingIndex(DailyHistory h, LocalDate d) {
        int lo = 0;
        int hi = h.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (h.date(mid).isBefore(d)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int floorIndex(DailyHistory h, LocalDate d) {
        int c = ceilingIndex(h, d);
        return c < h.size() && h.date(c).equals(d) ? c : c - 1;
    }
}
