package io.upm.backtest.model;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.MarginModel;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Portfolio;
import java.util.List;
import java.util.function.Function;

/**
 * The risk matrix of MODEL.md as a backtest {@link MarginModel}: the maintenance margin that
 * {@link MarginCalculator} computes on the day's snapshot, with fixed parameters or with parameters
 * chosen per day (e.g. volatility-aware scan ranges).
 *
 * <p>Builds the risk arrays of the day's instruments on each call and reuses one
 * {@link AccountMarginCalculator}. Not thread-safe.
 */
public final class MatrixMarginModel implements MarginModel {
    /** The model's name on the command line. */
    public static final String NAME = "matrix";

    private final String name;
    private final Function<BacktestDay, MarginParameters> paramsOfDay;
    private final AccountMarginCalculator calculator = new AccountMarginCalculator();

    /** The risk matrix with fixed parameters. */
    public MatrixMarginModel(MarginParameters params) {
        this(NAME, day -> params);
    }

    /**
     * The risk matrix with parameters chosen per day.
     *
     * @param name        the model's name in reports
     * @param paramsOfDay the parameters of a day; may read the history up to that day only
     */
    public MatrixMarginModel(String name, Function<BacktestDay, MarginParameters> paramsOfDay) {
        this.name = name;
        this.paramsOfDay = paramsOfDay;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double maintenanceMargin(BacktestDay day, Portfolio portfolio) {
        RiskArrays arrays = MarginCalculator.arraysFor(day.market(), paramsOfDay.apply(day), List.of(portfolio));
        return calculator.compute(arrays, ResolvedPortfolio.resolve(portfolio, arrays), -1);
    }

    /** The parameters used on {@code day}. */
    public MarginParameters parameters(BacktestDay day) {
        return paramsOfDay.apply(day);
    }
}
