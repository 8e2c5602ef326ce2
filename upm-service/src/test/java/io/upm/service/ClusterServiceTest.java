package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.cluster.ClusterAdmin;
import io.upm.cluster.ClusterTopics;
import io.upm.cluster.CommandIngest;
import io.upm.cluster.EngineNode;
import io.upm.margin.params.MarginParameters;
import io.upm.service.cluster.ClusterSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upm serve --bootstrap} on a real in-process KRaft broker (KafkaClusterTestKit) with one node of two Kafka
 * Streams engine instances over four partitions, exactly-once: the same HTTP requests (commands, deposits, orders with
 * and without a time, fills, a rejected command, reports, a price move, a hedge query, account options) to the
 * in-process service and to the service in front of the cluster give the same answers, and the read model (accounts,
 * index, histories, feed, stream) ends the same; a service started again on the cluster rebuilds the same read model from
 * the topics and continues the sequence, and takes it back after another sequencer fenced it (the batch in between fails
 * whole). Without topics, or with a command no engine has applied, the start fails with a message saying so.
 */
class ClusterServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;
    private static final List<String> READS = List.of("/v1/accounts", "/v1/index", "/v1/feed",
        "/v1/accounts/alice/history", "/v1/accounts/bob/history", "/v1/accounts/carol/history",
        "/v1/accounts/dave/history", "/v1/accounts/erin/history");
    private static final List<String> LEVERED = List.of("dave", "erin");
    /** The first command, sent by another ingest before any engine runs. */
    private static final String FIRST = "{\"type\":\"snapshot\",\"time\":\"2026-11-25T07:59:00Z\"}";

    @TempDir
    static Path dir;

    /** One request of the script: a method, a path, a body (null for GET). */
    record Request(String path, String body) {
    }

    private static List<Request> script() {
        List<Request> s = new ArrayList<>();
        s.add(new Request("/v1/commands", "[" + String.join(",", TestVenue.SETUP) + "]"));
        // an order without a time gets the engine's clock (the cluster's: the latest command time)
        s.add(new Request("/v1/accounts/alice/orders",
            "{\"id\":\"a-1\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":-0.5,\"price\":90500}"));
        s.add(new Request("/v1/accounts/bob/orders",
            "{\"time\":\"2026-11-25T08:00:04Z\",\"id\":\"b-1\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":-10,\"price\":3000}"));
        s.add(new Request("/v1/commands", "["
            + "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:05Z\",\"account\":\"carol\",\"asset\":\"USDC\",\"amount\":50000},"
            + "{\"type\":\"order\",\"time\":\"2026-11-25T08:00:05Z\",\"account\":\"nobody\",\"id\":\"n-1\","
            + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,\"price\":90000},"
            + "{\"type\":\"cancel\",\"time\":\"2026-11-25T08:00:05Z\",\"account\":\"alice\",\"id\":\"a-1\"},"
            + "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:06Z\",\"account\":\"carol\",\"instrument\":\"ETH_USDC-PERPETUAL\","
            + "\"size\":5,\"price\":3000}]"));
        // two leveraged longs on two partitions: healthy now, restricted after the fall below (both at one seq)
        for (String who : LEVERED) {
            s.add(new Request("/v1/commands", "["
                + "{\"type\":\"deposit\",\"time\":\"2026-11-25T08:00:06Z\",\"account\":\"" + who + "\",\"asset\":\"USDC\",\"amount\":24000},"
                + "{\"type\":\"fill\",\"time\":\"2026-11-25T08:00:06Z\",\"account\":\"" + who + "\",\"instrument\":\"BTC_USDC-PERPETUAL\","
                + "\"size\":1,\"price\":90000}]"));
        }
        s.add(new Request("/v1/accounts/alice", null));
        s.add(new Request("/v1/accounts/nobody", null));
        // a market the engines refuse (the forward is out of its band): no time passes, the next report is at 08:00:06
        s.add(new Request("/v1/commands", "[{\"type\":\"market\",\"time\":\"2026-11-25T08:02:00Z\","
            + "\"prices\":{\"BTC\":52000,\"ETH\":1700},\"marks\":{\"BTC_USDC-PERPETUAL\":52010,\"ETH_USDC-PERPETUAL\":1701}}]"));
        s.add(new Request("/v1/accounts/bob", null));
        // prices fall, three minutes later: options re-price, accounts re-margin, the leveraged longs become restricted
        s.add(new Request("/v1/commands", "[{\"type\":\"market\",\"time\":\"2026-11-25T08:03:00Z\","
            + "\"prices\":{\"BTC\":80000,\"ETH\":2700},\"marks\":{\"BTC-PERPETUAL\":80020,\"BTC_USDC-PERPETUAL\":80010,"
            + "\"ETH_USDC-PERPETUAL\":2701},\"forwards\":{\"BTC\":{\"25DEC26\":81500}}}]"));
        s.add(new Request("/v1/accounts/bob", null));
        s.add(new Request("/v1/accounts/carol", null));
        s.add(new Request("/v1/accounts/alice/hedge?goal=healthy&maxTrades=2", null));
        s.add(new Request("/v1/accounts/alice/options", "{\"hedgeFirst\":true}"));
        s.add(new Request("/v1/accounts/bob/orders",
            "{\"id\":\"b-2\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":100000,\"price\":2600}"));
        // a crash a minute later: the leveraged longs, on two partitions, are liquidated in one pass of the venue (its
        // queue, its budget, its fund), and the answer lists the pass's events in the single engine's order
        s.add(new Request("/v1/commands", "[{\"type\":\"market\",\"time\":\"2026-11-25T08:04:00Z\","
            + "\"prices\":{\"BTC\":70000,\"ETH\":2600},\"marks\":{\"BTC-PERPETUAL\":70020,\"BTC_USDC-PERPETUAL\":70010,"
            + "\"ETH_USDC-PERPETUAL\":2601},\"forwards\":{\"BTC\":{\"25DEC26\":71500}}}]"));
        s.add(new Request("/v1/accounts/dave", null));
        s.add(new Request("/v1/accounts/erin", null));
        return s;
    }

    private static HttpResponse<String> call(TestVenue v, Request r) throws Exception {
        return r.body() == null ? v.get(r.path(), v.operator) : v.post(r.path(), v.operator, r.body());
    }

    @Test
    void theServiceInFrontOfAClusterAnswersAsTheInProcessOneAndRebuildsItsReadModelFromTheTopics() throws Exception {
        try (KafkaClusterTestKit broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
            broker.format();
            broker.startup();
            broker.waitForReadyBrokers();
            String bootstrap = broker.bootstrapServers();
            TestVenue.Keys keys = TestVenue.Keys.make();
            ClusterSettings quick = ClusterSettings.of(bootstrap).withStartTimeout(Duration.ofSeconds(3));
            assertThatThrownBy(() -> TestVenue.startOnCluster(dir.resolve("no-topics"), TestVenue.generous(), quick, keys))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not exist");
            assertThat(ClusterAdmin.ensureTopics(bootstrap, PARTITIONS, (short) 1)).isEqualTo(PARTITIONS);
            // a command in the topic and no engine to apply it: the start says so instead of serving a partial view
            try (CommandIngest ingest = new CommandIngest(bootstrap, PARTITIONS, CommandIngest.TRANSACTIONAL_ID)) {
                assertThat(ingest.send(List.of(FIRST))).isEqualTo(1);
            }
            assertThatThrownBy(() -> TestVenue.startOnCluster(dir.resolve("no-engines"), TestVenue.generous(), quick, keys))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are `upm node` instances running");
            // alice, bob and carol on more than one partition: answers gather events from several engines
            assertThat(List.of(ClusterTopics.partitionOf("alice", PARTITIONS), ClusterTopics.partitionOf("bob", PARTITIONS),
                ClusterTopics.partitionOf("carol", PARTITIONS)).stream().distinct().count()).isGreaterThan(1);
            assertThat(ClusterTopics.partitionOf("dave", PARTITIONS)).isNotEqualTo(ClusterTopics.partitionOf("erin", PARTITIONS));

            List<EngineNode> nodes = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                EngineNode n = new EngineNode(EngineNode.Settings.of(bootstrap, dir.resolve("node-" + name),
                    MarginParameters.defaults()).withReplication((short) 1).withTimeouts(6_000, 100));
                n.start();
                nodes.add(n);
            }
            try {
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (nodes.stream().anyMatch(n -> n.state() != KafkaStreams.State.RUNNING) && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertThat(nodes).allMatch(n -> n.state() == KafkaStreams.State.RUNNING);
                ClusterSettings cluster = ClusterSettings.of(bootstrap).withStartTimeout(Duration.ofSeconds(30));
                Map<String, String> readsBefore = new LinkedHashMap<>();
                List<String> streamBefore;
                long lastSeq;
                try (TestVenue local = TestVenue.start(dir.resolve("local"), TestVenue.generous(), false, keys);
                     TestVenue remote = TestVenue.startOnCluster(dir.resolve("remote"), TestVenue.generous(), cluster, keys)) {
                    assertThat(local.post("/v1/commands", local.operator, FIRST).statusCode()).isEqualTo(200); // as above
                    List<Long> localMillis = new ArrayList<>();
                    List<Long> remoteMillis = new ArrayList<>();
                    for (Request r : script()) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> want = call(local, r);
                        long t1 = System.nanoTime();
                        HttpResponse<String> got = call(remote, r);
                        localMillis.add((t1 - t0) / 1_000_000);
                        remoteMillis.add((System.nanoTime() - t1) / 1_000_000);
                        assertThat(got.statusCode()).as(r.path() + ": " + got.body()).isEqualTo(want.statusCode());
                        assertSameAnswer(r.path(), got.body(), want.body());
                    }
                    localMillis.sort(null);
                    remoteMillis.sort(null);
                    System.out.println("request latency, ms (sorted): in-process " + localMillis + "; cluster " + remoteMillis);
                    assertThat(compared).as("events compared in the answers").isGreaterThan(20);
                    assertThat(restricted).as("the fall made accounts restricted").isPositive();
                    assertThat(liquidated).as("the crash liquidated accounts").isPositive();
                    for (String path : READS) {
                        String want = local.get(path, local.viewer).body();
                        String got = remote.get(path, remote.viewer).body();
                        assertThat(got).as(path).isEqualTo(want);
                        readsBefore.put(path, got);
                    }
                    assertThat(JSON.readTree(readsBefore.get("/v1/accounts")).get("accounts")).hasSize(5);
                    streamBefore = streamed(remote);
                    assertThat(streamBefore).as("the stream: every event, in order").isEqualTo(streamed(local))
                        .hasSizeGreaterThan(compared - 1);
                    JsonNode health = JSON.readTree(remote.get("/health", null).body());
                    lastSeq = health.get("lastSeq").asLong();
                    assertThat(lastSeq).isEqualTo(JSON.readTree(local.get("/health", null).body()).get("lastSeq").asLong());
                    assertThat(health.get("journalLag").asLong()).isZero();
                    // a what-if needs one engine's state: a clear 503 in front of a cluster
                    String whatIf = "{\"add\":[{\"instrument\":\"BTC_USDC-25DEC26-60000-P\",\"size\":5}]}";
                    assertThat(local.post("/v1/accounts/alice/whatif", local.alice, whatIf).statusCode()).isEqualTo(200);
                    HttpResponse<String> w = remote.post("/v1/accounts/alice/whatif", remote.alice, whatIf);
                    assertThat(w.statusCode()).isEqualTo(503);
                    assertThat(JSON.readTree(w.body()).get("error").get("message").asText()).contains("what-ifs need");
                }
                // started again: the read model rebuilt from the topics, the sequence continued
                try (TestVenue again = TestVenue.startOnCluster(dir.resolve("again"), TestVenue.generous(), cluster, keys)) {
                    for (String path : READS) {
                        assertThat(again.get(path, again.viewer).body()).as("rebuilt " + path).isEqualTo(readsBefore.get(path));
                    }
                    assertThat(streamed(again)).as("the stream rebuilt").isEqualTo(streamBefore);
                    JsonNode next = JSON.readTree(again.post("/v1/accounts/carol/orders", again.operator,
                        "{\"id\":\"c-1\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":-1,\"price\":2600}").body());
                    assertThat(next.get("firstSeq").asLong()).isEqualTo(lastSeq + 1);
                    assertThat(next.get("events").get(0).get("type").asText()).isEqualTo("accepted");
                    // another sequencer opens with the same id: the service's next batch fails whole, the one after
                    // takes the sequence back, with nothing of the failed one applied
                    new CommandIngest(bootstrap, PARTITIONS, CommandIngest.TRANSACTIONAL_ID).close();
                    HttpResponse<String> fenced = again.post("/v1/accounts/carol/orders", again.operator,
                        "{\"id\":\"c-2\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":-1,\"price\":2600}");
                    assertThat(fenced.statusCode()).as(fenced.body()).isEqualTo(503);
                    assertThat(fenced.body()).contains("none of them is applied");
                    JsonNode after = JSON.readTree(again.post("/v1/accounts/carol/orders", again.operator,
                        "{\"id\":\"c-2\",\"instrument\":\"ETH_USDC-PERPETUAL\",\"size\":-1,\"price\":2600}").body());
                    assertThat(after.get("firstSeq").asLong()).isEqualTo(lastSeq + 2);
                    assertThat(after.get("events").get(0).get("type").asText()).isEqualTo("accepted");
                }
            } finally {
                nodes.forEach(EngineNode::close);
            }
        }
    }

    /** Every event the service's stream keeps, in order. */
    private static List<String> streamed(TestVenue v) {
        List<String> lines = new ArrayList<>();
        Runnable[] off = new Runnable[1];
        v.service.readModel().stream().subscribe(0, e -> true, e -> lines.add(e.line()), start -> { }, off);
        off[0].run();
        return lines;
    }

    /**
     * The same answer, byte for byte (the events of one seq from several partitions are merged in the engine's order:
     * by account).
     */
    private static void assertSameAnswer(String path, String got, String want) throws Exception {
        assertThat(got).as(path).isEqualTo(want);
        JsonNode w = JSON.readTree(want);
        if (w.has("events")) {
            compared += w.get("events").size();
        }
        if (want.contains("\"status\":\"restricted\"")) {
            restricted++;
        }
        if (want.contains("\"type\":\"liquidation\"") && want.contains("\"type\":\"insurance\"")) {
            liquidated++;
        }
    }

    /** Events compared in answers (the comparison is not of empty lists). */
    private static int compared;
    /** Answers in which an account became restricted (the fall's margin events). */
    private static int restricted;
    /** Answers with liquidation steps and fund changes (the crash's). */
    private static int liquidated;
}
