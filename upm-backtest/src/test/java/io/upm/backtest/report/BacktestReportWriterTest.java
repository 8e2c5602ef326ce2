package io.upm.backtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.backtest.Backtest;
import io.upm.backtest.BacktestProgress;
import io.upm.backtest.BacktestResult;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.backtest.TestHistories;
import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON and table outputs and the chart. */
class BacktestReportWriterTest {
    static final BacktestResult RESULT = result();

    static BacktestResult result() {
        DailyHistory h = TestHistories.randomWalks(12, 400, 0.04);
        MarginParameters p = MarginParameters.defaults();
        return new Backtest(new HistoricalSnapshots(h), p).run(BuiltInStrategy.SHORT_STRADDLE, new RiskMatrixMarginModel(p),
            h.date(50), h.date(398), 1, BacktestProgress.NONE);
    }

    static Map<String, Object> extra() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("procyclicality", RESULT.procyclicality());
        return m;
    }

    @Test
    void theJsonHoldsEveryFieldOfTheIssueAndIsDeterministic() throws IOException {
        String json = BacktestReportWriter.toJson(RESULT.summary(), extra());
        assertThat(BacktestReportWriter.toJson(result().summary(), extra())).isEqualTo(json);
        JsonNode n = new ObjectMapper().readTree(json);
        for (String f : new String[] {"days", "breaches", "coverage", "kupiecPValue", "christoffersenPValue",
            "trafficLight", "averageMargin", "medianMargin", "maxMargin", "averageStandardMargin", "marginToLossQuantile",
            "worstDays"}) {
            assertThat(n.has(f)).as(f).isTrue();
        }
        assertThat(n.get("days").asInt()).isEqualTo(349);
        assertThat(n.get("coverage").asDouble()).isEqualTo(1 - n.get("breaches").asDouble() / 349, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(n.get("trafficLight").asText()).isIn("green", "yellow", "red");
        assertThat(n.get("worstDays")).hasSize(10);
        JsonNode w = n.get("worstDays").get(0);
        assertThat(w.get("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(w.get("loss").asDouble()).isEqualTo(RESULT.summary().maxLoss(), org.assertj.core.data.Offset.offset(0.005));
        assertThat(w.has("margin")).isTrue();
        assertThat(n.get("procyclicality").get("peakToTroughRatio").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(n.get("procyclicality").get("maxDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void theTableShowsTheSameFigures() {
        String t = BacktestReportWriter.toTable(RESULT.summary(), extra());
        assertThat(t).contains("short-straddle").contains("coverage").contains("Kupiec p-value")
            .contains("traffic light").contains("worst days").contains("procyclicality.peakToTroughRatio")
            .contains(String.format(java.util.Locale.ROOT, "%,.2f", RESULT.summary().averageMargin()));
    }

    @Test
    void smallPValuesKeepTheirSignificantDigits() {
        assertThat(BacktestReportWriter.ratio(3.25e-9).toString()).isEqualTo("3.25E-9");
        assertThat(BacktestReportWriter.ratio(0.9986).doubleValue()).isEqualTo(0.9986);
        assertThat(BacktestReportWriter.ratio(1.0).toString()).isEqualTo("1");
        assertThat(BacktestReportWriter.ratio(Double.NaN)).isNull();
        assertThat(BacktestReportWriter.usd(1234.5678).toString()).isEqualTo("1234.57");
    }

    @Test
    void theChartIsWrittenAsPngOrSvg(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("chart.png");
        BacktestChart.write(RESULT, png);
        byte[] b = Files.readAllBytes(png);
        assertThat(b.length).isGreaterThan(10_000);
        assertThat(new String(b, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Path svg = dir.resolve("chart.svg");
        BacktestChart.write(RESULT, svg);
        assertThat(Files.readString(svg)).contains("<svg").contains("</svg>");
        assertThat(BacktestChart.chart(RESULT).getSeriesMap()).containsKeys("realised loss", "standard (siloed) MM");
        assertThatThrownBy(() -> BacktestChart.write(RESULT, dir.resolve("chart.pdf"))).isInstanceOf(InputException.class)
            .hasMessageStartingWith("--plot");
    }
}
