package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route and every error of the HTTP API (FORMATS.md "HTTP API"), by keys of every role. */
class ServiceHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestVenue v;

    @BeforeAll
    static void start() throws Exception {
        v = TestVenue.start("http", TestVenue.generous(), true);
    }

    @AfterAll
    static void stop() {
        v.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String field, String messagePart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = json(r).get("error");
        assertThat(e).as(r.body()).isNotNull();
        assertThat(e.get("field").asText()).isEqualTo(field);
        assertThat(e.get("message").asText()).contains(messagePart);
    }

    private long lastSeq() throws Exception {
        return json(v.get("/health", null)).get("lastSeq").asLong();
    }

    @Test
    void withoutAValidKeyEveryV1RouteAnswers401() throws Exception {
        String forged = v.operator.substring(0, v.operator.length() - 2) + "xx";
        for (String key : new String[] {null, "nonsense", forged, "upm_000000000000_abc"}) {
            assertError(v.get("/v1/accounts", key), 401, "Authorization", key == null ? "missing" : "not a valid");
            assertError(v.get("/v1/accounts/alice", key), 401, "Authorization", "");
            assertError(v.get("/v1/accounts/alice/history", key), 401, "Authorization", "");
            assertError(v.get("/v1/index", key), 401, "Authorization", "");
            assertError(v.get("/v1/feed", key), 401, "Authorization", "");
            assertError(v.post("/v1/commands", key, TestVenue.SETUP.get(1)), 401, "Authorization", "");
            assertError(v.post("/v1/accounts/alice/orders", key, "{}"), 401, "Authorization", "");
            assertError(v.post("/v1/accounts/alice/whatif", key, "{}"), 401, "Authorization", "");
        }
    }

    @Test
    void aTraderCannotReachAnotherAccountByAnyRouteAndGetsTheSameAnswerAsForNoAccount() throws Exception {
        long before = lastSeq();
        String order = "{\"id\":\"x1\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":0.1,\"price\":90000}";
        String whatIf = "{\"add\":[{\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1}]}";
        for (String target : new String[] {"bob", "nobody"}) {
            List<HttpResponse<String>> answers = List.of(v.get("/v1/accounts/" + target, v.alice),
                v.get("/v1/accounts/" + target + "/history", v.alice),
                v.post("/v1/accounts/" + target + "/orders", v.alice, order),
                v.post("/v1/accounts/" + target + "/whatif", v.alice, whatIf));
            for (HttpResponse<String> r : answers) {
                assertError(r, 404, "account", "no such account");
                assertThat(r.body()).isEqualTo("{\"error\":{\"field\":\"account\",\"message\":\"no such account\"}}");
            }
        }
        // the list shows only its own account; commands are refused
        JsonNode list = json(v.get("/v1/accounts", v.alice)).get("accounts");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("account").asText()).isEqualTo("alice");
        assertError(v.post("/v1/commands", v.alice, TestVenue.SETUP.get(1).replace("alice", "bob")), 403, "", "operator");
        // the feed holds nothing of bob's for alice
        for (JsonNode e : json(v.get("/v1/feed", v.alice)).get("events")) {
            assertThat(e.path("account").asText("alice")).isEqualTo("alice");
        }
        assertThat(lastSeq()).as("nothing reached the journal").isEqualTo(before);
    }

    @Test
    void aViewerReadsEveryAccountButMayNotSendOrdersOrCommands() throws Exception {
        JsonNode list = json(v.get("/v1/accounts", v.viewer)).get("accounts");
        Set<String> ids = new TreeSet<>();
        list.forEach(a -> ids.add(a.get("account").asText()));
        assertThat(ids).contains("alice", "bob");
        assertThat(v.get("/v1/accounts/bob", v.viewer).statusCode()).isEqualTo(200);
        assertError(v.post("/v1/accounts/bob/orders", v.viewer,
            "{\"id\":\"v1\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":0.1,\"price\":90000}"), 403, "", "viewer");
        assertError(v.post("/v1/commands", v.viewer, TestVenue.SETUP.get(1)), 403, "", "operator");
    }

    @Test
    void theAccountsReportIsTheEnginesOwnReportCommandAnswer() throws Exception {
        HttpResponse<String> r = v.get("/v1/accounts/alice", v.alice);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode api = json(r);
        // the same account through the journaled report command, at the engine's own time
        String clock = v.service.engine().clock().get().orElseThrow().toString();
        JsonNode events = json(v.post("/v1/commands", v.operator,
            "{\"type\":\"report\",\"time\":\"" + clock + "\",\"account\":\"alice\"}")).get("events");
        JsonNode viaCommand = events.get(events.size() - 1).get("report").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) viaCommand).set("openOrdersInitialMargin",
            events.get(events.size() - 1).get("openOrdersInitialMargin"));
        assertThat(api).isEqualTo(viaCommand);
        assertThat(api.get("units").get("BTC").get("pnl")).hasSize(9);
        assertThat(api.get("units").get("BTC").get("pnl").get(0)).hasSize(3);
        // the list's row for alice: her last margin event (valued at the market's time, not the report's)
        JsonNode row = json(v.get("/v1/accounts", v.operator)).get("accounts").get(0);
        assertThat(row.get("account").asText()).isEqualTo("alice");
        assertThat(row.get("status").asText()).isEqualTo(api.get("status").asText());
        assertThat(row.get("maintenanceMargin").asDouble()).isCloseTo(api.get("maintenanceMargin").asDouble(),
            org.assertj.core.data.Percentage.withPercentage(0.01));
    }

    @Test
    void aWhatIfStartsFromTheAccountsReportAndChangesNothing() throws Exception {
        // value the market at the engine's time: the what-if's valuation time is the market's, the report's the clock
        String clock = v.service.engine().clock().get().orElseThrow().toString();
        assertThat(v.post("/v1/commands", v.operator, "{\"type\":\"market\",\"time\":\"" + clock
            + "\",\"prices\":{\"BTC\":90000}}").statusCode()).isEqualTo(200);
        JsonNode report = json(v.get("/v1/accounts/alice", v.alice));
        ((com.fasterxml.jackson.databind.node.ObjectNode) report).remove("openOrdersInitialMargin");
        long before = lastSeq();
        HttpResponse<String> r = v.post("/v1/accounts/alice/whatif", v.alice,
            "{\"add\":[{\"instrument\":\"BTC_USDC-25DEC26-60000-P\",\"size\":5}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode w = json(r);
        assertThat(w.get("before")).isEqualTo(report);
        double change = w.get("after").get("maintenanceMargin").asDouble() - w.get("before").get("maintenanceMargin").asDouble();
        assertThat(w.get("change").get("maintenanceMargin").asDouble()).isEqualTo(change);
        assertThat(change).as("a long put hedges the short strangle").isNegative();
        boolean covered = w.get("after").get("equity").asDouble() >= w.get("after").get("initialMargin").asDouble();
        assertThat(w.get("accepted").asBoolean()).isEqualTo(covered || change < 0);
        assertThat(lastSeq()).as("a what-if is not journaled").isEqualTo(before);
    }

    @Test
    void anOrderGoesThroughTheEngineWithTheEnginesTimeAndComesBackWithItsEvents() throws Exception {
        HttpResponse<String> r = v.post("/v1/accounts/bob/orders", v.bob,
            "{\"id\":\"b-1\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":-10,\"price\":3000}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        long seq = body.get("firstSeq").asLong();
        assertThat(body.get("lastSeq").asLong()).isEqualTo(seq);
        JsonNode e = body.get("events").get(0);
        assertThat(e.get("type").asText()).isEqualTo("accepted");
        assertThat(e.get("seq").asLong()).isEqualTo(seq);
        assertThat(e.get("account").asText()).isEqualTo("bob");
        assertThat(e.get("id").asText()).isEqualTo("b-1");
        // a business rejection is a result (200 with the rejected event), not an HTTP error
        HttpResponse<String> big = v.post("/v1/accounts/bob/orders", v.bob,
            "{\"id\":\"b-2\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":100000,\"price\":3000}");
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(json(big).get("events").get(0).get("type").asText()).isEqualTo("rejected");
    }

    @Test
    void badOrdersAreRefusedWith400NamingTheFieldAsTheEngineWouldAndReachNoJournal() throws Exception {
        long before = lastSeq();
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{\"id\":\"a\",\"instrument\":\"BTC-32DEC26\",\"size\":1,\"price\":1}"),
            400, "instrument", "");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{\"id\":\"a\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":0,\"price\":1}"),
            400, "size", "");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{\"id\":\"a\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1}"),
            400, "price", "");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{\"id\":\"a\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,\"price\":1,\"colour\":1}"),
            400, "colour", "");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{\"account\":\"bob\",\"id\":\"a\"}"), 400, "account", "path");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "{not json"), 400, "", "");
        assertError(v.post("/v1/accounts/alice/orders", v.alice, "[1]"), 400, "", "object");
        // the same words as the engine's reader for the same command line
        String line = "{\"type\":\"order\",\"time\":\"2026-11-25T09:00:00Z\",\"account\":\"alice\",\"id\":\"a\","
            + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":\"1\",\"price\":1}";
        ReadResult.Malformed m = (ReadResult.Malformed) CommandReader.read(line);
        HttpResponse<String> r = v.post("/v1/accounts/alice/orders", v.alice,
            "{\"time\":\"2026-11-25T09:00:00Z\",\"id\":\"a\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":\"1\",\"price\":1}");
        assertError(r, 400, m.field(), m.reason());
        assertThat(lastSeq()).isEqualTo(before);
    }

    @Test
    void badWhatIfsAreRefusedWith400NamingTheField() throws Exception {
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{}"), 400, "add", "");
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{\"add\":[]}"), 400, "add", "at least one");
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{\"add\":[{\"instrument\":\"BTC-PERPETUAL\",\"size\":1},"
            + "{\"instrument\":\"BTC-26DEX26-1-C\",\"size\":1}]}"), 400, "add[1].instrument", "");
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{\"add\":[{\"instrument\":\"BTC-PERPETUAL\",\"size\":0}]}"),
            400, "add[0].size", "non-zero");
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{\"add\":[{\"instrument\":\"BTC-PERPETUAL\",\"size\":1,\"price\":-2}]}"),
            400, "add[0].price", "positive");
        assertError(v.post("/v1/accounts/alice/whatif", v.alice, "{\"add\":[{\"instrument\":\"DOGE-PERPETUAL\",\"size\":1}]}"),
            400, "add[0]", "");
    }

    @Test
    void anOperatorsCommandsAreCheckedAllBeforeAnyIsJournaled() throws Exception {
        long before = lastSeq();
        String good = "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:05Z\",\"account\":\"carol\",\"asset\":\"USDC\",\"amount\":10}";
        String bad = "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:05Z\",\"account\":\"carol\",\"asset\":\"USDC\",\"amount\":-1}";
        ReadResult.Malformed m = (ReadResult.Malformed) CommandReader.read(bad);
        assertError(v.post("/v1/commands", v.operator, "[" + good + "," + good + "," + bad + "]"), 400,
            "[2]." + m.field(), m.reason());
        assertError(v.post("/v1/commands", v.operator, "[]"), 400, "", "at least one");
        assertError(v.post("/v1/commands", v.operator, "{\"type\":\"teleport\",\"time\":\"2026-11-25T08:00:05Z\"}"), 400,
            "type", "unknown command type");
        assertThat(lastSeq()).isEqualTo(before);
        assertThat(json(v.get("/v1/accounts", v.viewer)).get("accounts").size()).isEqualTo(2);
        // a single command, then an array: the events of those commands only, seq by seq
        JsonNode one = json(v.post("/v1/commands", v.operator, good));
        assertThat(one.get("firstSeq").asLong()).isEqualTo(before + 1);
        JsonNode two = json(v.post("/v1/commands", v.operator, "[" + good + "," + good + "]"));
        assertThat(two.get("firstSeq").asLong()).isEqualTo(before + 2);
        assertThat(two.get("lastSeq").asLong()).isEqualTo(before + 3);
        for (JsonNode e : two.get("events")) {
            assertThat(e.get("seq").asLong()).isBetween(before + 2, before + 3);
        }
        assertThat(json(v.get("/v1/accounts/carol", v.viewer)).get("equity").asDouble()).isEqualTo(30.0);
    }

    @Test
    void requestsOverTheSizeLimitAre413AndChangeNothing() throws Exception {
        long before = lastSeq();
        String huge = "[" + String.join(",", java.util.Collections.nCopies(2000, TestVenue.SETUP.get(1))) + "]";
        assertThat(huge.length()).isGreaterThan(ServiceConfig.defaults().maxBodyBytes());
        HttpResponse<String> r = v.post("/v1/commands", v.operator, huge);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(lastSeq()).isEqualTo(before);
    }

    @Test
    void theIndexFeedHealthAndMetricsRoutesAnswer() throws Exception {
        JsonNode index = json(v.get("/v1/index", v.alice)).get("assets");
        List<String> assets = new ArrayList<>();
        index.forEach(a -> assets.add(a.get("asset").asText()));
        assertThat(assets).containsExactly("BTC", "ETH", "USDC");
        assertThat(index.get(0).get("price").asDouble()).isEqualTo(90000.0);
        assertThat(index.get(0).get("status").asText()).isEqualTo("ok");
        JsonNode feed = json(v.get("/v1/feed", v.viewer));
        assertThat(feed.get("insuranceFund").asDouble()).isEqualTo(0.0);
        JsonNode health = json(v.get("/health", null));
        assertThat(health.get("status").asText()).isEqualTo("up");
        assertThat(health.get("lastSeq").asLong()).isGreaterThanOrEqualTo(TestVenue.SETUP.size());
        String metrics = v.get("/metrics", null).body();
        assertThat(metrics).contains("upm_accounts{status=\"healthy\"}", "upm_journal_lag_commands",
            "upm_index_status{asset=\"BTC\",status=\"ok\"} 1.0", "upm_index_price_usd{asset=\"BTC\"} 90000.0",
            "upm_liquidations_total", "upm_insurance_fund_usd", "upm_engine_applied_seq");
        assertThat(metrics).doesNotContain("alice", "bob");
        assertError(v.get("/v1/nothing-here", v.viewer), 404, "", "no such route");
    }

    @Test
    void theOpenApiDocumentIsTheOneInDocsAndNamesEveryRoute() throws Exception {
        String served = v.get("/openapi.json", null).body();
        Path docs = Path.of("..", "docs", "openapi.json");
        assertThat(served).isEqualTo(Files.readString(docs));
        JsonNode paths = JSON.readTree(served).get("paths");
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            documented.add(it.next());
        }
        assertThat(documented).containsExactlyInAnyOrder("/v1/commands", "/v1/accounts", "/v1/accounts/{id}",
            "/v1/accounts/{id}/history", "/v1/accounts/{id}/orders", "/v1/accounts/{id}/hedge",
            "/v1/accounts/{id}/options", "/v1/accounts/{id}/whatif", "/v1/index", "/v1/feed", "/v1/stream", "/metrics", "/health", "/openapi.json", "/");
        assertThat(v.get("/", null).body()).contains("UPM risk desk");
        assertThat(v.get("/app.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void pastAKeysRateLimitRequestsAre429AndOtherKeysAreNotSlowedDown() throws Exception {
        ServiceConfig tight = ServiceConfig.defaults().withRateLimit(1, 5).withRevalueMillis(0);
        try (TestVenue t = TestVenue.start("rate", tight, false)) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 12; i++) {
                int s = t.get("/v1/index", t.viewer).statusCode();
                ok += s == 200 ? 1 : 0;
                limited += s == 429 ? 1 : 0;
            }
            assertThat(ok).isBetween(5, 7); // the burst, and at most a refill or two while the loop runs
            assertThat(limited).isEqualTo(12 - ok);
            HttpResponse<String> r = t.get("/v1/index", t.viewer);
            assertError(r, 429, "", "rate limit");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(t.get("/v1/index", t.operator).statusCode()).isEqualTo(200);
        }
    }
}
