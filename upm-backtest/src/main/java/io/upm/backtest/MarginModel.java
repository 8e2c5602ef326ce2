package io.upm.backtest;

import io.upm.product.Portfolio;

/**
 * A margin model evaluated day by day in a backtest: the maintenance margin of an account on one
 * historical day. It may use the history up to and including that day (for calibration), never after.
 *
 * <p>Implementations: the risk matrix of MODEL.md (optionally with volatility-aware scan ranges),
 * filtered historical simulation, and the larger of the two. Not required to be thread-safe.
 */
public interface MarginModel {

    /** The model's name as selected on the command line or in the parameters ({@code matrix}, {@code fhs}, {@code max}). */
    String name();

    /**
     * The maintenance margin in USD of {@code portfolio} on {@code day}.
     *
     * @param day       the day: its index in the history, its date, the market snapshot built for it
     * @param portfolio the account's holdings that day
     */
    double maintenanceMargin(BacktestDay day, Portfolio portfolio);
}
