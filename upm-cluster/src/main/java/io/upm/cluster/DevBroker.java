package io.upm.cluster;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) from the Kafka server library, for
 * development and demos: {@code upm kafka-broker}. Its data directory is formatted on first use and reused after;
 * the broker listens on {@code localhost:port}, its controller on {@code localhost:port+1}. Internal topics
 * (offsets, transactions) get one replica, so exactly-once works on one node. Not for production: one node, no
 * replication, no security.
 */
public final class DevBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final int port;

    private DevBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** The broker's configuration. */
    static Map<String, String> config(Path dir, int port) {
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", "1");
        c.put("controller.quorum.voters", "1@localhost:" + (port + 1));
        c.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + (port + 1));
        c.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("log.dirs", dir.toAbsolutePath().toString());
        c.put("offsets.topic.replication.factor", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("num.partitions", "1");
        // the cluster creates its topics itself (ClusterAdmin, with their partition counts): a reader started first
        // must not create upm.events with one partition by asking for it
        c.put("auto.create.topics.enable", "false");
        return c;
    }

    /**
     * Formats {@code dir} if it is new and starts the broker.
     *
     * @param dir  the data directory (created if missing)
     * @param port the client port, 1 to 65534 (the controller takes the next one)
     */
    public static DevBroker start(Path dir, int port) throws Exception {
        if (port < 1 || port > 65534) {
            throw new IllegalArgumentException("port: must be between 1 and 65534, got " + port);
        }
        Files.createDirectories(dir);
        Map<String, String> config = config(dir, port);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(dir.toAbsolutePath().toString())
                .setMetadataLogDirectory(dir.toAbsolutePath().toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        server.startup();
        return new DevBroker(server, port);
    }

    /** The bootstrap address clients use. */
    public String bootstrap() {
        return "localhost:" + port;
    }

    /** Blocks until the broker has shut down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Shuts the broker down. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

}
