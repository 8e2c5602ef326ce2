package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end measurement of docs/cluster.md, against a running cluster (a broker from {@code upm kafka-broker}
 * and {@code upm node} instances): a generated stream sent through the ingest, first as fast as it takes it
 * (commands per second, first send to last event), then paced (produce-to-event latency of each command's first
 * event, p50/p99). Not part of the test suite (the name ends in IT): run it by name, with
 * {@code -Dtest=ClusterLoadProbeIT -Dupm.cluster.probe=HOST:PORT} naming the cluster.
 */
class ClusterLoadProbeIT {

    /** An event line's seq: every event line starts with it ({"seq":N,...}). */
    static long seqOf(String eventLine) {
        assertThat(eventLine).startsWith("{\"seq\":");
        return Long.parseLong(eventLine.substring(7, eventLine.indexOf(',')));
    }

    @Test
    void throughputAndLatency() throws Exception {
        String bootstrap = System.getProperty("upm.cluster.probe");
        Assumptions.assumeTrue(bootstrap != null, "no cluster to measure: pass -Dupm.cluster.probe=HOST:PORT");
        int commands = Integer.getInteger("upm.cluster.probe.commands", 20_000);
        int accounts = Integer.getInteger("upm.cluster.probe.accounts", 2_000);
        int partitions = ClusterAdmin.ensureTopics(bootstrap, ClusterTopics.DEFAULT_PARTITIONS, (short) 1);
        int step = Integer.getInteger("upm.cluster.probe.step", 2);
        // upm.cluster.probe.crash=N: the stream ends in a crash of N ticks (every account levered, prices falling)
        int crash = Integer.getInteger("upm.cluster.probe.crash", 0);
        List<String> lines = crash > 0 ? CommandStreams.crash(31, accounts, commands, crash, 300_000.0, 0.03)
            : CommandStreams.stream(31, accounts, commands, step);
        int paced = Math.min(2_000, lines.size() / 4);
        List<String> bulk = lines.subList(0, lines.size() - paced);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + System.nanoTime());
        try (CommandIngest ingest = new CommandIngest(bootstrap, partitions, "upm-probe");
             KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(ClusterTopics.EVENTS));
            while (c.assignment().isEmpty()) {
                c.poll(Duration.ofMillis(100));
            }
            long base = ingest.nextSeq();
            long last = base + lines.size() - 1;
            // phase 1: as fast as the ingest takes it, batches of 500
            long t0 = System.nanoTime();
            for (int i = 0; i < bulk.size(); i += 500) {
                ingest.send(bulk.subList(i, Math.min(bulk.size(), i + 500)));
            }
            ingest.drain(); // partitions holding for a venue liquidation pass get its outcome
            long bulkLast = base + bulk.size() - 1;
            long seen = 0;
            while (seen < bulkLast) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    seen = Math.max(seen, seqOf(r.value()));
                }
                assertThat(System.nanoTime() - t0).as("the cluster keeps up").isLessThan(Duration.ofMinutes(8).toNanos());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // phase 2: paced, small batches every 50 ms (about 200 commands/s, under capacity), latency of each command's first event
            Map<Long, Long> firstEventLatencyMs = new HashMap<>();
            List<String> rest = lines.subList(bulk.size(), lines.size());
            int per = 10;
            for (int i = 0; i < rest.size(); i += per) {
                ingest.send(rest.subList(i, Math.min(rest.size(), i + per)));
                if (i + per >= rest.size()) {
                    ingest.drain();
                }
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                    firstEventLatencyMs.putIfAbsent(seqOf(r.value()), System.currentTimeMillis() - r.timestamp());
                }
            }
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!firstEventLatencyMs.containsKey(last) && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                    firstEventLatencyMs.putIfAbsent(seqOf(r.value()), System.currentTimeMillis() - r.timestamp());
                }
            }
            long[] lat = new ArrayList<>(firstEventLatencyMs.entrySet()).stream().filter(e -> e.getKey() > bulkLast)
                .mapToLong(Map.Entry::getValue).sorted().toArray();
            System.out.printf("probe: %d partitions, %d accounts, %s; bulk %d commands in %.2f s"
                    + " = %.0f commands/s; paced %d commands (batches of %d every ~50 ms): produce-to-event p50 %d ms,"
                    + " p99 %d ms, max %d ms; the ingest waited for verdicts %d times (%d crossings), %.1f s in all;"
                + " %d venue liquidation passes (%d accounts served, %d requests not waited for; venue engine moved in"
                + " %.1f s, passes run in %.1f s)%n",
                partitions, accounts, crash > 0 ? "1 to 4 s between commands, then a crash of " + crash + " ticks"
                    : step == 0 ? "100 commands a second" : "1 to " + step + " s between commands", bulk.size(), seconds, bulk.size() / seconds, lat.length, per,
                lat[lat.length / 2], lat[(int) (lat.length * 0.99)], lat[lat.length - 1], ingest.router().waits(),
                ingest.router().crossings(), ingest.waitNanos() / 1e9, ingest.router().passes(),
                ingest.router().venueCost()[2], ingest.router().notWaited(), ingest.router().venueCost()[0] / 1e9,
                ingest.router().venueCost()[1] / 1e9);
            assertThat(lat.length).isGreaterThan(paced / 2);
            assertThat(Arrays.stream(lat).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        }
    }
}
