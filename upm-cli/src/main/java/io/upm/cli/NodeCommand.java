package io.upm.cli;

import io.upm.cluster.ClusterAdmin;
import io.upm.cluster.ClusterTopics;
import io.upm.cluster.ClusterTopology;
import io.upm.cluster.CommandIngest;
import io.upm.cluster.EngineNode;
import io.upm.margin.params.MarginParameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm node}: engine instances of the cluster (docs/cluster.md) on a Kafka cluster: each a Kafka Streams
 * instance holding one engine per partition it owns, exactly-once. {@code upm node send} is the ingest (commands in,
 * numbered and routed); {@code upm node events} prints the committed events. Against a production Kafka cluster only
 * {@code --bootstrap} (and {@code --replication}) change.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run engine instances of the cluster on Kafka (exactly-once); `node send` ingests commands, `node events` prints events.",
    subcommands = {NodeCommand.Send.class, NodeCommand.Events.class})
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "the Kafka bootstrap address; required")
    String bootstrap;

    @Option(names = "--instances", defaultValue = "1", paramLabel = "N",
        description = "engine instances in this process (default: ${DEFAULT-VALUE})")
    int instances;

    @Option(names = "--partitions", defaultValue = "" + ClusterTopics.DEFAULT_PARTITIONS, paramLabel = "P",
        description = "partitions of the topics when this node creates them (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication", defaultValue = "1", paramLabel = "R",
        description = "replication factor of the topics this node creates (default: ${DEFAULT-VALUE}; 3 in production)")
    short replication;

    @Option(names = "--state-dir", defaultValue = "upm-node-state", paramLabel = "DIR",
        description = "local state of the instances (default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Option(names = "--params", paramLabel = "FILE", description = "margin parameters (JSON or YAML); the same on every node")
    Path params;

    @Option(names = "--snapshot-every", defaultValue = "" + ClusterTopology.DEFAULT_SNAPSHOT_EVERY, paramLabel = "N",
        description = "records between snapshots of a partition's engine in its store (default: ${DEFAULT-VALUE})")
    int snapshotEvery;

    @Override
    public Integer call() throws InterruptedException {
        if (bootstrap == null) {
            throw new BadInput("upm: node: --bootstrap HOST:PORT is required");
        }
        if (instances < 1 || instances > 64) {
            throw new BadInput("--instances: must be between 1 and 64, got " + instances);
        }
        if (partitions < 1) {
            throw new BadInput("--partitions: must be at least 1, got " + partitions);
        }
        if (snapshotEvery < 1) {
            throw new BadInput("--snapshot-every: must be at least 1, got " + snapshotEvery);
        }
        MarginParameters p = params == null ? MarginParameters.defaults() : Inputs.params(params);
        int actual = topics(bootstrap, partitions, replication);
        List<EngineNode> nodes = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            EngineNode.Settings s = EngineNode.Settings.of(bootstrap, stateDir.resolve("instance-" + i), p)
                .withReplication(replication).withSnapshotEvery(snapshotEvery);
            nodes.add(new EngineNode(s));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(EngineNode::close);
            stopped.countDown();
        }, "upm-node-shutdown"));
        nodes.forEach(EngineNode::start);
        System.out.println("upm node: " + instances + " engine instance(s) on " + bootstrap + ", " + actual
            + " partitions, exactly-once; Ctrl-C stops them cleanly");
        System.out.flush();
        stopped.await();
        return 0;
    }

    static int topics(String bootstrap, int partitions, short replication) {
        try {
            return ClusterAdmin.ensureTopics(bootstrap, partitions, replication);
        } catch (IllegalStateException e) {
            throw new BadInput("upm: node: " + e.getMessage());
        }
    }

    /** {@code upm node send}: the ingest. */
    @Command(name = "send", mixinStandardHelpOptions = true,
        description = "Number commands (JSON Lines, stdin or --input) and write them to the cluster, a transaction per batch.")
    static final class Send implements Callable<Integer> {
        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the Kafka bootstrap address")
        String bootstrap;

        @Option(names = "--input", paramLabel = "FILE", description = "commands from this file instead of stdin")
        Path input;

        @Option(names = "--params", paramLabel = "FILE",
            description = "the nodes' margin parameters (JSON or YAML): the ingest keeps a shadow of the market-wide state with them")
        Path params;

        @Option(names = "--batch", defaultValue = "1000", paramLabel = "N", description = "lines per transaction (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--partitions", defaultValue = "" + ClusterTopics.DEFAULT_PARTITIONS, paramLabel = "P",
            description = "partitions of the topics if they must be created (default: ${DEFAULT-VALUE})")
        int partitions;

        @Override
        public Integer call() throws Exception {
            if (batch < 1) {
                throw new BadInput("--batch: must be at least 1, got " + batch);
            }
            int actual = topics(bootstrap, partitions, (short) 1);
            MarginParameters p = params == null ? MarginParameters.defaults() : Inputs.params(params);
            try (CommandIngest ingest = new CommandIngest(bootstrap, actual, CommandIngest.TRANSACTIONAL_ID, p,
                     CommandIngest.DEFAULT_VERDICT_TIMEOUT);
                 BufferedReader in = input == null
                     ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                     : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                long first = ingest.nextSeq();
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (lines.size() >= batch || !in.ready()) {
                        ingest.send(lines);
                        lines.clear();
                    }
                }
                if (!lines.isEmpty()) {
                    ingest.send(lines);
                }
                // the end of the input: every partition catches up and every venue liquidation pass is run
                ingest.drain();
                System.err.println("upm node send: seq " + first + " to " + (ingest.nextSeq() - 1) + " committed ("
                    + ingest.router().crossings() + " times waited for a partition's verdict, "
                    + ingest.router().passes() + " venue liquidation passes)");
            }
            return 0;
        }
    }

    /** {@code upm node events}: the committed events. */
    @Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print the cluster's committed events (JSON Lines), from the start, until --idle-ms pass without one: "
            + "in upm engine's order (the partitions' events merged as one engine emits them).")
    static final class Events implements Callable<Integer> {
        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the Kafka bootstrap address")
        String bootstrap;

        @Option(names = "--idle-ms", defaultValue = "3000", paramLabel = "MS",
            description = "stop after this long without an event; 0: never (default: ${DEFAULT-VALUE})")
        long idleMs;

        @Override
        public Integer call() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "upm-events-" + ProcessHandle.current().pid());
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(ClusterTopics.EVENTS));
                long last = System.currentTimeMillis();
                List<Read> held = new ArrayList<>();
                while (idleMs == 0 || System.currentTimeMillis() - last < idleMs) {
                    var records = c.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, String> r : records) {
                        held.add(Read.of(r));
                        last = System.currentTimeMillis();
                    }
                    if (records.isEmpty() && !held.isEmpty()) {
                        print(held); // a quiet moment: what came so far, in upm engine's order
                    }
                }
                print(held);
            }
            return 0;
        }

        /** One event read, with what puts it back in the single engine's order. */
        record Read(long seq, int source, int order, String account, String line)
            implements io.upm.cluster.EventOrder.Placed {
            static Read of(ConsumerRecord<String, String> r) {
                var e = io.upm.engine.codec.EventReader.read(r.value());
                String account = io.upm.engine.event.Event.accountOf(e);
                var h = r.headers().lastHeader(ClusterTopics.ORDER_HEADER);
                int order = h == null ? 0 : Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII));
                return new Read(e.seq(), 2 * r.partition() + (account == null ? 1 : 0), order, account, r.value());
            }
        }

        private static void print(List<Read> held) {
            held.sort(java.util.Comparator.comparingLong(Read::seq)); // stable: each partition's order kept
            for (Read r : io.upm.cluster.EventOrder.inEngineOrder(held)) {
                System.out.println(r.line());
            }
            System.out.flush();
            held.clear();
        }
    }
}
