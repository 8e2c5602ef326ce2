package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hedge routes (docs/api.md): {@code GET /v1/accounts/{id}/hedge} (the engine's journaled {@code hedge} query)
 * and {@code POST /v1/accounts/{id}/options} (the {@code account} command, hedge first), under the service's keys and
 * roles; bad parameters are 400s naming the field and reach no journal.
 */
class ServiceHedgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestVenue v;

    @BeforeAll
    static void start() throws Exception {
        v = TestVenue.start("hedge", TestVenue.generous(), true);
    }

    @AfterAll
    static void stop() {
        v.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private long lastSeq() throws Exception {
        return json(v.get("/health", null)).get("lastSeq").asLong();
    }

    private static void assertError(HttpResponse<String> r, int status, String field, String part) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("error").get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(json(r).get("error").get("message").asText()).as(r.body()).contains(part);
    }

    @Test
    void theHedgeQueryIsTheEnginesJournaledHedgeEvent() throws Exception {
        long before = lastSeq();
        HttpResponse<String> r = v.get("/v1/accounts/alice/hedge?goal=min-mm&maxTrades=2", v.alice);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode h = json(r);
        assertThat(h.get("type").asText()).isEqualTo("hedge");
        assertThat(h.get("account").asText()).isEqualTo("alice");
        assertThat(h.get("goal").asText()).isEqualTo("min-mm");
        assertThat(h.get("trades").size()).isLessThanOrEqualTo(2);
        assertThat(h.get("maintenanceMarginAfter").asDouble())
            .isLessThanOrEqualTo(h.get("maintenanceMarginBefore").asDouble() * (1 + 1e-9));
        assertThat(h.get("seq").asLong()).isEqualTo(before + 1).isEqualTo(lastSeq());
        // the default goal is healthy; a viewer may ask too
        HttpResponse<String> viewer = v.get("/v1/accounts/alice/hedge", v.viewer);
        assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(200);
        assertThat(json(viewer).get("goal").asText()).isEqualTo("healthy");
    }

    @Test
    void badHedgeParametersAndForeignAccountsAreRefusedBeforeTheJournal() throws Exception {
        long before = lastSeq();
        assertError(v.get("/v1/accounts/alice/hedge?goal=cheapest", v.alice), 400, "goal", "expected healthy");
        assertError(v.get("/v1/accounts/alice/hedge?goal=target-ratio:3", v.alice), 400, "goal", "(0, 1]");
        assertError(v.get("/v1/accounts/alice/hedge?maxTrades=0", v.alice), 400, "maxTrades", "1 to 64");
        assertError(v.get("/v1/accounts/alice/hedge?maxTrades=two", v.alice), 400, "maxTrades", "integer");
        assertError(v.get("/v1/accounts/bob/hedge", v.alice), 404, "account", "no such account");
        assertError(v.get("/v1/accounts/alice/hedge", null), 401, "Authorization", "missing");
        assertError(v.post("/v1/accounts/alice/options", v.alice, "{\"hedgeFirst\":\"yes\"}"), 400, "hedgeFirst",
            "true or false");
        assertError(v.post("/v1/accounts/alice/options", v.alice, "{}"), 400, "hedgeFirst", "missing");
        assertError(v.post("/v1/accounts/alice/options", v.alice, "{\"hedgeFirst\":true,\"x\":1}"), 400, "x",
            "unknown field");
        assertError(v.post("/v1/accounts/alice/options", v.viewer, "{\"hedgeFirst\":true}"), 403, "", "viewer");
        assertError(v.post("/v1/accounts/bob/options", v.alice, "{\"hedgeFirst\":true}"), 404, "account",
            "no such account");
        assertThat(lastSeq()).as("nothing reached the journal").isEqualTo(before);
    }

    @Test
    void theTraderOrAnOperatorOptsTheAccountInToHedgeFirst() throws Exception {
        HttpResponse<String> r = v.post("/v1/accounts/alice/options", v.alice, "{\"hedgeFirst\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = json(r).get("events").get(0);
        assertThat(e.get("type").asText()).isEqualTo("accepted");
        assertThat(e.get("command").asText()).isEqualTo("account");
        assertThat(e.get("reason").asText()).isEqualTo("hedge first: on");
        HttpResponse<String> off = v.post("/v1/accounts/bob/options", v.operator, "{\"hedgeFirst\":false}");
        assertThat(json(off).get("events").get(0).get("reason").asText()).isEqualTo("hedge first: off");
    }
}
