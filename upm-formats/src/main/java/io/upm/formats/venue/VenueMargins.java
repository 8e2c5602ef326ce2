package io.upm.formats.venue;

import io.upm.formats.JsonOutput;
import io.upm.formats.PortfolioReader;
import io.upm.margin.AccountStatus;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The margin of each venue's part of a cross-venue portfolio on its own ("siloed by venue": that venue's positions
 * and balances, margined by UPM as if they were the whole account) beside the one unified margin of the whole
 * portfolio, and the saving = sum of the venues' margins - unified margin (docs/venues.md).
 *
 * <p>Positions without a venue, and balances when the portfolio has no {@code venueBalances}, form the group
 * {@value #UNASSIGNED}, so the groups always split the whole account. Venues are listed by name (the unassigned
 * group last) and summed in that order: the same portfolio gives the same figures, bit for bit, whatever the order
 * of its positions.
 *
 * @param venues   each venue's figures, by name
 * @param siloed   the sums over the venues
 * @param unified  the whole portfolio's figures (those of the margin report)
 * @param saving   siloed minus unified requirements
 */
public record VenueMargins(List<VenueMargin> venues, Totals siloed, Totals unified, Totals saving) {
    /** The name of the group of positions and balances that say no venue. */
    public static final String UNASSIGNED = "(unassigned)";

    /** Immutable. */
    public VenueMargins {
        venues = List.copyOf(venues);
    }

    /**
     * One venue's part margined alone.
     *
     * @param venue             the venue's name
     * @param positions         how many positions it holds
     * @param equity            its equity (USD), MODEL.md section 6 on its balances and positions alone
     * @param initialMargin     its IM (USD)
     * @param maintenanceMargin its MM (USD)
     * @param marginRatio       MM / equity, null when equity &lt;= 0
     * @param status            its status on its own
     * @param standard          its siloed per-position baseline (MODEL.md section 7)
     */
    public record VenueMargin(String venue, int positions, double equity, double initialMargin, double maintenanceMargin,
                              Double marginRatio, AccountStatus status, MarginReport.Requirements standard) {
    }

    /**
     * Equity and requirements (USD).
     *
     * @param equity            equity (for {@code saving}: siloed minus unified equity)
     * @param initialMargin     IM
     * @param maintenanceMargin MM
     */
    public record Totals(double equity, double initialMargin, double maintenanceMargin) {
    }

    /**
     * The per-venue figures of a portfolio document beside its unified report.
     *
     * @param market   the snapshot the unified report was computed on
     * @param document the portfolio with its venue attribution
     * @param params   the margin parameters of the unified report
     * @param unified  the unified report of {@code document.portfolio()}
     */
    public static VenueMargins compute(MarketSnapshot market, PortfolioReader.Document document, MarginParameters params,
                                       MarginReport unified) {
        Portfolio whole = document.portfolio();
        Map<String, List<Position>> positions = new TreeMap<>();
        Map<String, Map<String, Double>> balances = new TreeMap<>();
        for (Position p : whole.positions()) {
            positions.computeIfAbsent(p.venue() == null ? UNASSIGNED : p.venue(), k -> new ArrayList<>()).add(p);
        }
        if (document.venueBalances().isEmpty()) {
            if (!whole.balances().isEmpty()) {
                balances.put(UNASSIGNED, whole.balances());
            }
        } else {
            balances.putAll(document.venueBalances());
        }
        List<String> names = new ArrayList<>(new TreeMap<>(merge(positions, balances)).keySet());
        if (names.remove(UNASSIGNED)) {
            names.add(UNASSIGNED);
        }
        List<VenueMargin> venues = new ArrayList<>();
        double equity = 0;
        double im = 0;
        double mm = 0;
        for (String v : names) {
            Portfolio part = new Portfolio(whole.account(), balances.getOrDefault(v, Map.of()),
                positions.getOrDefault(v, List.of()));
            MarginReport r = MarginCalculator.report(market, part, params);
            venues.add(new VenueMargin(v, part.positions().size(), r.equity(), r.initialMargin(), r.maintenanceMargin(),
                r.marginRatio(), r.status(), r.standard()));
            equity += r.equity();
            im += r.initialMargin();
            mm += r.maintenanceMargin();
        }
        Totals siloed = new Totals(equity, im, mm);
        Totals all = new Totals(unified.equity(), unified.initialMargin(), unified.maintenanceMargin());
        return new VenueMargins(venues, siloed, all, new Totals(equity - all.equity(), im - all.initialMargin(),
            mm - all.maintenanceMargin()));
    }

    private static Map<String, Object> merge(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Object> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    /**
     * Writes the {@code venues} member of the margin report: {@code byVenue} (one object per venue: {@code venue},
     * {@code positions}, {@code equity}, {@code initialMargin}, {@code maintenanceMargin}, {@code marginRatio},
     * {@code status}, {@code standard}), {@code siloed} and {@code unified} ({@code equity}, {@code initialMargin},
     * {@code maintenanceMargin}) and {@code saving} (siloed minus unified, the same three).
     */
    public void write(JsonOutput out) {
        out.startObject("venues");
        out.startArray("byVenue");
        for (VenueMargin v : venues) {
            out.startObject()
                .string("venue", v.venue())
                .integer("positions", v.positions())
                .number("equity", v.equity())
                .number("initialMargin", v.initialMargin())
                .number("maintenanceMargin", v.maintenanceMargin())
                .numberOrNull("marginRatio", v.marginRatio())
                .string("status", v.status().wireName())
                .startObject("standard")
                .number("initialMargin", v.standard().initialMargin())
                .number("maintenanceMargin", v.standard().maintenanceMargin())
                .endObject()
                .endObject();
        }
        out.endArray();
        totals(out, "siloed", siloed);
        totals(out, "unified", unified);
        totals(out, "saving", saving);
        out.endObject();
    }

    private static void totals(JsonOutput out, String name, Totals t) {
        out.startObject(name)
            .number("equity", t.equity())
            .number("initialMargin", t.initialMargin())
            .number("maintenanceMargin", t.maintenanceMargin())
            .endObject();
    }
}
