package io.upm.backtest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.backtest.BacktestSummary;
import io.upm.backtest.DayResult;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link BacktestSummary} as JSON (the fields of issue 3, item 2, and more, in a fixed order;
 * money in USD rounded to cents, ratios and p-values to 6 significant digits) or as a readable table.
 * Extra sections (e.g. procyclicality) are appended as given. Stateless and thread-safe.
 */
public final class BacktestReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BacktestReportWriter() {
    }

    /** The summary as a JSON object node; {@code extra} sections are added after the standard fields. */
    public static ObjectNode toTree(BacktestSummary s, Map<String, ?> extra) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("strategy", s.strategy());
        o.put("model", s.model());
        o.put("from", s.from().toString());
        o.put("to", s.to().toString());
        o.put("horizonDays", s.horizonDays());
        if (s.isIntraday()) {
            o.put("horizonHours", s.horizonHours());
        }
        o.put("firstDay", s.firstDay() == null ? null : s.firstDay().toString());
        o.put("lastDay", s.lastDay() == null ? null : s.lastDay().toString());
        o.put("days", s.days());
        o.put("skippedDays", s.skippedDays());
        o.put("breaches", s.breaches());
        o.put("expectedBreaches", ratio(s.expectedBreaches()));
        o.put("coverage", ratio(s.coverage()));
        o.put("kupiecPValue", ratio(s.kupiecPValue()));
        o.put("christoffersenPValue", ratio(s.christoffersenPValue()));
        o.put("conditionalCoveragePValue", ratio(s.conditionalCoveragePValue()));
        o.put("trafficLight", s.trafficLight().name());
        o.put("yellowFrom", s.yellowFrom());
        o.put("redFrom", s.redFrom());
        o.put("averageMargin", usd(s.averageMargin()));
        o.put("medianMargin", usd(s.medianMargin()));
        o.put("maxMargin", usd(s.maxMargin()));
        o.put("averageStandardMargin", usd(s.averageStandardMargin()));
        o.put("marginToStandard", s.marginToStandard() == null ? null : ratio(s.marginToStandard()));
        o.put("averageLoss", usd(s.averageLoss()));
        o.put("lossQuantile99", usd(s.lossQuantile99()));
        o.put("maxLoss", usd(s.maxLoss()));
        o.put("marginToLossQuantile", s.marginToLossQuantile() == null ? null : ratio(s.marginToLossQuantile()));
        ArrayNode worst = o.putArray("worstDays");
        for (DayResult d : s.worstDays()) {
            ObjectNode w = worst.addObject();
            w.put("date", d.date().toString());
            if (s.isIntraday()) {
                w.put("time", d.time().toString());
            }
            w.put("loss", usd(d.loss()));
            w.put("margin", usd(d.margin()));
            w.put("breach", d.breach());
        }
        ArrayNode dates = o.putArray("breachDates");
        s.breachDates().forEach(d -> dates.add(d.toString()));
        if (s.isIntraday()) {
            ArrayNode times = o.putArray("breachTimes");
            s.breachTimes().forEach(t -> times.add(t.toString()));
        }
        if (extra != null) {
            extra.forEach((k, v) -> o.set(k, node(v)));
        }
        return o;
    }

    /**
     * A JSON node of a value: records field by field in component order, dates as ISO text, doubles as
     * ratios (6 decimals; null when not finite), maps and lists recursively, anything else as text.
     */
    static JsonNode node(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Record r) {
            ObjectNode o = f.objectNode();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    o.set(c.getName(), node(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
                }
            }
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), node(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = f.arrayNode();
            c.forEach(x -> a.add(node(x)));
            return a;
        }
        if (v instanceof Double || v instanceof Float) {
            BigDecimal d = ratio(((Number) v).doubleValue());
            return d == null ? f.nullNode() : f.numberNode(d);
        }
        if (v instanceof Integer || v instanceof Long) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        return f.textNode(String.valueOf(v));
    }

    /** Pretty JSON, with a final newline. */
    public static String toJson(BacktestSummary s, Map<String, ?> extra) {
        try {
            return MAPPER.writeValueAsString(toTree(s, extra)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A readable table of the summary. */
    public static String toTable(BacktestSummary s, Map<String, ?> extra) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Backtest of %s with model %s, %s to %s (evaluated %s to %s), horizon %s%n",
            s.strategy(), s.model(), s.from(), s.to(), s.firstDay(), s.lastDay(), s.isIntraday()
                ? s.horizonHours() + " hour(s), one bar (" + s.days() + " bars)" : s.horizonDays() + " day(s)"));
        b.append(System.lineSeparator());
        row(b, "days", Integer.toString(s.days()) + (s.skippedDays() > 0 ? " (" + s.skippedDays() + " skipped)" : ""));
        row(b, "breaches", String.format(Locale.ROOT, "%d (expected %.1f at 99%%)", s.breaches(), s.expectedBreaches()));
        row(b, "coverage", String.format(Locale.ROOT, "%.4f", s.coverage()));
        row(b, "Kupiec p-value", String.format(Locale.ROOT, "%.4f", s.kupiecPValue()));
        row(b, "Christoffersen p-value", String.format(Locale.ROOT, "%.4f (independence; conditional coverage %.4f)",
            s.christoffersenPValue(), s.conditionalCoveragePValue()));
        row(b, "traffic light", String.format(Locale.ROOT, "%s (yellow from %d, red from %d breaches)",
            s.trafficLight(), s.yellowFrom(), s.redFrom()));
        row(b, "average MM", money(s.averageMargin()));
        row(b, "median MM", money(s.medianMargin()));
        row(b, "max MM", money(s.maxMargin()));
        row(b, "average standard MM", money(s.averageStandardMargin()) + (s.marginToStandard() == null ? ""
            : String.format(Locale.ROOT, "  (MM / standard %.3f)", s.marginToStandard())));
        row(b, "99% loss quantile", money(s.lossQuantile99()));
        row(b, "max loss", money(s.maxLoss()));
        row(b, "MM / 99% loss", s.marginToLossQuantile() == null ? "n/a (no positive loss quantile)"
            : String.format(Locale.ROOT, "%.3f", s.marginToLossQuantile()));
        if (extra != null) {
            extra.forEach((k, v) -> tableRows(b, k, node(v)));
        }
        b.append(System.lineSeparator()).append("worst days").append(System.lineSeparator());
        String when = s.isIntraday() ? "margin time" : "date";
        int width = s.isIntraday() ? 20 : 10;
        b.append(String.format(Locale.ROOT, "  %-" + width + "s  %16s  %16s  %s%n", when, "loss", "margin", "breach"));
        for (DayResult d : s.worstDays()) {
            b.append(String.format(Locale.ROOT, "  %-" + width + "s  %16s  %16s  %s%n", s.isIntraday() ? d.time() : d.date(),
                money(d.loss()), money(d.margin()), d.breach() ? "BREACH" : ""));
        }
        return b.toString();
    }

    private static void tableRows(StringBuilder b, String label, JsonNode v) {
        if (v.isObject()) {
            v.properties().forEach(e -> tableRows(b, label + "." + e.getKey(), e.getValue()));
        } else {
            row(b, label, v.isTextual() ? v.asText() : v.toString());
        }
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "  %-26s %s%n", label, value));
    }

    private static String money(double usd) {
        return String.format(Locale.ROOT, "%,.2f", usd);
    }

    /** USD rounded to cents (half up). */
    static BigDecimal usd(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP) : null;
    }

    /** A ratio or probability to 6 significant digits (so that a p-value of 3e-9 is not written 0). */
    static BigDecimal ratio(double v) {
        if (!Double.isFinite(v)) {
            return null;
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_UP)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
