package io.upm.cli;

import io.upm.backtest.feed.BarInterval;
import io.upm.backtest.feed.FeedQuote;
import io.upm.backtest.feed.FeedRequest;
import io.upm.backtest.feed.QuoteFeed;
import io.upm.backtest.feed.SourceAgreementStudy;
import io.upm.formats.ErrorLine;
import io.upm.input.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm feed}: the price series of a market-data folder as the live engine's {@code quote} commands
 * (FORMATS.md), one JSON object per line on stdout, in time order (then source, then asset), for replaying
 * real history through the multi-source index (docs/index.md). With {@code --study} it replays the daily closes
 * through the index itself ({@link SourceAgreementStudy}) and prints, instead of the quotes, how the sources
 * agreed (docs/prices.md); {@code --plot FILE} draws it as a PNG. Bad input (missing folder, unknown asset or
 * source, bad dates or interval, no quotes in the range, a malformed file) exits with status 2, one line on
 * stderr naming the option or the file, and nothing on stdout.
 */
@Command(name = "feed", mixinStandardHelpOptions = true,
    description = "Print the quote commands (FORMATS.md, JSON Lines) of a market-data folder's price series, in time order.")
final class FeedCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "folder of price CSV files named as in ../shared/data/market (btc_usdt_binance_1d.csv, ...)")
    Path data;

    @Option(names = "--assets", required = true, split = ",", paramLabel = "ASSET", splitSynopsisLabel = ",",
        description = "assets to feed: BTC, ETH, SOL, USDT, USDC, DAI, UST (TerraUSD)")
    List<String> assets;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day (bars that open on it)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day")
    String to;

    @Option(names = "--interval", defaultValue = "1d", paramLabel = "1d|4h|2h|1h",
        description = "Binance bars to feed; the other sources have daily closes only (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--sources", split = ",", paramLabel = "SOURCE", splitSynopsisLabel = ",",
        description = "sources to feed: binance, coinbase, cmc, yahoo, kraken (default: all the folder has)")
    List<String> sources;

    @Option(names = "--study", description = "instead of the quotes, replay the daily closes through the index "
        + "(staleAfter 36 h, MODEL.md otherwise) and print per source its outliers and distance to the index, per "
        + "asset the days ok, degraded and stale (docs/prices.md)")
    boolean study;

    @Option(names = "--plot", paramLabel = "FILE.png",
        description = "with --study: each source's deviation from the index, day by day, per asset with two or more sources")
    Path plot;

    @Override
    public Integer call() {
        LocalDate fromDate = date("--from", from);
        LocalDate toDate = date("--to", to);
        BarInterval bars = option(() -> BarInterval.parse(interval));
        FeedRequest request = option(() -> new FeedRequest(assets, fromDate, toDate, bars,
            sources == null ? Set.of() : Set.copyOf(sources)));
        if (!Files.isDirectory(data)) {
            throw new BadInput("--data: not a directory: " + data);
        }
        if (plot != null && !study) {
            throw new BadInput("--plot: only with --study");
        }
        if (plot != null && !plot.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new BadInput("--plot: a .png file name: " + plot);
        }
        if (study) {
            SourceAgreementStudy.Result result = option(() -> SourceAgreementStudy.run(data, request));
            if (plot != null) {
                option(() -> {
                    SourceAgreementStudy.plot(result, plot);
                    return plot;
                });
            }
            System.out.print(SourceAgreementStudy.table(result));
            System.out.flush();
            return 0;
        }
        List<FeedQuote> quotes = option(() -> QuoteFeed.load(data, request));
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            for (FeedQuote q : quotes) {
                out.write(q.toCommandJson());
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    /** Runs {@code work}; a request field becomes its option ({@code --assets: ...}), a file's field its path. */
    private static <T> T option(Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            String f = e.field();
            if (f.equals("assets") || f.equals("sources") || f.equals("from") || f.equals("to") || f.equals("interval")
                || f.equals("data") || f.equals("plot")) {
                throw new BadInput("--" + f + ": " + e.problem());
            }
            throw new BadInput(ErrorLine.format("", e));
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
