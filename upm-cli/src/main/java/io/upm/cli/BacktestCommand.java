package io.upm.cli;

import io.upm.backtest.Backtest;
import io.upm.backtest.BacktestParametersFile;
import io.upm.backtest.BacktestResult;
import io.upm.backtest.BacktestSettingsReader;
import io.upm.backtest.BacktestSummary;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.backtest.Horizon;
import io.upm.backtest.IntradayBacktest;
import io.upm.backtest.IntradayBars;
import io.upm.backtest.MarginModel;
import io.upm.backtest.ScanRangeCoverage;
import io.upm.backtest.carry.MarketCarry;
import io.upm.backtest.model.BacktestModelSettings;
import io.upm.backtest.model.MarginModels;
import io.upm.backtest.report.BacktestChart;
import io.upm.backtest.report.BacktestReportWriter;
import io.upm.backtest.report.ConsoleProgress;
import io.upm.backtest.report.ScanRangeCoverageWriter;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.backtest.strategy.FixedPortfolioStrategy;
import io.upm.backtest.strategy.Strategy;
import io.upm.formats.ErrorLine;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Portfolio;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm backtest}: replays a strategy or a portfolio over daily history, or over intraday bars
 * ({@code --horizon 1h|2h|4h}), and measures a margin model against the realised losses (issue 3, issue 9;
 * docs/validation.md), optionally with real carry ({@code --carry real}: funding, perpetual basis, a basis model
 * of futures); or, with {@code --scan-coverage}, measures which scan ranges cover each underlying's moves over
 * the horizon. Bad input (missing data, a bad date, a reversed or out-of-data range, an unknown strategy or
 * model) exits with status 2 and one line on stderr naming the option or file.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = "Backtest a margin model on daily history: breaches, coverage tests, margin levels.")
final class BacktestCommand implements Callable<Integer> {
    /** The scan ranges of {@code --scan-coverage} when {@code --scan-ranges} is not given. */
    static final List<Double> DEFAULT_SCAN_RANGES = List.of(0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.08,
        0.10, 0.12, 0.16, 0.18, 0.25);

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "folder of daily CSV files named as in ../shared/data/market (btc/eth/sol_usdt_binance_1d.csv,"
            + " btc/eth_dvol_deribit_1d.csv)")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Holdings holdings;

    /** Exactly one of --portfolio, --strategy and --scan-coverage. */
    static final class Holdings {
        @Option(names = "--scan-coverage",
            description = "no strategy: measure which scan ranges (--scan-ranges) cover each underlying's price moves "
                + "over the horizon (non-overlapping windows of the 1d, 4h, 2h or 1h bars)")
        boolean scanCoverage;

        @Option(names = "--portfolio", paramLabel = "P.json", description = "a portfolio (FORMATS.md) held with fixed sizes")
        Path portfolio;

        @Option(names = "--strategy", paramLabel = "NAME",
            description = "a built-in strategy (docs/strategies.md): long-perp, cash-and-carry, short-straddle, "
                + "covered-call, risk-reversal, short-strangle-hedged, btc-eth-hedge, long-spot-loan, calendar-spread")
        String strategy;
    }

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day")
    String to;

    @Option(names = "--horizon", defaultValue = "1d", paramLabel = "Nd|1h|2h|4h",
        description = "P&L horizon: days on the daily closes, or one intraday bar of Binance's 1h, 2h or 4h files "
            + "(static matrix model only) (default: ${DEFAULT-VALUE})")
    String horizon;

    @Option(names = "--carry", defaultValue = "flat", paramLabel = "flat|real",
        description = "flat: forwards and perpetual marks at the index, no funding (default); real: the perpetual's "
            + "funding and basis from the data folder and the funding-based basis model of futures (docs/validation.md)")
    String carry;

    @Option(names = "--scan-ranges", split = ",", paramLabel = "R,R,...",
        description = "scan ranges (fractions) for --scan-coverage (default: 0.01 to 0.25)")
    List<Double> scanRanges;

    @Option(names = "--model", paramLabel = "NAME",
        description = "margin model: matrix, matrix-vol, fhs, max (default: the parameters' backtest.model, else matrix)")
    String model;

    @Option(names = "--params", paramLabel = "X.json|X.yaml",
        description = "margin parameters overriding MODEL.md's defaults; an optional 'backtest' section selects the "
            + "model and its options")
    Path params;

    @Option(names = "--backtest-params", paramLabel = "B.json|B.yaml",
        description = "backtest model settings (model, fhs, scanRanges), replacing the --params file's 'backtest' section")
    Path backtestParams;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
        description = "draw the margin against the realised loss over time, breaches marked")
    Path plot;

    @Override
    public Integer call() {
        LocalDate fromDate = date("--from", from);
        LocalDate toDate = date("--to", to);
        if (fromDate.isAfter(toDate)) {
            throw new BadInput("--from: " + fromDate + " is after --to " + toDate);
        }
        Horizon h = cli("--horizon", () -> Horizon.parse(horizon));
        if (!carry.equals("flat") && !carry.equals("real")) {
            throw new BadInput("--carry: expected flat or real, got \"" + carry + "\"");
        }
        if (holdings.scanCoverage) {
            return scanCoverage(h, fromDate, toDate);
        }
        int horizonDays = h.isIntraday() ? 1 : h.days();
        if (plot != null && !BacktestChart.supports(plot)) {
            throw new BadInput("--plot: the file must end in .png or .svg: " + plot);
        }
        MarginParameters marginParams = MarginParameters.defaults();
        BacktestModelSettings settings = null;
        if (params != null) {
            Inputs.readable(Inputs.PARAMS, params);
            BacktestParametersFile.Contents c = Inputs.guarded(params.toString(), () -> BacktestParametersFile.read(params));
            marginParams = c.margin();
            settings = c.settings();
        }
        if (backtestParams != null) {
            Inputs.readable("backtest params file", backtestParams);
            settings = Inputs.guarded(backtestParams.toString(), () -> BacktestSettingsReader.read(backtestParams));
        }
        if (settings == null) {
            settings = BacktestModelSettings.defaults();
        }
        MarginParameters x = marginParams;
        BacktestModelSettings given = settings;
        String modelName = model != null ? model : given.model();
        // the models measure the same horizon as the backtest (FHS only where it is used: it allows up to 30 days)
        boolean usesFhs = modelName.equals("fhs") || modelName.equals("max");
        BacktestModelSettings s = cli("--horizon", () -> new BacktestModelSettings(given.model(),
            usesFhs ? given.fhs().withHorizon(horizonDays, given.fhs().horizonScaling()) : given.fhs(),
            given.scanRanges() == null ? null : given.scanRanges().withHorizonDays(horizonDays)));
        MarginModel marginModel = cli("--model", () -> MarginModels.create(modelName, x, s));
        if (h.isIntraday() && !marginModel.name().equals("matrix")) {
            throw new BadInput("--model: an intraday horizon (" + h + ") is backtested with the static matrix only "
                + "(the volatility-aware ranges and FHS are calibrated in days), got " + marginModel.name());
        }
        Strategy strategy = strategy(x);
        Inputs.readableFolder("data folder", data);
        DailyHistory history = Inputs.guarded("", () -> DailyHistory.load(data));
        MarketCarry marketCarry = carry.equals("real") ? Inputs.guarded("", () -> MarketCarry.load(data)) : null;
        HistoricalSnapshots snapshots = new HistoricalSnapshots(history, marketCarry);
        BacktestResult result;
        if (h.isIntraday()) {
            IntradayBars bars = Inputs.guarded("", () -> IntradayBars.load(data, h.barInterval()));
            IntradayBacktest backtest = new IntradayBacktest(snapshots, bars, x);
            result = run(() -> backtest.run(strategy, marginModel, fromDate, toDate,
                ConsoleProgress.forConsole("backtest " + strategy.name() + " " + h)));
        } else {
            Backtest backtest = new Backtest(snapshots, x);
            result = run(() -> backtest.run(strategy, marginModel, fromDate, toDate, horizonDays,
                ConsoleProgress.forConsole("backtest " + strategy.name())));
        }
        BacktestSummary summary = result.summary();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (marketCarry != null) {
            extra.put("carry", "real");
        }
        if (!h.isIntraday()) {
            extra.put("procyclicality", result.procyclicality());
        }
        if (plot != null) {
            cli("--plot", () -> {
                BacktestChart.write(result, plot);
                return null;
            });
        }
        System.out.print(format == OutputFormat.json ? BacktestReportWriter.toJson(summary, extra)
            : BacktestReportWriter.toTable(summary, extra));
        System.out.flush();
        return 0;
    }

    /** {@code --scan-coverage}: the coverage of each scan range per underlying over the horizon. */
    private int scanCoverage(Horizon h, LocalDate fromDate, LocalDate toDate) {
        if (plot != null) {
            throw new BadInput("--plot: not available with --scan-coverage");
        }
        List<Double> ranges = scanRanges == null || scanRanges.isEmpty() ? DEFAULT_SCAN_RANGES : scanRanges;
        double[] r = ranges.stream().mapToDouble(Double::doubleValue).toArray();
        Inputs.readableFolder("data folder", data);
        List<ScanRangeCoverage> all = run(() -> ScanRangeCoverage.measure(data, h, fromDate, toDate, r));
        System.out.print(format == OutputFormat.json ? ScanRangeCoverageWriter.toJson(all)
            : ScanRangeCoverageWriter.toTable(all));
        System.out.flush();
        return 0;
    }

    private Strategy strategy(MarginParameters x) {
        if (holdings.strategy != null) {
            return BuiltInStrategy.byName(holdings.strategy).orElseThrow(() -> new BadInput("--strategy: unknown strategy \""
                + holdings.strategy + "\"; expected one of " + BuiltInStrategy.names()));
        }
        Portfolio p = Inputs.portfolio(holdings.portfolio);
        String name = holdings.portfolio.getFileName().toString().replaceFirst("\\.json$", "");
        return new FixedPortfolioStrategy(name, p, x.stablecoins());
    }

    private <T> T run(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            String f = e.field();
            String source = f.startsWith("--") ? ""
                : f.contains(".csv") ? ""
                : holdings.portfolio != null && (f.startsWith("positions") || f.startsWith("balances"))
                    ? holdings.portfolio.toString() : data.toString();
            throw new BadInput(ErrorLine.format(source, e));
        }
    }

    private static <T> T cli(String option, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            throw new BadInput(option + ": " + e.problem());
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
