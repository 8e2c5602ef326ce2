package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket stream: what each key sees, in order, resumed from a seq, and the read model after a restart. */
class StreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A client that collects every message. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();
        WebSocket ws;

        static Client open(TestVenue v, String header, String query) throws Exception {
            Client c = new Client();
            WebSocket.Builder b = v.http.newWebSocketBuilder();
            if (header != null) {
                b.header("Authorization", "Bearer " + header);
            }
            c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + v.service.port() + "/v1/stream" + query), c)
                .get(5, TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                messages.add(part.toString());
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        JsonNode next() throws Exception {
            String m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a message within 5 s").isNotNull();
            return JSON.readTree(m);
        }

        /** Every event up to and including the first with seq >= last. */
        List<JsonNode> until(long last) throws Exception {
            List<JsonNode> out = new ArrayList<>();
            while (true) {
                JsonNode e = next();
                out.add(e);
                if (e.path("seq").asLong(-1) >= last && !"stream".equals(e.path("type").asText())) {
                    // drain what else this seq brought
                    String m;
                    while ((m = messages.poll(300, TimeUnit.MILLISECONDS)) != null) {
                        out.add(JSON.readTree(m));
                    }
                    return out;
                }
            }
        }
    }

    @Test
    void eachKeySeesItsEventsInOrderAndResumesFromASeqWithNothingMissed() throws Exception {
        try (TestVenue v = TestVenue.start("stream", TestVenue.generous(), true)) {
            long setupEnd = TestVenue.SETUP.size();
            Client viewer = Client.open(v, v.viewer, "?from=1");
            Client alice = Client.open(v, null, "");
            alice.ws.sendText("{\"key\":\"" + v.alice + "\",\"from\":1}", true);
            assertThat(viewer.next().get("status").asText()).isEqualTo("subscribed");
            JsonNode hello = alice.next();
            assertThat(hello.get("status").asText()).isEqualTo("subscribed");
            assertThat(hello.get("role").asText()).isEqualTo("trader");
            // live: a command for bob, one for alice, a market move
            String t = "2026-11-25T08:01:00Z";
            v.post("/v1/commands", v.operator, "[{\"type\":\"deposit\",\"time\":\"" + t + "\",\"account\":\"bob\",\"asset\":\"USDC\",\"amount\":5},"
                + "{\"type\":\"deposit\",\"time\":\"" + t + "\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":7}]");
            long last = setupEnd + 2;
            List<JsonNode> all = viewer.until(last);
            List<JsonNode> mine = alice.until(last);
            // the viewer saw every event, seqs never decreasing, both accounts
            long prev = 0;
            List<String> accounts = new ArrayList<>();
            for (JsonNode e : all.subList(1, all.size())) {
                assertThat(e.get("seq").asLong()).isGreaterThanOrEqualTo(prev);
                prev = e.get("seq").asLong();
                accounts.add(e.path("account").asText(""));
            }
            assertThat(accounts).contains("alice", "bob");
            // alice saw only hers, and all of hers
            List<String> expected = new ArrayList<>();
            for (JsonNode e : all) {
                if ("alice".equals(e.path("account").asText())) {
                    expected.add(e.toString());
                }
            }
            List<String> got = new ArrayList<>();
            for (JsonNode e : mine) {
                if (!"stream".equals(e.path("type").asText())) {
                    assertThat(e.path("account").asText()).isEqualTo("alice");
                    got.add(e.toString());
                }
            }
            assertThat(got).isEqualTo(expected).isNotEmpty();
            // a client that reconnects from a seq gets exactly the events from there on
            long from = setupEnd - 2;
            Client again = Client.open(v, v.viewer, "?from=" + from);
            assertThat(again.next().get("from").asLong()).isEqualTo(from);
            List<JsonNode> resumed = again.until(last);
            List<String> wanted = new ArrayList<>();
            for (JsonNode e : all) {
                if (e.path("seq").asLong(-1) >= from && !"stream".equals(e.path("type").asText())) {
                    wanted.add(e.toString());
                }
            }
            List<String> resumedLines = resumed.stream().map(JsonNode::toString).toList();
            assertThat(resumedLines).isEqualTo(wanted);
            for (Client c : List.of(viewer, alice, again)) {
                c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            }
        }
    }

    @Test
    void aBadKeyOrAForgedOneIsRefusedAndClosed() throws Exception {
        try (TestVenue v = TestVenue.start("stream-bad", TestVenue.generous(), true)) {
            Client c = Client.open(v, null, "");
            c.ws.sendText("{\"key\":\"" + v.bob.substring(0, v.bob.length() - 1) + "x\",\"from\":1}", true);
            JsonNode e = c.next();
            assertThat(e.get("status").asText()).isEqualTo("error");
            assertThat(e.get("error").get("field").asText()).isEqualTo("key");
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
            Client h = Client.open(v, "nonsense", "");
            assertThat(h.next().get("error").get("field").asText()).isEqualTo("Authorization");
            assertThat(h.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void aTraderOnTheStreamNeverSeesAnotherAccountsEvents() throws Exception {
        try (TestVenue v = TestVenue.start("stream-cross", TestVenue.generous(), true)) {
            Client bob = Client.open(v, v.bob, "?from=0");
            assertThat(bob.next().get("status").asText()).isEqualTo("subscribed");
            // alice's order, report and deposit all happen; bob's stream must hold none of them
            v.post("/v1/accounts/alice/orders", v.alice, "{\"id\":\"a9\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":0.1,\"price\":90000}");
            v.get("/v1/accounts/alice", v.alice);
            JsonNode r = JSON.readTree(v.post("/v1/accounts/bob/orders", v.bob,
                "{\"id\":\"b9\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":1,\"price\":3000}").body());
            List<JsonNode> seen = bob.until(r.get("lastSeq").asLong());
            assertThat(seen).isNotEmpty();
            for (JsonNode e : seen) {
                String account = e.path("account").asText(null);
                String type = e.path("type").asText();
                assertThat(account == null ? type : account).as(e.toString()).isIn("bob", "index", "recovered", "insurance", "stream");
            }
            assertThat(seen.get(seen.size() - 1).get("id").asText()).isEqualTo("b9");
        }
    }

    @Test
    void aRestartedServiceRebuildsItsReadModelFromTheJournal() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "svc-restart");
        TestVenue.Keys keys = TestVenue.Keys.make();
        String before;
        String feed;
        try (TestVenue v = TestVenue.start(dir, TestVenue.generous(), true, keys)) {
            v.post("/v1/commands", v.operator, "[{\"type\":\"deposit\",\"time\":\"2026-11-25T09:00:00Z\",\"account\":\"carol\","
                + "\"asset\":\"USDC\",\"amount\":10000},{\"type\":\"fill\",\"time\":\"2026-11-25T09:00:00Z\",\"account\":\"carol\","
                + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":2,\"price\":90000}]");
            before = v.get("/v1/accounts", v.viewer).body();
            feed = v.get("/v1/feed", v.viewer).body();
            assertThat(feed).contains("\"account\":\"carol\"", "\"status\":\"liquidation\"");
        }
        try (TestVenue v = TestVenue.start(dir, TestVenue.generous(), false, keys)) {
            assertThat(v.get("/v1/accounts", v.viewer).body()).isEqualTo(before);
            assertThat(v.get("/v1/feed", v.viewer).body()).isEqualTo(feed);
            Client c = Client.open(v, v.viewer, "?from=1");
            assertThat(c.next().get("status").asText()).isEqualTo("subscribed");
            JsonNode first = c.next();
            // seq 1 (the market) has no event; seq 2 is alice's deposit, replayed from the journal
            assertThat(first.get("seq").asLong()).isEqualTo(2);
            assertThat(first.get("type").asText()).isEqualTo("margin");
            assertThat(first.get("account").asText()).isEqualTo("alice");
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
