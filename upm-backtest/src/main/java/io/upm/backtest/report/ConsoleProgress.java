package io.upm.backtest.report;

import io.upm.backtest.BacktestProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (me.tongfei:progressbar) on a stream, normally stderr, for {@link BacktestProgress}.
 * Use {@link #forConsole} to show it only when the program runs on a terminal. Not thread-safe.
 */
public final class ConsoleProgress implements BacktestProgress {
    private final String task;
    private final PrintStream out;
    private ProgressBar bar;

    /**
     * @param task the label in front of the bar
     * @param out  where the bar is drawn
     */
    public ConsoleProgress(String task, PrintStream out) {
        this.task = task;
        this.out = out;
    }

    /** A bar on stderr when {@code System.console()} is not null, else {@link BacktestProgress#NONE}. */
    public static BacktestProgress forConsole(String task) {
        return System.console() != null ? new ConsoleProgress(task, System.err) : BacktestProgress.NONE;
    }

    @Override
    public void start(int days) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(days).setUnit(" days", 1)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
            .setConsumer(new ConsoleProgressBarConsumer(out)).continuousUpdate().build();
    }

    @Override
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
