package io.upm.backtest;

/**
 * Receives a backtest's progress, for a progress bar. Called on the backtest's thread.
 */
public interface BacktestProgress {
    /** No progress shown. */
    BacktestProgress NONE = new BacktestProgress() {
    };

    /** The backtest starts with {@code days} days to evaluate. */
    default void start(int days) {
    }

    /** One more day was evaluated. */
    default void step() {
    }

    /** The backtest ended (normally or not). */
    default void finish() {
    }
}
