package io.upm.cluster;

import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One engine instance: a Kafka Streams application ({@value ClusterTopics#APPLICATION_ID}) running
 * {@link ClusterTopology} with {@code processing.guarantee=exactly_once_v2} on one stream thread. Instances with the
 * same application id share the partitions; Kafka moves a partition (and restores its engine from the changelog)
 * when an instance joins, leaves or dies.
 */
public final class EngineNode implements AutoCloseable {
    private final KafkaStreams streams;

    /** Settings of a node. */
    public record Settings(String bootstrap, Path stateDir, MarginParameters params, int snapshotEvery,
                           short replication, int sessionTimeoutMs, int commitIntervalMs) {
        /** The defaults for a bootstrap address and a state directory. */
        public static Settings of(String bootstrap, Path stateDir, MarginParameters params) {
            return new Settings(bootstrap, stateDir, params, ClusterTopology.DEFAULT_SNAPSHOT_EVERY, (short) -1, 10_000, 100);
        }

        /** The same with other timeouts (tests: quick fail-over). */
        public Settings withTimeouts(int sessionTimeoutMs, int commitIntervalMs) {
            return new Settings(bootstrap, stateDir, params, snapshotEvery, replication, sessionTimeoutMs, commitIntervalMs);
        }

        /** The same with another replication factor for the internal topics. */
        public Settings withReplication(short replication) {
            return new Settings(bootstrap, stateDir, params, snapshotEvery, replication, sessionTimeoutMs, commitIntervalMs);
        }

        /** The same with another snapshot interval. */
        public Settings withSnapshotEvery(int snapshotEvery) {
            return new Settings(bootstrap, stateDir, params, snapshotEvery, replication, sessionTimeoutMs, commitIntervalMs);
        }
    }

    /** The Kafka Streams properties of a node. */
    public static Properties properties(Settings s) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, ClusterTopics.APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) s.replication());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitIntervalMs());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), s.sessionTimeoutMs());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, s.sessionTimeoutMs() / 4));
        // an instance that dies with a transaction open holds back read_committed readers until this expires
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), Math.max(s.sessionTimeoutMs(), 5_000));
        // the ingest waits for a verdict about once a minute of engine time: send it at once, not after a linger
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        return p;
    }

    /** Creates (not yet starts) a node. */
    public EngineNode(Settings s) {
        this(s, new Properties());
    }

    /**
     * Creates (not yet starts) a node with Kafka Streams properties of its own on top of {@link #properties}.
     *
     * @param overrides properties that replace or add to the node's (e.g. {@code acceptable.recovery.lag})
     */
    public EngineNode(Settings s, Properties overrides) {
        Properties p = properties(s);
        p.putAll(overrides);
        this.streams = new KafkaStreams(ClusterTopology.build(s.params(), s.snapshotEvery()), p);
    }

    /** Starts processing. */
    public void start() {
        streams.start();
    }

    /** The node's Kafka Streams state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The underlying Kafka Streams instance (metrics, state listeners). */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stops cleanly: commits, leaves the group, closes the stores. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
