package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.input.InputException;
import io.upm.margin.AccountStatus;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The margin report's JSON: FORMATS.md's shape, full precision, and a lossless round trip. */
class MarginReportWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MarketSnapshot MARKET = MarketReader.read(Fixtures.file("market.json"));
    private static final Portfolio PORTFOLIO = PortfolioReader.read(Fixtures.file("portfolio.json"));
    private static final MarginReport REPORT = MarginCalculator.report(MARKET, PORTFOLIO, MarginParameters.defaults());

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static List<String> keys(JsonNode object) {
        List<String> k = new ArrayList<>();
        object.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static MarginReport withUnits(MarginReport r, Map<String, MarginReport.Unit> units) {
        return new MarginReport(r.account(), r.time(), r.equity(), r.initialMargin(), r.maintenanceMargin(),
            r.marginRatio(), r.status(), r.standard(), units, r.crossUnit(), r.borrowingCharge(), r.positions(),
            r.balances());
    }

    private static MarginReport withEquity(MarginReport r, double equity, Double ratio, AccountStatus status) {
        return new MarginReport(r.account(), r.time(), equity, r.initialMargin(), r.maintenanceMargin(), ratio, status,
            r.standard(), r.units(), r.crossUnit(), r.borrowingCharge(), r.positions(), r.balances());
    }

    private static MarginReport withPositions(MarginReport r, List<MarginReport.PositionLine> positions) {
        return new MarginReport(r.account(), r.time(), r.equity(), r.initialMargin(), r.maintenanceMargin(),
            r.marginRatio(), r.status(), r.standard(), r.units(), r.crossUnit(), r.borrowingCharge(), positions,
            r.balances());
    }

    /** Asserts every member of the contract's example is in {@code actual}, with the same JSON type. */
    private static void assertHasShapeOf(JsonNode example, JsonNode actual, String path) {
        if (example.isObject()) {
            assertThat(actual.isObject()).as("%s is an object", path).isTrue();
            for (Map.Entry<String, JsonNode> e : example.properties()) {
                assertThat(actual.has(e.getKey())).as("%s.%s present", path, e.getKey()).isTrue();
                assertHasShapeOf(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey());
            }
        } else if (example.isArray()) {
            assertThat(actual.isArray()).as("%s is an array", path).isTrue();
            assertThat(actual.size()).as("%s is not empty", path).isPositive();
            for (int i = 0; i < actual.size(); i++) {
                assertHasShapeOf(example.get(0), actual.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual.getNodeType()).as("%s type", path).isEqualTo(example.getNodeType());
        }
    }

    @Test
    void hasExactlyTheShapeOfFormatsMd() throws Exception {
        JsonNode example = tree(Files.readString(Fixtures.file("formats-report-example.json")));
        JsonNode actual = tree(MarginReportWriter.toJson(REPORT));

        assertHasShapeOf(example, actual, "");
        // member order as in FORMATS.md, with the added fields where the brief puts them: balances (the haircut of
        // each balance, MODEL.md section 10) last
        List<String> rootKeys = new ArrayList<>(keys(example));
        rootKeys.add("balances");
        assertThat(keys(actual)).containsExactlyElementsOf(rootKeys);
        assertThat(keys(actual.get("balances").get(0))).containsExactly("asset", "amount", "price", "value", "haircut",
            "haircutUsd", "haircutTerm", "tierHaircut", "volatilityHaircut", "depegHaircut", "sizeHaircut", "sigma");
        assertThat(keys(actual.get("units"))).containsExactly("BTC", "ETH");
        assertThat(keys(actual.get("units").get("BTC"))).containsExactlyElementsOf(keys(example.get("units").get("BTC")));
        assertThat(keys(actual.get("units").get("BTC").get("greeks")))
            .containsExactly("delta", "gamma", "vega", "theta", "vanna", "volga");
        assertThat(keys(actual.get("standard"))).containsExactlyElementsOf(keys(example.get("standard")));
        // FORMATS.md's four cross-unit fields, then how each J was resolved (MODEL.md section 5: exact or bounded)
        List<String> crossKeys = new ArrayList<>(keys(example.get("crossUnit")));
        crossKeys.addAll(List.of("jointLossMethod", "stressedJointLossMethod"));
        assertThat(keys(actual.get("crossUnit"))).containsExactlyElementsOf(crossKeys);
        assertThat(actual.get("crossUnit").get("jointLossMethod").asText()).isIn("exact", "bounded");
        assertThat(keys(actual.get("positions").get(0))).containsExactly("instrument", "size", "value", "delta", "gamma",
            "vega", "theta", "vanna", "volga", "marginContribution");
        assertThat(actual.get("status").asText()).isEqualTo(REPORT.status().wireName());
        assertThat(actual.get("time").asText()).isEqualTo("2025-11-25T08:00:00Z");
    }

    @Test
    void writesTheNineByThreeMatrixAsPnlJV() throws Exception {
        JsonNode btc = tree(MarginReportWriter.toJson(REPORT)).get("units").get("BTC");
        MarginReport.Unit unit = REPORT.units().get("BTC");

        assertThat(btc.get("priceMoves")).hasSize(9);
        assertThat(btc.get("priceMoves").get(0).doubleValue()).isEqualTo(-0.16);
        assertThat(btc.get("priceMoves").get(8).doubleValue()).isEqualTo(0.16);
        assertThat(btc.get("volStates").toString()).isEqualTo("[\"down\",\"none\",\"up\"]");
        assertThat(btc.get("pnl")).hasSize(9);
        for (int j = 0; j < 9; j++) {
            assertThat(btc.get("pnl").get(j)).hasSize(3);
            for (int v = 0; v < 3; v++) {
                assertThat(btc.get("pnl").get(j).get(v).doubleValue()).isEqualTo(unit.pnl()[j][v]);
            }
        }
    }

    @Test
    void roundTripsEveryFieldExactly() {
        MarginReport back = MarginReportReader.read(MarginReportWriter.toJson(REPORT), "report.json");

        assertThat(back.account()).isEqualTo(REPORT.account());
        assertThat(back.time()).isEqualTo(REPORT.time());
        assertThat(back.equity()).isEqualTo(REPORT.equity());
        assertThat(back.initialMargin()).isEqualTo(REPORT.initialMargin());
        assertThat(back.maintenanceMargin()).isEqualTo(REPORT.maintenanceMargin());
        assertThat(back.marginRatio()).isEqualTo(REPORT.marginRatio());
        assertThat(back.status()).isEqualTo(REPORT.status());
        assertThat(back.standard()).isEqualTo(REPORT.standard());
        assertThat(back.crossUnit()).isEqualTo(REPORT.crossUnit());
        assertThat(back.borrowingCharge()).isEqualTo(REPORT.borrowingCharge());
        assertThat(back.positions()).isEqualTo(REPORT.positions());
        assertThat(REPORT.balances()).isNotEmpty();
        assertThat(back.balances()).isEqualTo(REPORT.balances());
        assertThat(back.units().keySet()).containsExactlyElementsOf(REPORT.units().keySet());
        for (String asset : REPORT.units().keySet()) {
            MarginReport.Unit a = REPORT.units().get(asset);
            MarginReport.Unit b = back.units().get(asset);
            assertThat(b.priceMoves()).containsExactly(a.priceMoves());
            assertThat(b.volStates()).isEqualTo(a.volStates());
            assertThat(b.pnl()).isDeepEqualTo(a.pnl());
            assertThat(b.worstLoss()).isEqualTo(a.worstLoss());
            assertThat(b.worstCell()).isEqualTo(a.worstCell());
            assertThat(b.extendedLoss()).isEqualTo(a.extendedLoss());
            assertThat(b.shortOptionMinimum()).isEqualTo(a.shortOptionMinimum());
            assertThat(b.coreCharge()).isEqualTo(a.coreCharge());
            assertThat(b.rollShock()).isEqualTo(a.rollShock());
            assertThat(b.liquidityAddOn()).isEqualTo(a.liquidityAddOn());
            assertThat(b.greeks()).isEqualTo(a.greeks());
        }
        // and the bytes are stable across a second trip
        assertThat(MarginReportWriter.toJson(back)).isEqualTo(MarginReportWriter.toJson(REPORT));
    }

    @Test
    void writesNumbersAtFullPrecision() {
        double awkward = 0.1 + 0.2;
        String json = MarginReportWriter.toJson(withEquity(REPORT, awkward, REPORT.maintenanceMargin() / awkward,
            REPORT.status()));

        assertThat(json).contains("\"equity\": 0.30000000000000004,");
        assertThat(json).contains("\"equity\": " + awkward).contains("\"borrowingCharge\": 1200.0,");
    }

    @Test
    void writesNegativeZeroAsZero() {
        String json = MarginReportWriter.toJson(withEquity(REPORT, -0.0, null, REPORT.status()));

        assertThat(json).contains("\"equity\": 0.0,").doesNotContainPattern("-0\\.0(?!\\d)");
    }

    @Test
    void writesTheSameReportOnOneLineIntoAnotherDocument() throws Exception {
        JsonOutput out = JsonOutput.compact().startObject().integer("seq", 1).fieldName("report");
        MarginReportWriter.write(out, REPORT);
        String line = out.endObject().finish();

        assertThat(line).doesNotContain("\n");
        assertThat(tree(line).get("report")).isEqualTo(tree(MarginReportWriter.toJson(REPORT)));
        assertThat(line).isEqualTo("{\"seq\":1,\"report\":" + tree(MarginReportWriter.toJson(REPORT)).toString() + "}");
    }

    @Test
    void isDeterministicPrettyAndEndsWithANewline() {
        String a = MarginReportWriter.toJson(REPORT);
        String b = MarginReportWriter.toJson(MarginCalculator.report(MARKET, PORTFOLIO, MarginParameters.defaults()));

        assertThat(a).isEqualTo(b);
        assertThat(a).startsWith("{\n  \"account\": \"acct-7\",\n  \"time\": ").endsWith("\n}\n").doesNotContain("\n\n");
        assertThat(a).contains("\"volStates\": [\"down\", \"none\", \"up\"],");
        assertThat(a).contains("      \"pnl\": [\n        [");
    }

    @Test
    void writesUnitsSortedWhateverTheMapOrder() throws Exception {
        Map<String, MarginReport.Unit> reversed = new LinkedHashMap<>();
        reversed.put("ETH", REPORT.units().get("ETH"));
        reversed.put("BTC", REPORT.units().get("BTC"));

        String json = MarginReportWriter.toJson(withUnits(REPORT, reversed));

        assertThat(json).isEqualTo(MarginReportWriter.toJson(REPORT));
        assertThat(keys(tree(json).get("units"))).containsExactly("BTC", "ETH");
    }

    @Test
    void aReportWithoutBalanceLinesHasNoBalancesMemberAndAnUnknownTermIsRejected() throws Exception {
        MarginReport none = new MarginReport(REPORT.account(), REPORT.time(), REPORT.equity(), REPORT.initialMargin(),
            REPORT.maintenanceMargin(), REPORT.marginRatio(), REPORT.status(), REPORT.standard(), REPORT.units(),
            REPORT.crossUnit(), REPORT.borrowingCharge(), REPORT.positions());
        String json = MarginReportWriter.toJson(none);
        assertThat(tree(json).has("balances")).isFalse();
        assertThat(MarginReportReader.read(json, "r").balances()).isEmpty();
        String full = MarginReportWriter.toJson(REPORT);
        assertThatThrownBy(() -> MarginReportReader.read(full.replaceFirst("\"haircutTerm\": \"tier\"",
            "\"haircutTerm\": \"mood\""), "r")).isInstanceOf(InputException.class)
            .hasMessageContaining("balances[0].haircutTerm");
    }

    @Test
    void writesANullMarginRatioAndReadsItBack() {
        MarginReport bankrupt = withEquity(REPORT, -5000.0, null, AccountStatus.BANKRUPT);

        String json = MarginReportWriter.toJson(bankrupt);

        assertThat(json).contains("\"marginRatio\": null,").contains("\"status\": \"bankrupt\",");
        MarginReport back = MarginReportReader.read(json, "report.json");
        assertThat(back.marginRatio()).isNull();
        assertThat(back.status()).isEqualTo(AccountStatus.BANKRUPT);
        assertThat(back.equity()).isEqualTo(-5000.0);
    }

    @Test
    void writesAnEmptyPortfolio() throws Exception {
        MarginReport empty = MarginCalculator.report(MARKET, new Portfolio("empty", Map.of(), List.of()),
            MarginParameters.defaults());

        JsonNode json = tree(MarginReportWriter.toJson(empty));

        assertThat(json.get("positions").isArray()).isTrue();
        assertThat(json.get("positions")).isEmpty();
        assertThat(MarginReportWriter.toJson(empty)).contains("\"positions\": []\n");
        assertThat(MarginReportReader.read(MarginReportWriter.toJson(empty), "r").positions()).isEmpty();
    }

    @Test
    void refusesToWriteANonFiniteNumberNamingIt() {
        MarginReport.Unit btc = REPORT.units().get("BTC");
        double[][] pnl = new double[9][];
        for (int j = 0; j < 9; j++) {
            pnl[j] = btc.pnl()[j].clone();
        }
        pnl[1][2] = Double.NaN;
        Map<String, MarginReport.Unit> units = new LinkedHashMap<>(REPORT.units());
        units.put("BTC", new MarginReport.Unit(btc.priceMoves(), btc.volStates(), pnl, btc.worstLoss(), btc.worstCell(),
            btc.extendedLoss(), btc.shortOptionMinimum(), btc.coreCharge(), btc.rollShock(), btc.liquidityAddOn(),
            btc.greeks()));
        assertThatThrownBy(() -> MarginReportWriter.toJson(withUnits(REPORT, units)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("units.BTC.pnl[1][2] is NaN");

        assertThatThrownBy(() -> MarginReportWriter.toJson(withEquity(REPORT, Double.POSITIVE_INFINITY, 0.0,
            AccountStatus.HEALTHY))).isInstanceOf(IllegalStateException.class).hasMessageContaining("equity is Infinity");
        assertThatThrownBy(() -> MarginReportWriter.toJson(withEquity(REPORT, 1.0, Double.NaN, AccountStatus.HEALTHY)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("marginRatio is NaN");

        List<MarginReport.PositionLine> lines = new ArrayList<>(REPORT.positions());
        MarginReport.PositionLine p = lines.get(1);
        MarginReport.Greeks g = p.greeks();
        lines.set(1, new MarginReport.PositionLine(p.instrument(), p.size(), p.value(),
            new MarginReport.Greeks(g.delta(), g.gamma(), Double.NEGATIVE_INFINITY, g.theta(), g.vanna(), g.volga()),
            p.marginContribution()));
        assertThatThrownBy(() -> MarginReportWriter.toJson(withPositions(REPORT, lines)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("positions[1].vega is -Infinity");
    }

    // ---- the reader is as strict as the input readers

    @Test
    void theReaderRejectsUnknownMissingAndMisshapenFields() throws Exception {
        String json = MarginReportWriter.toJson(REPORT);

        rejected(() -> MarginReportReader.read(json.replace("\"borrowingCharge\"", "\"borrowingCharges\""), "r"),
            "borrowingCharges", "unknown field");
        rejected(() -> MarginReportReader.read(json.replaceFirst("\"worstLoss\"", "\"worstLos\""), "r"),
            "units.BTC.worstLos", "unknown field");
        rejected(() -> MarginReportReader.read(json.replace("\"status\": \"healthy\"", "\"status\": \"HEALTHY\""), "r"),
            "status", "unknown status");
        ObjectNode tree = (ObjectNode) tree(json);
        ((ArrayNode) tree.get("units").get("ETH").get("pnl").get(3)).remove(2);
        rejected(() -> MarginReportReader.read(tree.toString(), "r"), "units.ETH.pnl[3]", "has 2 cells for 3 vol states");
        ObjectNode noCrossUnit =
            (ObjectNode) tree(json);
        noCrossUnit.remove("crossUnit");
        rejected(() -> MarginReportReader.read(noCrossUnit.toString(), "r"), "crossUnit", "missing required field");
    }
}
