package io.upm.cluster;

import io.upm.engine.codec.EventWriter;
import io.upm.margin.params.MarginParameters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Kafka Streams processor of one partition: decodes each record of the commands topic, journals it in the
 * state store's tail, applies it to the partition's {@link PartitionEngine} and forwards the events, keyed by
 * account ({@link ClusterTopics#MARKET_KEY} for none), as JSON lines written by the engine's own {@link EventWriter};
 * after each of its own account commands it sends the ingest its verdict ({@link Verdicts}: the partition's clock).
 * Every {@code snapshotEvery} records it replaces the tail by a snapshot. The engine is rebuilt from the store when
 * the task starts (after a restart, a crash or a rebalance moved the partition here).
 *
 * <p>Each record's timestamp is carried to its events, so produce-to-event latency can be measured downstream. A
 * record that is not in the wire form of {@link SequencedCommand} stops the task with an exception naming its
 * partition and offset: only the ingest writes the topic, so it is a bug or an intruder, and computing on would be
 * worse. Not thread-safe: one stream thread owns each task.
 */
public final class EngineProcessor implements Processor<String, String, String, String> {
    private final MarginParameters params;
    private final int snapshotEvery;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, byte[]> store;
    private PartitionEngine engine;
    private int tail;
    /** The last progress told to the ingest. */
    private long progressSaid;
    /** How often a partition tells the ingest how far it has come (when it moved). */
    static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofMillis(5);

    /**
     * @param params        the margin parameters (every node of a cluster must use the same)
     * @param snapshotEvery records between snapshots of the engine in the store, at least 1
     */
    public EngineProcessor(MarginParameters params, int snapshotEvery) {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery: must be at least 1, got " + snapshotEvery);
        }
        this.params = params;
        this.snapshotEvery = snapshotEvery;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.store = context.getStateStore(EngineState.STORE);
        this.engine = EngineState.load(store, context.taskId().partition(), params);
        this.tail = EngineState.tailSize(store);
        // the venue's liquidation must know when no partition can still hand in accounts for a pass (docs/cluster.md)
        context.schedule(PROGRESS_EVERY, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
            this::sayProgress);
    }

    @Override
    public void process(Record<String, String> record) {
        SequencedCommand command;
        try {
            command = SequencedCommand.decode(record.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("topic " + ClusterTopics.COMMANDS + " partition " + context.taskId().partition()
                + context.recordMetadata().map(m -> " offset " + m.offset()).orElse("") + ": " + e.getMessage(), e);
        }
        if (engine.isApplied(command)) {
            return; // the ingest resent a record already applied
        }
        EngineState.append(store, command);
        engine.apply(command, new PartitionEngine.Output() {
            @Override
            public void event(io.upm.engine.event.Event e, int order) {
                String account = PartitionEngine.accountOf(e);
                Record<String, String> r = new Record<>(account == null ? ClusterTopics.MARKET_KEY : account,
                    EventWriter.toJsonLine(e), record.timestamp());
                r.headers().add(ClusterTopics.ORDER_HEADER, Integer.toString(order).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
                context.forward(r, ClusterTopology.EVENTS_SINK);
            }

            @Override
            public void verdict(long seq, long clockMillis) {
                // the verdict the ingest may wait for: this partition's clock after the command
                say(new Verdict.Clock(seq, clockMillis), record.timestamp());
            }

            @Override
            public void passRequest(io.upm.engine.core.VenuePass.Request request) {
                for (Verdict part : Verdict.PassRequestPart.of(engine.partition(), request)) {
                    say(part, record.timestamp());
                }
            }
        });
        if (++tail >= snapshotEvery && !engine.isHolding()) {
            EngineState.save(store, engine);
            tail = 0;
        }
    }

    private void say(Verdict v, long timestamp) {
        context.forward(new Record<>(Integer.toString(engine.partition()), v.encode(), timestamp),
            ClusterTopology.VERDICTS_SINK);
    }

    /** Tells the ingest how far this partition has come, when it has moved since it last said (every few ms). */
    private void sayProgress(long wallClockMillis) {
        if (engine.lastSeq() > progressSaid) {
            progressSaid = engine.lastSeq();
            say(new Verdict.Progress(engine.partition(), progressSaid), wallClockMillis);
        }
    }

    /** The partition's engine (tests). */
    PartitionEngine engine() {
        return engine;
    }
}
