package io.upm.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The cluster's single sequencer: numbers input lines (one global seq, continuing from the last one in the
 * commands topic), routes them with {@link CommandRouter} and writes each batch in one Kafka transaction, so a batch
 * is in the topic whole or not at all. Its transactional id fences any older ingest with the same id: there is never
 * more than one sequencer writing. After a failed batch it re-reads the last seq from the topic, so the caller can
 * resend the batch as it was.
 *
 * <p>Not thread-safe: one thread sends.
 */
public final class CommandIngest implements AutoCloseable {
    /** The default transactional id of the ingest. */
    public static final String TRANSACTIONAL_ID = "upm-ingest";

    private final String bootstrap;
    private final int partitions;
    private final KafkaProducer<String, String> producer;
    private CommandRouter router;

    /**
     * Opens the ingest on a cluster whose topics exist.
     *
     * @param bootstrap       the Kafka bootstrap address
     * @param partitions      the commands topic's partition count
     * @param transactionalId the ingest's transactional id
     */
    public CommandIngest(String bootstrap, int partitions, String transactionalId) {
        this.bootstrap = bootstrap;
        this.partitions = partitions;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        producer.initTransactions();
        this.router = new CommandRouter(partitions, lastSeqInTopic(bootstrap, partitions) + 1);
    }

    /** The seq the next line will get. */
    public long nextSeq() {
        return router.nextSeq();
    }

    /**
     * Sends a batch of lines in one transaction.
     *
     * @return the seq of the batch's first line
     * @throws KafkaException if the batch could not be committed (nothing of it is visible; resend it)
     */
    public long send(List<String> lines) {
        long first = router.nextSeq();
        try {
            producer.beginTransaction();
            for (String line : lines) {
                for (CommandRouter.Routed r : router.route(line)) {
                    producer.send(new ProducerRecord<>(ClusterTopics.COMMANDS, r.partition(), r.key(), r.command().encode()));
                }
            }
            producer.commitTransaction();
            return first;
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // fenced or closed: the topic holds what was committed, which the seq below is read from
            }
            router = new CommandRouter(partitions, lastSeqInTopic(bootstrap, partitions) + 1);
            throw e;
        }
    }

    /** The highest seq committed in the commands topic (0 when it is empty). */
    public static long lastSeqInTopic(String bootstrap, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long max = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(ClusterTopics.COMMANDS, i));
            }
            for (TopicPartition tp : tps) {
                c.assign(List.of(tp));
                long end = c.endOffsets(List.of(tp)).get(tp);
                if (end == 0) {
                    continue;
                }
                // the last data record sits just before the end (a transaction marker takes one offset per batch)
                long from = Math.max(0, end - 64);
                while (true) {
                    c.seek(tp, from);
                    long found = 0;
                    while (c.position(tp) < end) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200)).records(tp)) {
                            found = Math.max(found, SequencedCommand.decode(new String(r.value(), StandardCharsets.UTF_8)).seq());
                        }
                    }
                    if (found > 0 || from == 0) {
                        max = Math.max(max, found);
                        break;
                    }
                    from = 0; // only markers (aborted batches) near the end: read the partition whole
                }
            }
        }
        return max;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
