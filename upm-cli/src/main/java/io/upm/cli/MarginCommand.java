package io.upm.cli;

import io.upm.formats.MarginReportWriter;
import io.upm.formats.PortfolioReader;
import io.upm.formats.venue.VenueMargins;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upm margin}: the portfolio margin report of one account; for a cross-venue portfolio (positions with a
 * {@code venue}, docs/venues.md) also each venue's part margined alone, beside the unified margin.
 */
@Command(name = "margin", mixinStandardHelpOptions = true,
    description = "Portfolio margin of one account: the report of FORMATS.md as JSON, or a readable table.")
final class MarginCommand implements Callable<Integer> {
    @Mixin
    AccountFiles files;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        Path market = files.market;
        Path portfolio = files.portfolio;
        Path params = files.params;
        MarketSnapshot m = Inputs.market(market);
        Inputs.readable(Inputs.PORTFOLIO, portfolio);
        PortfolioReader.Document d = Inputs.guarded(portfolio.toString(), () -> PortfolioReader.readDocument(portfolio));
        Portfolio p = d.portfolio();
        MarginParameters x = Inputs.params(params);
        MarginReport report = Inputs.combined(portfolio, market, () -> MarginCalculator.report(m, p, x));
        if (d.hasVenues()) {
            // a cross-venue portfolio (docs/venues.md): each venue's part margined alone beside the unified margin
            VenueMargins venues = Inputs.combined(portfolio, market, () -> VenueMargins.compute(m, d, x, report));
            System.out.print(format == OutputFormat.json ? MarginReportWriter.toJson(report, venues::write)
                : ReportTable.render(report, venues));
            System.out.flush();
            return 0;
        }
        System.out.print(format == OutputFormat.json ? MarginReportWriter.toJson(report) : ReportTable.render(report));
        System.out.flush();
        return 0;
    }
}
