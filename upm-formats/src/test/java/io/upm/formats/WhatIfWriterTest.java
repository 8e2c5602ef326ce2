package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.WhatIf;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The what-if document: two reports, the change, and the verdict. */
class WhatIfWriterTest {
    private static final MarketSnapshot MARKET = MarketReader.read(Fixtures.file("market.json"));
    private static final Portfolio PORTFOLIO = PortfolioReader.read(Fixtures.file("portfolio.json"));

    @Test
    void writesBeforeAfterChangeAndVerdict() throws Exception {
        MarginCalculator.Order order = new MarginCalculator.Order(
            InstrumentNames.parse("BTC_USDC-PERPETUAL", "add[0].instrument"), 1.0, Double.NaN);
        WhatIf w = WhatIf.evaluate(MARKET, PORTFOLIO, List.of(order), MarginParameters.defaults());

        String json = WhatIfWriter.toJson(w);
        JsonNode tree = new ObjectMapper().readTree(json);

        List<String> keys = new ArrayList<>();
        tree.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("before", "after", "change", "accepted", "reason");
        assertThat(tree.get("change").get("maintenanceMargin").doubleValue()).isEqualTo(w.maintenanceMarginChange());
        assertThat(tree.get("change").get("initialMargin").doubleValue()).isEqualTo(w.initialMarginChange());
        assertThat(tree.get("accepted").booleanValue()).isEqualTo(w.accepted());
        assertThat(tree.get("reason").textValue()).isEqualTo(w.reason());
        assertThat(json).endsWith("}\n").startsWith("{\n  \"before\": {\n    \"account\": \"acct-7\",");

        MarginReport before = MarginReportReader.fromTree(tree.get("before"), "before");
        MarginReport after = MarginReportReader.fromTree(tree.get("after"), "after");
        assertThat(before.maintenanceMargin()).isEqualTo(w.before().maintenanceMargin());
        assertThat(after.positions()).isEqualTo(w.after().positions());
        assertThat(after.positions()).hasSize(4);
        // each embedded report is exactly the stand-alone report, indented one level
        String standalone = MarginReportWriter.toJson(w.after()).strip().replace("\n", "\n  ");
        assertThat(json).contains("\"after\": " + standalone + ",\n");
    }
}
