package io.upm.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The verdicts topic ({@value ClusterTopics#VERDICTS}): after each of its account commands a partition writes
 * {@code <seq> <clock ms>}, its clock after the command (the command's time when it was accepted), and the ingest
 * reads them when it must know whether time passed at a command ({@link CommandRouter}).
 *
 * <p>The reader reads <em>uncommitted</em> records on purpose: a verdict is a deterministic function of the committed
 * commands before it, so a verdict written in a transaction that is later aborted (an instance died) is the one its
 * re-run writes again, and the ingest need not wait for the partition's commit. Not thread-safe: the ingest's thread
 * owns a reader.
 */
public final class Verdicts implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition = new TopicPartition(ClusterTopics.VERDICTS, 0);
    private final Map<Long, Long> clocks = new HashMap<>();

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

    /** Reads the topic again from its beginning (for an ingest rebuilding its state: it asks for every verdict again). */
    public void rewind() {
        clocks.clear();
        consumer.seekToBeginning(List.of(partition));
    }

    /** The wire form of one verdict. */
    public static String encode(long seq, long clockMillis) {
        return seq + " " + clockMillis;
    }

    /**
     * Waits until the verdicts of these seqs have been read and returns them (seq to the owner's clock, epoch ms);
     * forgets them afterwards, and every verdict of a lower seq.
     *
     * @throws IllegalStateException if they do not all arrive within the timeout (a partition is down for longer)
     */
    public Map<Long, Long> await(List<Long> seqs, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!clocks.keySet().containsAll(seqs)) {
            if (System.nanoTime() > end) {
                List<Long> missing = seqs.stream().filter(x -> !clocks.containsKey(x)).toList();
                throw new IllegalStateException("no verdict within " + timeout + " for " + missing.size() + " command(s), seq "
                    + missing.getFirst() + (missing.size() > 1 ? " to " + missing.getLast() : "")
                    + " (is every partition of " + ClusterTopics.COMMANDS + " assigned to a running node?)");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                String v = r.value();
                int sp = v.indexOf(' ');
                clocks.put(Long.parseLong(v.substring(0, sp)), Long.parseLong(v.substring(sp + 1)));
            }
        }
        Map<Long, Long> out = new HashMap<>();
        long last = Long.MIN_VALUE;
        for (Long s : seqs) {
            out.put(s, clocks.remove(s));
            last = Math.max(last, s);
        }
        // the router asks for every verdict it will ever need in seq order: one below the last asked and not asked
        // (a command rejected for its time, whose verdict nobody waits for) is never asked again
        final long upTo = last;
        clocks.keySet().removeIf(k -> k < upTo);
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
