package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upm hedge}: the FORMATS.md document, the check by {@code upm margin}, tables and bad input. */
class HedgeCommandTest {
    private static final String MARKET = CliTest.EXAMPLES.resolve("market.json").toString();
    private static final String DISTRESSED = CliTest.EXAMPLES.resolve("portfolios/distressed.json").toString();

    @Test
    void jsonHasTheContractsFieldsAndUpmMarginAgreesWithTheAfterMargin(@TempDir Path dir) throws Exception {
        CliRunner.Run r = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper om = new ObjectMapper();
        JsonNode h = om.readTree(r.out());
        assertThat(h.get("goal").asText()).isEqualTo("healthy");
        assertThat(h.get("goalReached").asBoolean()).isTrue();
        assertThat(h.get("trades")).isNotEmpty().hasSizeLessThanOrEqualTo(4);
        double total = 0;
        for (JsonNode t : h.get("trades")) {
            assertThat(t.has("instrument") && t.has("size") && t.has("price") && t.has("cost")).isTrue();
            total += t.get("cost").asDouble();
        }
        assertThat(h.get("totalCost").asDouble()).isEqualTo(total);
        assertThat(h.get("before").get("status").asText()).isEqualTo("liquidation");
        assertThat(h.get("after").get("status").asText()).isEqualTo("healthy");
        // the hedged portfolio, margined by upm margin, gives the "after" report's MM and equity exactly
        Path hedged = dir.resolve("hedged.json");
        Files.writeString(hedged, om.writeValueAsString(h.get("hedgedPortfolio")));
        CliRunner.Run m = run("margin", "--market", MARKET, "--portfolio", hedged.toString(), "--format", "json");
        assertThat(m.status()).as(m.err()).isZero();
        JsonNode report = om.readTree(m.out());
        assertThat(report.get("maintenanceMargin").asDouble()).isEqualTo(h.get("after").get("maintenanceMargin").asDouble());
        assertThat(report.get("equity").asDouble()).isEqualTo(h.get("after").get("equity").asDouble());
        assertThat(report).isEqualTo(h.get("after"));
        // equity after = equity before - the trades' cost (at the mark, no haircut at these balances)
        assertThat(h.get("after").get("equity").asDouble())
            .isCloseTo(h.get("before").get("equity").asDouble() - total, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void sameRunSameBytes() {
        String[] args = {"hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--goal", "target-ratio:0.5",
            "--format", "json"};
        assertThat(run(args).out()).isEqualTo(run(args).out());
    }

    @Test
    void tableShowsTradesBeforeAfterAndTheCheck() {
        CliRunner.Run r = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--instruments",
            "ETH_USDC-PERPETUAL,SOL_USDC-PERPETUAL,ETH_USDC-4DEC26-3000-P,ETH_USDC-4DEC26-3200-C", "--max-trades", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Hedge of account distressed, goal healthy").contains("REACHED with")
            .contains("maintenance margin MM").contains("check: upm margin on the hedged portfolio gives MM");
        assertThat(r.out().lines().filter(l -> l.startsWith("  ETH_USDC") || l.startsWith("  SOL_USDC")).count())
            .isBetween(1L, 3L);
    }

    @Test
    void anAccountAlreadyHealthyNeedsNothing() {
        CliRunner.Run r = run("hedge", "--market", MARKET, "--portfolio",
            CliTest.EXAMPLES.resolve("portfolios/hedged-iron-condor.json").toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("ALREADY MET");
    }

    @Test
    void badInputExitsWithStatusTwoNamingTheField() {
        CliRunner.Run goal = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--goal", "rich");
        assertThat(goal.status()).isEqualTo(2);
        assertThat(goal.out()).isEmpty();
        assertThat(goal.err()).startsWith("--goal: goal:").contains("rich");
        CliRunner.Run k = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--max-trades", "0");
        assertThat(k.status()).isEqualTo(2);
        assertThat(k.err()).contains("--max-trades");
        CliRunner.Run ins = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--instruments", "ETH-XYZ");
        assertThat(ins.status()).isEqualTo(2);
        assertThat(ins.err()).startsWith("--instruments: instruments[0]");
        CliRunner.Run novol = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--instruments",
            "DOGE_USDC-25DEC26-1-C");
        assertThat(novol.status()).isEqualTo(2);
        assertThat(novol.err()).startsWith("--instruments: instruments[0]");
        CliRunner.Run both = run("hedge", "--market", MARKET, "--portfolio", DISTRESSED, "--listed", "--instruments",
            "ETH_USDC-PERPETUAL");
        assertThat(both.status()).isEqualTo(2);
        assertThat(run("hedge", "--market", "nope.json", "--portfolio", DISTRESSED).err())
            .startsWith("upm: market file nope.json: cannot read");
    }
}
