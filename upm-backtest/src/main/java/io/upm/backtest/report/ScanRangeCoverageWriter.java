package io.upm.backtest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.backtest.ScanRangeCoverage;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes the scan-range coverage of {@code upm backtest --scan-coverage} as JSON (moves and coverages as ratios
 * to 6 significant digits, times as ISO text) or as a table with one column per underlying. Stateless and
 * thread-safe.
 */
public final class ScanRangeCoverageWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScanRangeCoverageWriter() {
    }

    /** The coverages of several underlyings over one horizon and period, as a JSON object. */
    public static ObjectNode toTree(List<ScanRangeCoverage> all) {
        ObjectNode o = MAPPER.createObjectNode();
        ScanRangeCoverage first = all.get(0);
        o.put("horizon", first.horizon().code());
        o.put("from", first.from().toString());
        o.put("to", first.to().toString());
        ArrayNode assets = o.putArray("assets");
        for (ScanRangeCoverage c : all) {
            ObjectNode a = assets.addObject();
            a.put("asset", c.asset());
            a.put("windows", c.windows());
            a.put("firstWindow", c.firstWindow().toString());
            a.put("lastWindow", c.lastWindow().toString());
            a.put("absMoveQuantile99", BacktestReportWriter.ratio(c.absMoveQuantile99()));
            a.put("absMoveQuantile995", BacktestReportWriter.ratio(c.absMoveQuantile995()));
            a.put("largestFall", BacktestReportWriter.ratio(c.largestFall()));
            a.put("largestFallStart", c.largestFallStart().toString());
            a.put("largestRise", BacktestReportWriter.ratio(c.largestRise()));
            a.put("largestRiseStart", c.largestRiseStart().toString());
            ArrayNode rows = a.putArray("ranges");
            for (ScanRangeCoverage.RangeCoverage r : c.ranges()) {
                ObjectNode row = rows.addObject();
                row.put("scanRange", BacktestReportWriter.ratio(r.scanRange()));
                row.put("coverage", BacktestReportWriter.ratio(r.coverage()));
                row.put("fallsBeyond", r.fallsBeyond());
                row.put("risesBeyond", r.risesBeyond());
            }
        }
        return o;
    }

    /** Pretty JSON, with a final newline. */
    public static String toJson(List<ScanRangeCoverage> all) {
        try {
            return MAPPER.writeValueAsString(toTree(all)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A readable table: the moves of each underlying, then the coverage of each scan range per underlying. */
    public static String toTable(List<ScanRangeCoverage> all) {
        StringBuilder b = new StringBuilder();
        ScanRangeCoverage first = all.get(0);
        b.append(String.format(Locale.ROOT, "Scan-range coverage at horizon %s, windows starting %s to %s "
            + "(non-overlapping, Binance closes)%n%n", first.horizon().code(), first.from(), first.to()));
        b.append(String.format(Locale.ROOT, "  %-6s %8s %12s %13s  %-28s  %-28s%n", "asset", "windows", "99% |move|",
            "99.5% |move|", "largest fall (window start)", "largest rise (window start)"));
        for (ScanRangeCoverage c : all) {
            b.append(String.format(Locale.ROOT, "  %-6s %8d %11.2f%% %12.2f%%  %-28s  %-28s%n", c.asset(), c.windows(),
                100 * c.absMoveQuantile99(), 100 * c.absMoveQuantile995(),
                String.format(Locale.ROOT, "%.2f%% (%s)", 100 * c.largestFall(), c.largestFallStart()),
                String.format(Locale.ROOT, "%.2f%% (%s)", 100 * c.largestRise(), c.largestRiseStart())));
        }
        b.append(System.lineSeparator()).append("  coverage (share of windows with -R <= move <= R)")
            .append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "  %-8s", "R"));
        for (ScanRangeCoverage c : all) {
            b.append(String.format(Locale.ROOT, " %10s", c.asset()));
        }
        b.append(System.lineSeparator());
        for (int k = 0; k < first.ranges().size(); k++) {
            b.append(String.format(Locale.ROOT, "  %-8s", String.format(Locale.ROOT, "%.1f%%",
                100 * first.ranges().get(k).scanRange())));
            for (ScanRangeCoverage c : all) {
                b.append(String.format(Locale.ROOT, " %10.4f", c.ranges().get(k).coverage()));
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
