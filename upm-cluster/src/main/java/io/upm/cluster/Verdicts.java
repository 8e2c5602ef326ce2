package io.upm.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The reader of the verdicts topic ({@value ClusterTopics#VERDICTS}): what the partitions tell the ingest
 * ({@link Verdict}: account commands' clocks, progress, pass requests), in the order they said it.
 *
 * <p>It reads <em>uncommitted</em> records on purpose: each is a deterministic function of the committed commands
 * before it, so one written in a transaction that is later aborted (an instance died) is the one its re-run writes
 * again (the router takes a verdict, a request or a progress twice without harm), and the ingest need not wait for
 * the partition's commit. Not thread-safe: the ingest's thread owns a reader.
 */
public final class Verdicts implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition = new TopicPartition(ClusterTopics.VERDICTS, 0);

    /** A reader of the verdicts topic from its beginning. */
    public Verdicts(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Reads the topic again from its beginning (for an ingest rebuilding its state: it hears everything again). */
    public void rewind() {
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * What was said since the last call, waiting up to the timeout for at least one verdict.
     *
     * @throws IllegalStateException if nothing is said within the timeout (a partition is down for longer)
     */
    public List<Verdict> await(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Verdict> out = poll(Duration.ofMillis(20));
            if (!out.isEmpty()) {
                return out;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("no verdict within " + timeout
                    + " (is every partition of " + ClusterTopics.COMMANDS + " assigned to a running node?)");
            }
        }
    }

    /** Everything said up to the topic's end as it is now (a rebuilding ingest hears all that was said before it). */
    public List<Verdict> readToEnd() {
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        List<Verdict> out = new ArrayList<>();
        while (consumer.position(partition) < end) {
            out.addAll(poll(Duration.ofMillis(100)));
        }
        return out;
    }

    /** What was said since the last call, waiting at most {@code wait} (zero: what the reader has already fetched). */
    public List<Verdict> poll(Duration wait) {
        List<Verdict> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            out.add(Verdict.decode(r.value()));
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
