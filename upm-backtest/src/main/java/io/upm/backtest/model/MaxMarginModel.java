package io.upm.backtest.model;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.MarginModel;
import io.upm.product.Portfolio;

/**
 * The larger of two margin models' maintenance margins each day ({@code max}: by default the risk matrix and
 * FHS, so that the requirement covers both the matrix's stress moves and the historical joint tail). USD.
 * Thread-safety and allocation are those of the two models; the last day's two figures are kept for reports.
 */
public final class MaxMarginModel implements MarginModel {
    private final MarginModel first;
    private final MarginModel second;
    private double lastFirst = Double.NaN;
    private double lastSecond = Double.NaN;

    /** The maximum of {@code first} and {@code second}. */
    public MaxMarginModel(MarginModel first, MarginModel second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public String name() {
        return "max";
    }

    /** The first model. */
    public MarginModel first() {
        return first;
    }

    /** The second model. */
    public MarginModel second() {
        return second;
    }

    /** The first model's MM on the last day evaluated (NaN before any). */
    public double lastFirst() {
        return lastFirst;
    }

    /** The second model's MM on the last day evaluated (NaN before any). */
    public double lastSecond() {
        return lastSecond;
    }

    @Override
    public double maintenanceMargin(BacktestDay day, Portfolio portfolio) {
        lastFirst = first.maintenanceMargin(day, portfolio);
        lastSecond = second.maintenanceMargin(day, portfolio);
        return Math.max(lastFirst, lastSecond);
    }
}
