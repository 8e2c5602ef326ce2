package io.upm.cli;

import io.upm.formats.ErrorLine;
import io.upm.formats.PortfolioReader;
import io.upm.formats.venue.CrossVenuePortfolio;
import io.upm.formats.venue.Venue;
import io.upm.formats.venue.VenueExports;
import io.upm.formats.venue.VenueHoldings;
import io.upm.input.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code upm import}: one portfolio across venues from each venue's own position and balance export
 * (docs/venues.md). {@code --venue V FILE...} may be repeated, each FILE read as an export of the venue named
 * just before it: {@code upm import --venue deribit d.json --venue okx o1.json o2.json}. Prints the FORMATS.md
 * portfolio whose positions carry their venue, plus {@code venueBalances}; {@code upm margin} on it shows the
 * per-venue margins beside the unified one. Bad input (an unknown venue, an unreadable or malformed export, an
 * instrument the venue's reader does not know) exits with status 2 and one line on stderr naming the file and
 * the field, and nothing on stdout.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "One portfolio (FORMATS.md) from venues' position and balance exports: --venue V FILE... [--venue V FILE...]")
final class ImportCommand implements Callable<Integer> {
    /** One {@code --venue V FILE...} group. */
    static final class VenueFiles {
        @Option(names = "--venue", required = true, paramLabel = "deribit|okx|binance|bybit",
            description = "the venue of the export files that follow")
        String venue;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "the venue's export (JSON, see docs/venues.md)")
        List<Path> files;
    }

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<VenueFiles> groups;

    @Option(names = "--account", defaultValue = "cross-venue", paramLabel = "ID",
        description = "account id of the portfolio (default: ${DEFAULT-VALUE})")
    String account;

    @Override
    public Integer call() {
        if (account.isBlank()) {
            throw new BadInput("upm: --account: account id is blank");
        }
        List<VenueHoldings> holdings = new ArrayList<>();
        for (VenueFiles g : groups) {
            Venue venue;
            try {
                venue = Venue.of(g.venue, "--venue");
            } catch (InputException e) {
                throw new BadInput("upm: " + ErrorLine.format("", e));
            }
            for (Path file : g.files) {
                Inputs.readable(venue.wireName() + " export", file);
                holdings.add(Inputs.guarded(file.toString(), () -> VenueExports.read(venue, file)));
            }
        }
        PortfolioReader.Document document;
        try {
            document = CrossVenuePortfolio.combine(account, holdings);
        } catch (InputException e) {
            // only a sum of balances beyond the accepted range can fail here
            throw new BadInput("upm: import: " + ErrorLine.format("", e));
        }
        System.out.print(CrossVenuePortfolio.toJson(document));
        System.out.flush();
        return 0;
    }
}
