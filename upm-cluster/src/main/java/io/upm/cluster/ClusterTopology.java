package io.upm.cluster;

import io.upm.margin.params.MarginParameters;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The engine nodes' Kafka Streams topology: {@value ClusterTopics#COMMANDS} into one {@link EngineProcessor} per
 * partition, with its state store {@value EngineState#STORE} (in memory, backed by a changelog topic), out to
 * {@value ClusterTopics#EVENTS} (the events) and {@value ClusterTopics#VERDICTS} (the account commands' verdicts, for
 * the ingest).
 */
public final class ClusterTopology {
    /** Records between snapshots of a partition's engine in its store, by default. */
    public static final int DEFAULT_SNAPSHOT_EVERY = 50_000;
    /** The sink of the events. */
    static final String EVENTS_SINK = "events";
    /** The sink of the verdicts. */
    static final String VERDICTS_SINK = "verdicts";

    private ClusterTopology() {
    }

    /** The topology. */
    public static Topology build(MarginParameters params, int snapshotEvery) {
        Topology t = new Topology();
        t.addSource("commands", Serdes.String().deserializer(), Serdes.String().deserializer(), ClusterTopics.COMMANDS);
        t.addProcessor("engine", () -> new EngineProcessor(params, snapshotEvery), "commands");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EngineState.STORE), Serdes.String(),
            Serdes.ByteArray()), "engine");
        t.addSink(EVENTS_SINK, ClusterTopics.EVENTS, Serdes.String().serializer(), Serdes.String().serializer(), "engine");
        t.addSink(VERDICTS_SINK, ClusterTopics.VERDICTS, Serdes.String().serializer(), Serdes.String().serializer(), "engine");
        return t;
    }
}
