package io.upm.formats.venue;

import io.upm.formats.JsonOutput;
import io.upm.formats.PortfolioReader;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One portfolio across venues: the holdings of several venue exports merged into one FORMATS.md portfolio whose
 * positions carry their venue, with {@code venueBalances} saying where each balance sits ({@code upm import}).
 *
 * <p>Balances are summed per asset in the order the exports are given (so the document always says the same
 * bytes for the same exports in the same order); positions keep the exports' order.
 */
public final class CrossVenuePortfolio {
    private CrossVenuePortfolio() {
    }

    /**
     * The portfolio document of several venues' holdings; two exports of the same venue (two sub-accounts) are
     * merged under that venue.
     *
     * @param account  the account id of the portfolio
     * @param holdings the holdings, in command-line order
     */
    public static PortfolioReader.Document combine(String account, List<VenueHoldings> holdings) {
        Map<String, Double> totals = new LinkedHashMap<>();
        Map<String, Map<String, Double>> byVenue = new LinkedHashMap<>();
        List<Position> positions = new ArrayList<>();
        for (VenueHoldings h : holdings) {
            Map<String, Double> venue = byVenue.computeIfAbsent(h.venue().wireName(), k -> new LinkedHashMap<>());
            h.balances().forEach((asset, amount) -> {
                venue.merge(asset, amount, Double::sum);
                totals.merge(asset, amount, Double::sum);
            });
            positions.addAll(h.positions());
        }
        return new PortfolioReader.Document(new Portfolio(account, totals, positions), byVenue);
    }

    /**
     * The portfolio document as JSON (FORMATS.md's portfolio plus {@code venue} and {@code venueBalances}):
     * {@code account}, {@code balances}, {@code venueBalances}, {@code positions} with {@code instrument},
     * {@code size}, {@code entryPrice} (perpetuals and futures) and {@code venue}; pretty-printed, numbers in
     * shortest round-trip form, ending with a newline. {@link PortfolioReader#readDocument(String)} reads it back
     * to the same document.
     */
    public static String toJson(PortfolioReader.Document d) {
        Portfolio p = d.portfolio();
        JsonOutput out = JsonOutput.pretty().startObject().string("account", p.account());
        out.startObject("balances");
        p.balances().forEach(out::number);
        out.endObject();
        if (!d.venueBalances().isEmpty()) {
            out.startObject("venueBalances");
            d.venueBalances().forEach((venue, amounts) -> {
                out.startObject(venue);
                amounts.forEach(out::number);
                out.endObject();
            });
            out.endObject();
        }
        out.startArray("positions");
        for (Position q : p.positions()) {
            out.startObject().string("instrument", q.instrument().name()).number("size", q.size());
            if (!Double.isNaN(q.entryPrice())) {
                out.number("entryPrice", q.entryPrice());
            }
            if (q.venue() != null) {
                out.string("venue", q.venue());
            }
            out.endObject();
        }
        out.endArray();
        return out.endObject().finish();
    }
}
