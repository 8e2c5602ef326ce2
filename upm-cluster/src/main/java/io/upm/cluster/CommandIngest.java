package io.upm.cluster;

import io.upm.margin.params.MarginParameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * commands topic), routes them with {@link CommandRouter} and writes them in Kafka transactions. A batch is committed
 * in one transaction, except that a command at which time may do something ({@link CommandRouter}: about once a
 * minute of engine time) commits what precedes it and waits for its owner's verdict ({@link Verdicts}) before the
 * rest goes. Its transactional id fences any older ingest with the same id: there is never more than one sequencer
 * writing. On start, and after a failed batch, it rebuilds its state from the commands topic (every record, routed
 * again with the verdicts), so a restarted ingest continues exactly where the last one stopped.
 *
 * <p>Not thread-safe: one thread sends.
 */
public final class CommandIngest implements AutoCloseable {
    /** The default transactional id of the ingest. */
    public static final String TRANSACTIONAL_ID = "upm-ingest";
    /** Lines between two looks at what the partitions said within a batch (pass requests: docs/cluster.md). */
    public static final int PUMP_EVERY_LINES = 64;
    /** How long the ingest waits for a verdict by default (a partition failing over takes seconds). */
    public static final Duration DEFAULT_VERDICT_TIMEOUT = Duration.ofSeconds(120);

    /** A batch that failed after part of it was committed: the first {@link #committedLines()} lines are in. */
    public static final class PartlySent extends KafkaException {
        private final int committedLines;

        PartlySent(int committedLines, KafkaException cause) {
            super("batch failed after " + committedLines + " of its lines were committed: resend the rest", cause);
            this.committedLines = committedLines;
        }

        /** The batch's lines that are in the topic (resend the others). */
        public int committedLines() {
            return committedLines;
        }
    }

    private final String bootstrap;
    private final int partitions;
    private final MarginParameters params;
    private final KafkaProducer<String, String> producer;
    private final Verdicts verdicts;
    private final Duration verdictTimeout;
    private CommandRouter router;
    private boolean open;
    /** Nanoseconds spent committing and waiting for verdicts (measurement only, never part of the routing). */
    private long waitNanos;

    /** Opens the ingest with the default parameters (the nodes' must be the same). */
    public CommandIngest(String bootstrap, int partitions, String transactionalId) {
        this(bootstrap, partitions, transactionalId, MarginParameters.defaults(), DEFAULT_VERDICT_TIMEOUT);
    }

    /**
     * Opens the ingest on a cluster whose topics exist.
     *
     * @param bootstrap       the Kafka bootstrap address
     * @param partitions      the commands topic's partition count
     * @param transactionalId the ingest's transactional id
     * @param params          the nodes' margin parameters (the router's shadow engine needs the same)
     * @param verdictTimeout  how long to wait for a partition's verdict before failing the batch
     */
    public CommandIngest(String bootstrap, int partitions, String transactionalId, MarginParameters params,
            Duration verdictTimeout) {
        this.bootstrap = bootstrap;
        this.partitions = partitions;
        this.params = params;
        this.verdictTimeout = verdictTimeout;
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
        this.verdicts = new Verdicts(bootstrap);
        this.router = rebuild();
    }

    /** The seq the next line will get. */
    public long nextSeq() {
        return router.nextSeq();
    }

    /** Nanoseconds this ingest spent committing and waiting for verdicts (measurement). */
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * The highest seq whose venue liquidation pass, if any, has run and whose outcome is committed (after
     * {@link #send}, {@link #pump} or {@link #drain} returned): a reader that waits for the engines to apply the commands
     * topic up to its end after this reached a seq has every event of that seq.
     */
    public long settledThrough() {
        return open ? 0 : router.settledThrough();
    }

    /** The router (its counters: crossings, waits). */
    public CommandRouter router() {
        return router;
    }

    /**
     * Sends a batch of lines.
     *
     * @return the seq of the batch's first line
     * @throws PartlySent if the batch failed after some of its lines were committed (resend the others)
     * @throws KafkaException if it failed with none of its lines committed (resend it)
     */
    public long send(List<String> lines) {
        long first = router.nextSeq();
        try {
            int n = 0;
            for (String line : lines) {
                router.route(line, channel);
                if (++n % PUMP_EVERY_LINES == 0 && router.pump(channel) > 0) {
                    commit(); // a partition holding for a venue liquidation pass gets its outcome now, not at the batch's end
                }
            }
            router.pump(channel);
            commit();
            return first;
        } catch (KafkaException | IllegalStateException e) {
            abort();
            router = rebuild();
            int committed = (int) (router.nextSeq() - first);
            KafkaException k = e instanceof KafkaException ke ? ke : new KafkaException(e.getMessage(), e);
            throw committed > 0 ? new PartlySent(committed, k) : k;
        }
    }

    /**
     * Hears the partitions and sends, committed, the outcome of every venue liquidation pass that can run: what an
     * idle ingest calls now and then (every few milliseconds), so that a partition holding for a pass does not wait
     * for the next command.
     *
     * @throws KafkaException if it failed (the ingest's state is rebuilt from the topic; call it again)
     */
    public void pump() {
        committed(() -> router.pump(channel));
    }

    /**
     * Waits until every partition has applied everything sent and every venue liquidation pass has run (its outcome
     * committed): the end of an input. A live venue's ingest need not call it (its next batches carry the outcomes).
     */
    public void drain() {
        committed(() -> router.drain(channel));
    }

    /** Runs some routing and commits what it sent; on a failure, aborts and rebuilds the router from the topics. */
    private void committed(Runnable routing) {
        try {
            routing.run();
            commit();
        } catch (KafkaException | IllegalStateException e) {
            abort();
            router = rebuild();
            throw e instanceof KafkaException ke ? ke : new KafkaException(e.getMessage(), e);
        }
    }

    /** The ingest's channel: records in the open transaction, verdicts from the partitions. */
    private final CommandRouter.Channel channel = new CommandRouter.Channel() {
        @Override
        public void send(CommandRouter.Routed r) {
            if (!open) {
                producer.beginTransaction();
                open = true;
            }
            producer.send(new ProducerRecord<>(ClusterTopics.COMMANDS, r.partition(), r.key(), r.command().encode()));
        }

        @Override
        public List<Verdict> await() {
            long t0 = System.nanoTime(); // measurement only (waitNanos): never part of the routing
            try {
                commit();
                return verdicts.await(verdictTimeout);
            } finally {
                waitNanos += System.nanoTime() - t0;
            }
        }

        @Override
        public List<Verdict> poll() {
            return verdicts.poll(Duration.ZERO);
        }
    };

    private void commit() {
        if (open) {
            producer.commitTransaction();
            open = false;
        }
    }

    private void abort() {
        if (open) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // fenced or closed: the topic holds what was committed, which the state is rebuilt from
            }
            open = false;
        }
    }

    /**
     * The router in the state the topic's records give: every line routed again, sending nothing, hearing the
     * verdicts again; the venue liquidation passes it runs again whose outcomes are not in the topic (the last ingest
     * stopped before committing them) are sent then.
     */
    private CommandRouter rebuild() {
        verdicts.rewind(); // the verdicts already taken are asked for again
        List<SequencedCommand> records = readAll(bootstrap, partitions);
        java.util.TreeMap<Long, String> lines = CommandRouter.linesOf(records);
        CommandRouter r = new CommandRouter(partitions, 1, params);
        java.util.Set<String> outcomes = new java.util.HashSet<>();
        for (SequencedCommand c : records) {
            if (c.kind() == SequencedCommand.Kind.PASS) {
                outcomes.add(c.encode());
            }
        }
        List<CommandRouter.Routed> unsent = new ArrayList<>();
        CommandRouter.Channel replay = new CommandRouter.Channel() {
            @Override
            public void send(CommandRouter.Routed record) {
                // already in the topic, but for outcomes the last ingest did not commit
                if (record.command().kind() == SequencedCommand.Kind.PASS && !outcomes.contains(record.command().encode())) {
                    unsent.add(record);
                }
            }

            @Override
            public List<Verdict> await() {
                return verdicts.await(verdictTimeout);
            }

            @Override
            public List<Verdict> poll() {
                return verdicts.readToEnd(); // all that was said, so the passes the last ingest ran are run again
            }
        };
        for (Map.Entry<Long, String> e : lines.entrySet()) {
            if (e.getKey() != r.nextSeq()) {
                throw new IllegalStateException("topic " + ClusterTopics.COMMANDS + " has no line of seq " + r.nextSeq());
            }
            r.route(e.getValue(), replay);
        }
        r.pump(replay);
        if (!unsent.isEmpty()) {
            producer.beginTransaction();
            for (CommandRouter.Routed x : unsent) {
                producer.send(new ProducerRecord<>(ClusterTopics.COMMANDS, x.partition(), x.key(), x.command().encode()));
            }
            producer.commitTransaction();
        }
        return r;
    }

    /** Every committed record of the commands topic, partition after partition. */
    public static List<SequencedCommand> readAll(String bootstrap, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<SequencedCommand> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            for (int i = 0; i < partitions; i++) {
                TopicPartition tp = new TopicPartition(ClusterTopics.COMMANDS, i);
                c.assign(List.of(tp));
                long end = c.endOffsets(List.of(tp)).get(tp);
                c.seekToBeginning(List.of(tp));
                while (c.position(tp) < end) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200)).records(tp)) {
                        out.add(SequencedCommand.decode(new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
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
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            verdicts.close();
        }
    }
}
