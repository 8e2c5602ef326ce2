package io.upm.service.cluster;

import io.upm.cluster.ClusterAdmin;
import io.upm.cluster.ClusterTopics;
import io.upm.cluster.CommandIngest;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.margin.MarginCalculator;
import io.upm.margin.WhatIf;
import io.upm.service.engine.EngineBackend;
import io.upm.service.engine.EngineHost;
import io.upm.service.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The service's back end in front of a Kafka cluster of engines ({@code upm serve --bootstrap}): no journal and no
 * engine in this process. Two threads:
 * <ul>
 *   <li>the <b>sender</b> ({@code upm-service-ingest}) owns the cluster's {@link CommandIngest}: it takes every request
 *   waiting (up to 512), stamps the lines that need the engine's time with the cluster's clock, and writes them in one
 *   Kafka transaction (the ingest numbers them: one global seq); idle, it hears the partitions every
 *   {@value #IDLE_PUMP_MILLIS} ms and sends the outcomes of the venue's liquidation passes;</li>
 *   <li>the <b>reader</b> ({@code upm-service-reader}) owns one {@code read_committed} consumer assigned every partition
 *   of the commands and the events topics, read from the beginning. A cycle: take the commands topic's end offsets;
 *   read the commands up to them; wait until the engines' consumer group ({@value ClusterTopics#APPLICATION_ID}) has
 *   committed past the last of them on every partition (it commits a record's offset in the same transaction as its
 *   events, so its events are then in the events topic); take the events topic's end offsets and read up to them.
 *   Every event of every command below the first offsets is then in hand: they go to the read model and the stream in
 *   seq order ({@link CommittedEventBuffer}), and each request whose seqs are covered completes with its events.</li>
 * </ul>
 * At start the reader rebuilds the read model from the beginning of both topics (as the in-process service replays its
 * journal) before the first request is served. What-ifs need one engine's state and are answered with 503 (see
 * docs/service.md).
 *
 * <p>Thread-safe: any thread may call the public methods.
 */
public final class ClusterHost implements EngineBackend {
    /** Most queued requests written in one transaction. */
    static final int MAX_BATCH_REQUESTS = 512;
    /** Wall time between two reads of the topics when no request waits (events another sequencer caused). */
    static final long IDLE_SYNC_MILLIS = 1_000;
    /** Wall time the idle sender waits for a request before it hears the partitions (venue liquidation passes). */
    static final long IDLE_PUMP_MILLIS = 5;
    /**
     * The highest seq whose venue liquidation pass has run and whose outcome is committed (the sender's ingest says,
     * after each batch and each time it hears the partitions): the reader publishes no seq above it.
     */
    private final java.util.concurrent.atomic.AtomicLong settled = new java.util.concurrent.atomic.AtomicLong();

    /** Wall time between two looks at the engines' committed offsets while a request waits. */
    static final long OFFSETS_POLL_MILLIS = 20;
    /** Longest wait at {@link #close} for the events of requests already sent. */
    static final long CLOSE_WAIT_MILLIS = 10_000;

    private final ClusterSettings settings;
    private final int partitions;
    private final EngineHost.EventListener listener;
    private final Admin admin;
    private final List<TopicPartition> commandPartitions = new ArrayList<>();
    private final List<TopicPartition> eventPartitions = new ArrayList<>();
    private final LinkedBlockingQueue<Work> toSender = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Sent> toReader = new LinkedBlockingQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong queuedCommands = new AtomicLong();
    private final AtomicLong appliedSeq = new AtomicLong();
    private final AtomicReference<Instant> clock = new AtomicReference<>();
    private final CountDownLatch rebuilt = new CountDownLatch(1);
    private final Thread sender;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile KafkaConsumer<String, String> consumer;
    /** Sender thread only. */
    private CommandIngest ingest;
    /** Sender thread only: the seq of the last market-wide command sent. */
    private long lastBroadcastSent;
    /** Sender thread only: the times of the account commands sent and not yet published, by seq. */
    private final java.util.TreeMap<Long, Instant> inFlightTimes = new java.util.TreeMap<>();

    private sealed interface Work permits Submit, Stop {
    }

    private record Submit(Function<Instant, List<String>> lines, CompletableFuture<Submitted> done, int count)
        implements Work {
    }

    private record Stop() implements Work {
    }

    /** A request whose lines are committed in the commands topic, waiting for its events. */
    private record Sent(long from, long to, int count, CompletableFuture<Submitted> done) {
    }

    private ClusterHost(ClusterSettings settings, int partitions, Admin admin, CommandIngest ingest,
                        EngineHost.EventListener listener) {
        this.settings = settings;
        this.partitions = partitions;
        this.admin = admin;
        this.ingest = ingest;
        this.listener = listener;
        for (int q = 0; q < partitions; q++) {
            commandPartitions.add(new TopicPartition(ClusterTopics.COMMANDS, q));
            eventPartitions.add(new TopicPartition(ClusterTopics.EVENTS, q));
        }
        this.reader = Thread.ofPlatform().name("upm-service-reader").start(this::read);
        this.sender = Thread.ofPlatform().name("upm-service-ingest").start(this::send);
    }

    /**
     * Connects to the cluster, opens the ingest (which fences any other ingest with the same transactional id), rebuilds
     * the read model from the cluster's committed events (every command already in the commands topic, applied by the
     * engines) and starts serving.
     *
     * @throws IllegalArgumentException naming what is wrong: the cluster cannot be reached, the topics are missing or
     *                                  disagree, or the engines did not apply the topic within the start timeout
     */
    public static ClusterHost open(ClusterSettings settings, EngineHost.EventListener listener) {
        settings.check();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        // a cluster that cannot be reached fails the start within seconds, not the client's default minute
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("bootstrap " + settings.bootstrap() + ": " + e.getMessage(), e);
        }
        ClusterHost host = null;
        CommandIngest ingest = null;
        try {
            int count = settings.partitions() > 0 ? ensure(settings) : existingPartitions(admin, settings.bootstrap());
            ingest = new CommandIngest(settings.bootstrap(), count, settings.transactionalId(), settings.params(),
                CommandIngest.DEFAULT_VERDICT_TIMEOUT);
            host = new ClusterHost(settings, count, admin, ingest, listener);
            if (!host.rebuilt.await(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalArgumentException("bootstrap " + settings.bootstrap() + ": the engines did not apply the "
                    + "commands already in " + ClusterTopics.COMMANDS + " within " + settings.startTimeout().toSeconds()
                    + " s: are `upm node` instances running on this cluster?");
            }
            if (host.failure != null) {
                throw new IllegalArgumentException("bootstrap " + settings.bootstrap() + ": " + host.failure.getMessage(),
                    host.failure);
            }
            return host;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(host, ingest, admin);
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            closeQuietly(host, ingest, admin);
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("bootstrap " + settings.bootstrap() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ClusterHost host, CommandIngest ingest, Admin admin) {
        if (host != null) {
            host.close();
            return;
        }
        if (ingest != null) {
            ingest.close();
        }
        admin.close(Duration.ofSeconds(5));
    }

    private static int ensure(ClusterSettings s) {
        try {
            return ClusterAdmin.ensureTopics(s.bootstrap(), s.partitions(), (short) 1);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The partition count of the two topics, which must exist and agree. */
    static int existingPartitions(Admin admin, String bootstrap) {
        Map<String, TopicDescription> d;
        try {
            d = admin.describeTopics(List.of(ClusterTopics.COMMANDS, ClusterTopics.EVENTS)).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("bootstrap " + bootstrap + ": the topics " + ClusterTopics.COMMANDS
                    + " and " + ClusterTopics.EVENTS + " do not exist: start `upm node` on this cluster first (it creates"
                    + " them), or give --partitions to create them");
            }
            throw new IllegalArgumentException("bootstrap " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int commands = d.get(ClusterTopics.COMMANDS).partitions().size();
        int events = d.get(ClusterTopics.EVENTS).partitions().size();
        if (commands != events) {
            throw new IllegalArgumentException("topics " + ClusterTopics.COMMANDS + " (" + commands + " partitions) and "
                + ClusterTopics.EVENTS + " (" + events + ") must have the same number of partitions");
        }
        return commands;
    }

    /** The partition count of the cluster's topics. */
    public int partitions() {
        return partitions;
    }

    // ---- the edge's questions ---------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Submitted> submit(Function<Instant, List<String>> lines, int count) {
        CompletableFuture<Submitted> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the service is stopped"));
            return done;
        }
        queuedCommands.addAndGet(count);
        toSender.add(new Submit(lines, done, count));
        return done;
    }

    /**
     * Not answered on a cluster: a what-if needs the account's positions and the engine's market snapshot, which live in
     * the account's partition's engine; the future fails with a 503 naming what to use instead.
     */
    @Override
    public CompletableFuture<Optional<WhatIf>> whatIf(String account, List<MarginCalculator.Order> orders) {
        return CompletableFuture.failedFuture(new ApiException(503, "", "what-ifs need the engine's state, which a "
            + "cluster (upm serve --bootstrap) keeps in the account's partition: not answered here; GET "
            + "/v1/accounts/{id} gives the account's report, and upm whatif computes a what-if from a portfolio file"));
    }

    /**
     * The engines' clock as of the last published seq: the latest time of a command their validation accepted (as the
     * in-process engine's clock).
     */
    @Override
    public CompletableFuture<Optional<Instant>> clock() {
        return CompletableFuture.completedFuture(Optional.ofNullable(clock.get()));
    }

    @Override
    public long queuedCommands() {
        return queuedCommands.get();
    }

    @Override
    public long appliedSeq() {
        return appliedSeq.get();
    }

    @Override
    public boolean healthy() {
        return running && failure == null && reader.isAlive() && sender.isAlive();
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    private void advanceClock(Instant t) {
        if (t != null) {
            clock.accumulateAndGet(t, (a, b) -> a == null || b.isAfter(a) ? b : a);
        }
    }

    // ---- the sender -------------------------------------------------------------------------------------------

    private void send() {
        List<Work> works = new ArrayList<>();
        try {
            rebuilt.await(); // the clock comes from the topics: stamp nothing before they are read
            while (true) {
                works.clear();
                Work next = toSender.poll(IDLE_PUMP_MILLIS, TimeUnit.MILLISECONDS);
                if (next == null) {
                    pumpIdle();
                    continue;
                }
                works.add(next);
                toSender.drainTo(works, MAX_BATCH_REQUESTS - 1);
                List<Submit> group = new ArrayList<>();
                boolean stop = false;
                for (Work w : works) {
                    if (w instanceof Submit s) {
                        group.add(s);
                    } else {
                        stop = true;
                    }
                }
                if (!group.isEmpty()) {
                    sendGroup(group);
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            running = false;
        } finally {
            List<Work> left = new ArrayList<>();
            toSender.drainTo(left);
            for (Work w : left) {
                if (w instanceof Submit s) {
                    queuedCommands.addAndGet(-s.count());
                    s.done().completeExceptionally(new IllegalStateException("the service is stopped"));
                }
            }
        }
    }

    /**
     * Idle: hears the partitions and sends the outcomes of the venue liquidation passes that can run (a partition
     * holding for one waits for the ingest, docs/cluster.md); a failure drops the ingest, reopened by the next batch.
     */
    private void pumpIdle() {
        if (ingest == null) {
            return;
        }
        try {
            ingest.pump();
            settled.set(ingest.settledThrough());
        } catch (RuntimeException e) {
            CommandIngest broken = ingest;
            ingest = null;
            broken.close();
        }
    }

    /** One transaction for the group's lines; each request then waits for the reader. */
    private void sendGroup(List<Submit> group) throws InterruptedException {
        // the time to stamp is the engines' clock after every command sent before. A command moves it only if their
        // validation accepts it, known once it is published. A market-wide command sent before: wait for it (at most
        // CLOSE_WAIT_MILLIS; they are few). Account commands still in flight: count their times (they are many, and
        // nearly all accepted; a refused one with a later time makes this stamp later than the in-process engine's)
        long end = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000L;
        while (appliedSeq.get() < lastBroadcastSent && running && System.nanoTime() < end) {
            pumpIdle(); // a partition may hold that command for a venue liquidation pass only this ingest can run
            Thread.sleep(2);
        }
        inFlightTimes.headMap(appliedSeq.get(), true).clear();
        Instant c = clock.get();
        for (Instant t : inFlightTimes.values()) {
            c = c == null || t.isAfter(c) ? t : c;
        }
        Instant now = c != null ? c : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> all = new ArrayList<>();
        List<Submit> ok = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (Submit s : group) {
            List<String> lines;
            try {
                lines = s.lines().apply(now);
            } catch (RuntimeException e) {
                queuedCommands.addAndGet(-s.count());
                s.done().completeExceptionally(e);
                continue;
            }
            ranges.add(new int[] {all.size(), all.size() + lines.size()});
            all.addAll(lines);
            ok.add(s);
        }
        if (all.isEmpty()) {
            return;
        }
        sending.set(true);
        try {
            long first = -1;
            int committed = all.size();
            KafkaException failed = null;
            try {
                if (ingest == null) {
                    ingest = new CommandIngest(settings.bootstrap(), partitions, settings.transactionalId(),
                        settings.params(), CommandIngest.DEFAULT_VERDICT_TIMEOUT);
                }
                first = ingest.nextSeq();
                long sentFirst = ingest.send(all);
                settled.set(ingest.settledThrough());
                if (sentFirst != first) {
                    throw new IllegalStateException("the ingest numbered the batch from " + sentFirst + ", expected " + first);
                }
            } catch (KafkaException e) {
                // none or (an ingest that commits a batch in parts before it waits for the engines) some of its lines are
                // committed: the topic tells how many. The next batch opens the ingest again (re-reading the last seq)
                failed = e;
                CommandIngest broken = ingest;
                ingest = null;
                if (broken != null) {
                    try {
                        broken.close();
                    } catch (RuntimeException ignored) {
                        // already fenced or closed
                    }
                }
                try {
                    committed = first < 0 ? 0 : (int) Math.max(0, Math.min(all.size(),
                        CommandIngest.lastSeqInTopic(settings.bootstrap(), partitions) - first + 1));
                } catch (RuntimeException unreadable) {
                    committed = -1; // unknown: the topic cannot be read either
                }
            }
            if (committed < 0) {
                for (Submit s : ok) {
                    queuedCommands.addAndGet(-s.count());
                    s.done().completeExceptionally(new ApiException(503, "", "the cluster's ingest did not commit the "
                        + "commands and the commands topic cannot be read to tell whether some are applied (see the "
                        + "account's report once the cluster answers): " + failed.getMessage()));
                }
                return;
            }
            for (int k = 0; k < committed; k++) {
                if (CommandReader.read(all.get(k)) instanceof ReadResult.Parsed p) {
                    if (p.command() instanceof AccountCommand) {
                        inFlightTimes.put(first + k, p.command().time());
                    } else {
                        lastBroadcastSent = first + k;
                    }
                }
            }
            for (int r = 0; r < ok.size(); r++) {
                Submit s = ok.get(r);
                int from = ranges.get(r)[0];
                int to = ranges.get(r)[1];
                if (to <= committed) {
                    toReader.add(new Sent(first + from, first + to - 1, s.count(), s.done()));
                    continue;
                }
                queuedCommands.addAndGet(-s.count());
                int mine = Math.max(0, committed - from);
                s.done().completeExceptionally(new ApiException(503, "", "the cluster's ingest did not commit "
                    + (mine == 0 ? "the commands (none of them is applied; send them again)"
                    : "all the commands: the first " + mine + " (seq " + (first + from) + " to " + (first + from + mine - 1)
                    + ") are applied, send the others again") + ": " + failed.getMessage()));
            }
        } finally {
            sending.set(false);
        }
    }

    // ---- the reader -------------------------------------------------------------------------------------------

    private static KafkaConsumer<String, String> newConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private void read() {
        CommittedEventBuffer buffer = new CommittedEventBuffer(partitions);
        List<Sent> waiting = new ArrayList<>();
        try (KafkaConsumer<String, String> c = newConsumer(settings.bootstrap())) {
            consumer = c;
            List<TopicPartition> all = new ArrayList<>(commandPartitions);
            all.addAll(eventPartitions);
            c.assign(all);
            c.seekToBeginning(all);
            // the rebuild: every command already in the topic, applied, and its events
            cycle(c, buffer, endOffsets(commandPartitions));
            publish(buffer, buffer.maxSeqBelowTarget(), waiting);
            rebuilt.countDown();
            while (running) {
                Sent first = toReader.poll(IDLE_SYNC_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    waiting.add(first);
                }
                toReader.drainTo(waiting);
                long[] target = endOffsets(commandPartitions);
                if (waiting.isEmpty()) {
                    // idle: another sequencer's commands, if any; not while one of ours is between commit and queue
                    if (sending.get() || !toReader.isEmpty()) {
                        continue;
                    }
                    cycle(c, buffer, target);
                    publish(buffer, buffer.maxSeqBelowTarget(), waiting);
                } else {
                    long upTo = 0;
                    for (Sent s : waiting) {
                        upTo = Math.max(upTo, s.to());
                    }
                    // a seq's venue liquidation pass (its events come from records written after its command's) must
                    // have run before the topic's end is the target: wait for the sender's ingest to say so
                    long end = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000L;
                    while (settled.get() < upTo && running && System.nanoTime() < end) {
                        Thread.sleep(1);
                    }
                    target = endOffsets(commandPartitions);
                    cycle(c, buffer, target);
                    publish(buffer, upTo, waiting);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (Throwable t) {
            failure = t; // a record the ingest did not write, or a broken invariant: stop rather than publish wrong views
            running = false;
        } finally {
            running = false;
            rebuilt.countDown();
            toReader.drainTo(waiting);
            for (Sent s : waiting) {
                queuedCommands.addAndGet(-s.count());
                s.done().completeExceptionally(new IllegalStateException("the service is stopped"));
            }
        }
    }

    /** The end offsets (high watermarks) of the given partitions, in partition order. */
    private long[] endOffsets(List<TopicPartition> tps) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        tps.forEach(tp -> spec.put(tp, OffsetSpec.latest()));
        while (true) {
            try {
                var r = admin.listOffsets(spec).all().get();
                long[] out = new long[tps.size()];
                for (int q = 0; q < tps.size(); q++) {
                    out[q] = r.get(tps.get(q)).offset();
                }
                return out;
            } catch (ExecutionException e) {
                checkRunning();
                Thread.sleep(200); // the broker unreachable for a moment: requests wait (and time out), nothing is lost
            }
        }
    }

    private void checkRunning() throws InterruptedException {
        if (!running) {
            throw new InterruptedException("closing");
        }
    }

    /** Reads commands to {@code target}, waits until the engines applied them, then reads the events to the end. */
    private void cycle(KafkaConsumer<String, String> c, CommittedEventBuffer buffer, long[] target)
        throws InterruptedException {
        buffer.target(target);
        readUntil(c, buffer, commandPartitions, target);
        long[] need = buffer.need();
        while (!applied(need)) {
            checkRunning();
            handle(c.poll(Duration.ofMillis(OFFSETS_POLL_MILLIS)), buffer); // read events meanwhile
        }
        buffer.applied();
        readUntil(c, buffer, eventPartitions, endOffsets(eventPartitions));
    }

    /** Whether the engines' group has committed at least {@code need[q]} on every partition of the commands topic. */
    private boolean applied(long[] need) throws InterruptedException {
        boolean any = false;
        for (long n : need) {
            any |= n > 0;
        }
        if (!any) {
            return true;
        }
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(ClusterTopics.APPLICATION_ID).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            return false;
        }
        for (int q = 0; q < partitions; q++) {
            if (need[q] > 0) {
                OffsetAndMetadata o = committed.get(commandPartitions.get(q));
                if (o == null || o.offset() < need[q]) {
                    return false;
                }
            }
        }
        return true;
    }

    private void readUntil(KafkaConsumer<String, String> c, CommittedEventBuffer buffer, List<TopicPartition> tps,
                           long[] end) throws InterruptedException {
        while (true) {
            boolean behind = false;
            for (int q = 0; q < tps.size() && !behind; q++) {
                behind = c.position(tps.get(q)) < end[q];
            }
            if (!behind) {
                return;
            }
            checkRunning();
            handle(c.poll(Duration.ofMillis(50)), buffer);
        }
    }

    private void handle(Iterable<ConsumerRecord<String, String>> records, CommittedEventBuffer buffer) {
        for (ConsumerRecord<String, String> r : records) {
            if (r.topic().equals(ClusterTopics.COMMANDS)) {
                buffer.command(r.partition(), r.offset(), r.value());
            } else {
                var order = r.headers().lastHeader(io.upm.cluster.ClusterTopics.ORDER_HEADER);
                buffer.event(r.partition(), r.value(), order == null ? 0
                    : Integer.parseInt(new String(order.value(), java.nio.charset.StandardCharsets.US_ASCII)));
            }
        }
        advanceClock(buffer.clock());
    }

    /** Publishes the events up to {@code upTo} and completes the requests it covers. */
    private void publish(CommittedEventBuffer buffer, long upTo, List<Sent> waiting) {
        List<CommittedEventBuffer.Received> block = buffer.publish(upTo, listener);
        advanceClock(buffer.clock()); // accepted market-wide commands move it at publication
        appliedSeq.set(buffer.published());
        if (waiting.isEmpty()) {
            return;
        }
        List<Sent> left = new ArrayList<>();
        for (Sent s : waiting) {
            if (s.to() > buffer.published()) {
                left.add(s);
                continue;
            }
            List<String> mine = new ArrayList<>();
            for (CommittedEventBuffer.Received r : block) {
                if (r.seq() >= s.from() && r.seq() <= s.to()) {
                    mine.add(r.line());
                }
            }
            queuedCommands.addAndGet(-s.count());
            s.done().complete(new Submitted(s.from(), s.to(), List.copyOf(mine)));
        }
        waiting.clear();
        waiting.addAll(left);
    }

    /**
     * Stops: the requests already handed in are sent and their events awaited (at most {@value #CLOSE_WAIT_MILLIS} ms),
     * then both threads end; the ingest and the clients close.
     */
    @Override
    public void close() {
        if (rebuilt.getCount() > 0) {
            // closed during the start (a rebuild that timed out): stop the reader first, the sender waits for it
            running = false;
            KafkaConsumer<String, String> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
        if (sender.isAlive()) {
            toSender.add(new Stop());
            join(sender);
        }
        long end = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000L;
        while (queuedCommands.get() > 0 && reader.isAlive() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        join(reader);
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
        admin.close(Duration.ofSeconds(5));
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
