package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.params.MarginParameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster on a real in-process KRaft broker (KafkaClusterTestKit), exactly-once on: three engine instances over
 * six partitions, one of them a separate process killed with SIGKILL in the middle of the stream, then a fourth
 * joining (a rebalance moves partitions to it), on a raw stream (rejected commands, times going back, unknown
 * accounts) that ends in a crash (liquidations across partitions, the guard's budget binding, bankruptcies the fund
 * pays). The committed events equal the single-node engine's account by account, same order, same bytes, the venue's
 * liquidation included: none lost, none twice.
 */
class ClusterBrokerTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();
    static final int PARTITIONS = 6;
    static KafkaClusterTestKit broker;

    @TempDir
    static Path dir;

    static EngineNode.Settings settings(String bootstrap, Path stateDir) {
        return EngineNode.Settings.of(bootstrap, stateDir, PARAMS).withReplication((short) 1).withTimeouts(6_000, 100)
            .withSnapshotEvery(300);
    }

    /** A joining instance takes partitions at once (its lag is under this bound), not after a probing rebalance. */
    static Properties overrides() {
        Properties p = new Properties();
        p.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, 10_000_000L);
        return p;
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
            .setNumControllerNodes(1).build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
        broker.format();
        broker.startup();
        broker.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** Reads the committed events in the background, in order per partition. */
    static final class EventReaderThread extends Thread {
        final List<ConsumerRecord<String, String>> records = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean stop = new AtomicBoolean();
        final String bootstrap;

        EventReaderThread(String bootstrap) {
            this.bootstrap = bootstrap;
            setDaemon(true);
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(ClusterTopics.EVENTS));
                while (!stop.get()) {
                    c.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            }
        }

        /** Every event read, in the single engine's order ({@link EventOrder}, with each record's order header). */
        List<String> inEngineOrder() {
            List<InMemoryCluster.Read> all = new ArrayList<>();
            synchronized (records) {
                for (ConsumerRecord<String, String> r : records) {
                    String account = PartitionEngine.accountOf(io.upm.engine.codec.EventReader.read(r.value()));
                    var h = r.headers().lastHeader(ClusterTopics.ORDER_HEADER);
                    all.add(new InMemoryCluster.Read(EventReaderSeq.of(r.value()), 2 * r.partition() + (account == null ? 1 : 0),
                        Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII)), account, r.value()));
                }
            }
            all.sort(java.util.Comparator.comparingLong(InMemoryCluster.Read::seq));
            return EventOrder.inEngineOrder(all).stream().map(InMemoryCluster.Read::line).toList();
        }

        List<String> valuesInPartitionOrder() {
            List<String> out = new ArrayList<>();
            synchronized (records) {
                for (int q = 0; q < PARTITIONS; q++) {
                    for (ConsumerRecord<String, String> r : records) {
                        if (r.partition() == q) {
                            out.add(r.value());
                        }
                    }
                }
            }
            return out;
        }
    }

    static void awaitCount(EventReaderThread reader, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (reader.records.size() < count && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    @Test
    void threeInstancesOneKilledMidStreamOneJoiningGiveTheSingleEnginesEventsExactlyOnce() throws Exception {
        String bootstrap = broker.bootstrapServers();
        assertThat(ClusterAdmin.ensureTopics(bootstrap, PARTITIONS, (short) 1)).isEqualTo(PARTITIONS);
        // a raw stream at a venue's pace (commands the engine rejects, times going back, unknown accounts), then a crash
        List<String> crash = CommandStreams.crash(21, 60, 400, 80, 300_000.0, 0.03);
        List<String> lines = PartitionedEquivalenceTest.disordered(crash, 21);
        // where the crash begins (its first market line, after the calm part): the kill and the join happen in it
        int crashAt = lines.indexOf(crash.get(CommandStreams.stream(21, 60, 400, 4).size()));
        int joinAt;
        SingleNode.Run single = SingleNode.run(dir.resolve("single"), lines, PARAMS);
        Map<String, List<String>> expected = EventsByAccount.group(single.events());
        int expectedCount = single.events().size();
        long steps = single.events().stream().filter(e -> e.contains("\"type\":\"liquidation\"")).count();

        EventReaderThread reader = new EventReaderThread(bootstrap);
        reader.start();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(), bootstrap, dir.resolve("c").toString())
            .redirectErrorStream(true).start();
        EngineNode a = new EngineNode(settings(bootstrap, dir.resolve("a")), overrides());
        EngineNode b = new EngineNode(settings(bootstrap, dir.resolve("b")), overrides());
        EngineNode d = null;
        try (CommandIngest ingest = new CommandIngest(bootstrap, PARTITIONS, "upm-ingest-test")) {
            a.start();
            b.start();
            BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = childOut.readLine()) != null && !line.equals("RUNNING")) {
                // the child's log, until it processes
            }
            assertThat(line).as("the child instance came up").isEqualTo("RUNNING");
            assertThat(ingest.nextSeq()).isEqualTo(1);

            int third = crashAt - 100;
            assertThat(third).as("a calm first part").isGreaterThan(200);
            for (int i = 0; i < third; i += 50) {
                ingest.send(lines.subList(i, Math.min(third, i + 50)));
            }
            awaitCount(reader, expectedCount / 6, Duration.ofSeconds(30));
            // the crash goes in while the child dies with its partitions, in the middle of the venue's liquidation
            joinAt = crashAt + 200;
            for (int i = third; i < joinAt; i += 50) {
                ingest.send(lines.subList(i, Math.min(joinAt, i + 50)));
                if (i == third + 200) { // 100 lines into the crash: its ticks are liquidating accounts
                    child.destroyForcibly(); // SIGKILL: no commit, no leaving the group
                    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                }
            }
            assertThat(child.isAlive()).isFalse();
            // a new instance joins: a rebalance hands it partitions, restored from their changelogs
            d = new EngineNode(settings(bootstrap, dir.resolve("d")), overrides());
            d.start();
            for (int i = joinAt; i < lines.size(); i += 50) {
                ingest.send(lines.subList(i, Math.min(lines.size(), i + 50)));
            }
            ingest.drain(); // every partition caught up, every venue pass run
            assertThat(ingest.nextSeq()).isEqualTo(lines.size() + 1);
            awaitCount(reader, expectedCount, Duration.ofSeconds(90));
            Thread.sleep(1_500); // anything sent twice would arrive now
            reader.stop.set(true);
            reader.join();

            assertThat(reader.records).hasSize(expectedCount);
            Map<String, List<String>> got = EventsByAccount.group(reader.valuesInPartitionOrder());
            assertThat(PartitionedEquivalenceTest.firstDifference(expected, got)).isEmpty();
            assertThat(got).isEqualTo(expected);
            // and as one list, merged as a reader of every partition merges them: upm engine's output, line for line
            assertThat(reader.inEngineOrder()).isEqualTo(single.events());
            assertThat(steps).as("liquidation steps in the stream").isGreaterThan(100);
            assertThat(ingest.router().passes()).as("venue liquidation passes").isPositive();
            // the faults hit the liquidation: steps before the kill, between the kill and the join, and after the join
            java.util.TreeSet<Long> stepSeqs = new java.util.TreeSet<>();
            single.events().stream().filter(e -> e.contains("\"type\":\"liquidation\""))
                .forEach(e -> stepSeqs.add(EventReaderSeq.of(e)));
            int killed = crashAt + 150;
            assertThat(stepSeqs.subSet((long) crashAt, true, (long) killed, true)).as("steps before the kill").isNotEmpty();
            assertThat(stepSeqs.subSet((long) killed, false, (long) joinAt, true)).as("steps before the join").isNotEmpty();
            assertThat(stepSeqs.tailSet((long) joinAt, false)).as("steps after the join").isNotEmpty();
            assertThat(ingest.router().crossings()).as("the ingest waited for verdicts").isPositive();
            assertThat(d.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(d.streams().metadataForLocalThreads().iterator().next().activeTasks())
                .as("the joining instance took partitions").isNotEmpty();
            // a restarted ingest continues the sequence from the topic, its state rebuilt to the same decisions
            assertThat(CommandIngest.lastSeqInTopic(bootstrap, PARTITIONS)).isEqualTo(lines.size());
            long crossings = ingest.router().crossings();
            try (CommandIngest again = new CommandIngest(bootstrap, PARTITIONS, "upm-ingest-test")) {
                assertThat(again.nextSeq()).isEqualTo(lines.size() + 1);
                assertThat(again.router().crossings()).isEqualTo(crossings);
                // and the venue's liquidation: the same passes run again, to the same fund
                assertThat(again.router().passes()).isEqualTo(ingest.router().passes());
                assertThat(again.router().venueEngine().insuranceFundUsd())
                    .isEqualTo(ingest.router().venueEngine().insuranceFundUsd());
            }
        } finally {
            child.destroyForcibly();
            a.close();
            b.close();
            if (d != null) {
                d.close();
            }
        }
    }

    /** The seq of an event line. */
    static final class EventReaderSeq {
        static long of(String event) {
            return io.upm.engine.codec.EventReader.read(event).seq();
        }
    }
}
