package io.upm.cli;

import io.upm.backtest.simulate.CrashSimulator;
import io.upm.backtest.simulate.LiquidationPolicy;
import io.upm.backtest.simulate.MarketPaths;
import io.upm.backtest.simulate.SimulationChart;
import io.upm.backtest.simulate.SimulationReportWriter;
import io.upm.backtest.simulate.SimulationResult;
import io.upm.backtest.simulate.SimulationSettings;
import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.formats.ErrorLine;
import io.upm.input.InputException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm simulate}: the crash simulator (issue 9; docs/simulation.md). A synthetic venue driven through the real
 * intraday price paths of a window, liquidations pushing the price; one policy, or all three side by side. Bad input
 * exits with status 2 and one line on stderr naming the option or file.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Simulate liquidations on a synthetic venue through a real crash: bad debt, impact, fund, ADL.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "folder of the intraday CSV files of ../shared/data/market (btc/eth/sol_usdt_binance_1h/2h/4h.csv)")
    Path data;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day (from 00:00 UTC)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day (to 24:00 UTC)")
    String to;

    @Option(names = "--accounts", defaultValue = "400", paramLabel = "N",
        description = "accounts on the venue, 4 market makers included (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--policy", defaultValue = "upm", paramLabel = "upm|close-out|siloed|all",
        description = "liquidation policy, or all three side by side (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw the price, liquidated notional and fund")
    Path plot;

    @Option(names = "--params", paramLabel = "FILE",
        description = "margin parameters (JSON or YAML) the venue is margined with, e.g. examples/params-intraday.yaml")
    Path params;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "the venue's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--oi-share", defaultValue = "0.10", paramLabel = "X",
        description = "the venue's gross notional as a fraction of the ADVs (default: ${DEFAULT-VALUE})")
    double oiShare;

    @Option(names = "--fund-share", defaultValue = "0.0025", paramLabel = "X",
        description = "the insurance fund at the start, fraction of the gross notional (default: ${DEFAULT-VALUE})")
    double fundShare;

    @Option(names = "--step-minutes", defaultValue = "5", paramLabel = "M",
        description = "every account is re-margined every M minutes (default: ${DEFAULT-VALUE})")
    int stepMinutes;

    @Option(names = "--guard-adv-fraction", defaultValue = "0.1", paramLabel = "X",
        description = "cascade guard: liquidated notional per underlying and minute, as a fraction of ADV / 1440 "
            + "(MODEL.md: ${DEFAULT-VALUE})")
    double guardAdvFraction;

    @Option(names = "--target-fraction", defaultValue = "0.5", paramLabel = "X",
        description = "liquidation stops at equity >= MM + X (IM - MM) (MODEL.md: ${DEFAULT-VALUE})")
    double targetFraction;

    @Option(names = "--hedge-first", description = "also run the upm policy with every account opted in to hedge first"
        + " (liquidation hedges with perpetuals and futures when that is cheaper than closing; docs/engine.md)")
    boolean hedgeFirst;

    @Option(names = "--hedge-options", description = "with --hedge-first: the hedge may also trade the listed linear"
        + " calls and puts of the account's underlyings (two nearest expiries, within the scan range)")
    boolean hedgeOptions;

    @Override
    public Integer call() {
        LocalDate fromDate = date("--from", from);
        LocalDate toDate = date("--to", to);
        if (fromDate.isAfter(toDate)) {
            throw new BadInput("--from: " + fromDate + " is after --to " + toDate);
        }
        List<LiquidationPolicy> policies = policy.equals("all") ? Arrays.asList(LiquidationPolicy.values())
            : List.of(cli(() -> LiquidationPolicy.byName(policy)));
        if (plot != null && !plot.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new BadInput("--plot: the file must end in .png: " + plot);
        }
        SimulationSettings settings = cli(() -> new SimulationSettings(accounts, seed, oiShare, fundShare, stepMinutes,
            60.0, liquidationParameters(guardAdvFraction, targetFraction),
            params == null ? io.upm.margin.params.MarginParameters.defaults() : Inputs.params(params), hedgeFirst,
            hedgeOptions));
        Inputs.readableFolder("data folder", data);
        MarketPaths paths;
        try {
            paths = MarketPaths.load(data, fromDate, toDate);
        } catch (InputException e) {
            throw new BadInput(e.field().startsWith("--") ? e.field() + ": " + e.problem()
                : ErrorLine.format(data.toString(), e));
        }
        List<SimulationResult> results = CrashSimulator.run(paths, settings, policies);
        if (plot != null) {
            cli(() -> {
                SimulationChart.write(results, plot);
                return null;
            });
        }
        System.out.print(format == OutputFormat.json ? SimulationReportWriter.toJson(results)
            : SimulationReportWriter.toTable(results));
        System.out.flush();
        return 0;
    }

    private static <T> T cli(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            throw new BadInput(e.field() + ": " + e.problem());
        }
    }

    /** MODEL.md section 11's parameters with another cascade-guard fraction and target. */
    private static LiquidationParameters liquidationParameters(double fraction, double target) {
        LiquidationParameters d = LiquidationParameters.defaults();
        try {
            return new LiquidationParameters(d.halfSpread(), d.impactFactor(), d.feeRate(), d.maxSliceFraction(),
                d.wholeBelowUsd(), target, fraction, d.marginCallSigmas(), d.marginCallHorizonDays());
        } catch (InputException e) {
            throw new BadInput((e.field().equals("targetFraction") ? "--target-fraction: " : "--guard-adv-fraction: ")
                + e.problem());
        }
    }

    private static LocalDate date(String option, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadInput(option + ": not a date YYYY-MM-DD: \"" + text + "\"");
        }
    }
}
