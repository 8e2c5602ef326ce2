package io.upm.backtest.model;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.MarginModel;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.backtest.vol.VolatilityScanRanges;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;

/**
 * MODEL.md's risk-matrix portfolio margin as a backtest model: the maintenance margin that
 * {@link io.upm.margin.MarginCalculator#report} reports (the same engine, {@link RiskArrays} and
 * {@link AccountMarginCalculator}, without the per-position contributions a report adds), with either the
 * parameters' static scan ranges ({@code matrix}) or, per day, the volatility-aware ranges of
 * {@link VolatilityScanRanges} ({@code matrix-vol}): each day's parameters are the base parameters with the
 * history assets' R_u replaced by that day's range.
 *
 * <p>The ranges are computed once per {@link DailyHistory} (cached by identity, the first time a day of that
 * history is seen). MM in USD. Not thread-safe: one instance per thread (it reuses an
 * {@link AccountMarginCalculator}).
 */
public final class RiskMatrixMarginModel implements MarginModel {
    private final MarginParameters params;
    private final VolatilityScanRangeSettings scanRangeSettings;
    private final AccountMarginCalculator calculator = new AccountMarginCalculator();
    private VolatilityScanRanges ranges;

    /** MODEL.md with the static scan ranges of {@code params}. */
    public RiskMatrixMarginModel(MarginParameters params) {
        this(params, null);
    }

    /**
     * @param params            the base parameters
     * @param scanRangeSettings the volatility-aware scan ranges, or null for the static ranges of {@code params}
     */
    public RiskMatrixMarginModel(MarginParameters params, VolatilityScanRangeSettings scanRangeSettings) {
        this.params = params;
        this.scanRangeSettings = scanRangeSettings;
    }

    /** {@code matrix} with static ranges, {@code matrix-vol} with volatility-aware ranges. */
    @Override
    public String name() {
        return scanRangeSettings == null ? "matrix" : "matrix-vol";
    }

    /** The scan-range options, or null for static ranges. */
    public VolatilityScanRangeSettings scanRangeSettings() {
        return scanRangeSettings;
    }

    /** The volatility-aware ranges of {@code history} (computed on first use), or null for static ranges. */
    public VolatilityScanRanges scanRanges(DailyHistory history) {
        if (scanRangeSettings == null) {
            return null;
        }
        if (ranges == null || ranges.history() != history) {
            ranges = new VolatilityScanRanges(history, scanRangeSettings);
        }
        return ranges;
    }

    /** The parameters used on {@code day}. */
    public MarginParameters parameters(BacktestDay day) {
        VolatilityScanRanges r = scanRanges(day.history());
        return r == null ? params : r.parameters(params, day.index());
    }

    @Override
    public double maintenanceMargin(BacktestDay day, Portfolio portfolio) {
        List<Instrument> instruments = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int k = 0; k < portfolio.positions().size(); k++) {
            instruments.add(portfolio.positions().get(k).instrument());
            fields.add("positions[" + k + "].instrument");
        }
        RiskArrays arrays = RiskArrays.build(day.market(), parameters(day), instruments, fields);
        return calculator.compute(arrays, ResolvedPortfolio.resolve(portfolio, arrays), -1);
    }
}
