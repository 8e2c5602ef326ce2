package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.cli.CliRunner.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code upm simulate} end to end on a made-up BTC crash (hourly bars), and its one-line errors. */
class SimulateCommandTest {
    @TempDir
    static Path data;

    /** Ten quiet days of hourly BTC bars, then 2030-01-11 with a 30% fall over six hours. */
    @BeforeAll
    static void writeData() throws IOException {
        StringBuilder b = new StringBuilder("timestamp,open,high,low,close,volume\n");
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        double p = 50_000;
        for (int h = 0; h < 11 * 24; h++) {
            double open = p;
            int w = h - 10 * 24;
            double close = w >= 2 && w < 8 ? open * 0.942 : open * (1 + 0.001 * ((h * 7919) % 11 - 5));
            b.append(String.format(Locale.ROOT, "%s,%.2f,%.2f,%.2f,%.2f,%.4f%n", t.plusSeconds(3600L * h), open,
                Math.max(open, close) * 1.001, Math.min(open, close) * 0.999, close, 2e9 / 24 / close));
            p = close;
        }
        Files.writeString(data.resolve("btc_usdt_binance_1h.csv"), b.toString());
    }

    static String[] args(String... rest) {
        List<String> a = new ArrayList<>(List.of("simulate", "--data", data.toString()));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void comparesThePoliciesAsJsonAndDrawsTheChart() throws IOException {
        Path png = data.resolve("out/sim.png");
        Run r = run(args("--from", "2030-01-11", "--to", "2030-01-11", "--accounts", "60", "--policy", "all",
            "--format", "json", "--plot", png.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("comparison")).hasSize(3);
        List<String> policies = new ArrayList<>();
        for (JsonNode p : j.get("comparison")) {
            policies.add(p.get("policy").asText());
            assertThat(p.get("venue").get("underlyings").get("BTC").get("source").asText()).isEqualTo("btc_usdt_binance_1h.csv");
            assertThat(p.get("venue").get("underlyings").get("BTC").get("realLowVsStart").asDouble()).isLessThan(-0.25);
            assertThat(p.get("accounts").get("liquidated").asInt()).as("the fall liquidates").isPositive();
            for (String f : new String[] {"liquidation", "extraPriceMove", "badDebt", "insuranceFund", "autoDeleveraging",
                "marginCalls", "timeToResolve"}) {
                assertThat(p.has(f)).as(f).isTrue();
            }
        }
        assertThat(policies).containsExactly("upm", "close-out", "siloed");
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
        assertThat(head[2]).isEqualTo((byte) 'N');
        // the same seed, the same output
        Run again = run(args("--from", "2030-01-11", "--to", "2030-01-11", "--accounts", "60", "--policy", "all",
            "--format", "json"));
        assertThat(again.out()).isEqualTo(r.out());
        Run table = run(args("--from", "2030-01-11", "--to", "2030-01-11", "--accounts", "60"));
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("bad debt (USD)", "upm");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--policy|bogus|--policy",
        "--accounts|5|--accounts",
        "--from|2030-01-12|--from",
        "--to|2031-01-01|--to",
        "--plot|x.txt|--plot",
        "--oi-share|-1|--oi-share",
        "--guard-adv-fraction|0|--guard-adv-fraction"})
    void badInputNamesTheOptionAndPrintsNothing(String option, String value, String named) {
        List<String> a = new ArrayList<>(List.of("--from", "2030-01-11", "--to", "2030-01-11"));
        int k = a.indexOf(option);
        if (k >= 0) {
            a.set(k + 1, value);
        } else {
            a.add(option);
            a.add(value);
        }
        Run r = run(args(a.toArray(String[]::new)));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(named).doesNotContain("Exception");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aWindowOutsideTheDataNamesFrom() {
        Run r = run(args("--from", "2029-06-01", "--to", "2029-06-02"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--from").contains("covers");
    }
}
