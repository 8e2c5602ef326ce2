package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.EventWriter;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams processor on Kafka's TopologyTestDriver, as partition 0 of a three-partition cluster: the events it
 * forwards are those of the in-memory partition engine, keyed by account; a resent record changes nothing; the state
 * store (snapshot chunks plus tail) rebuilds the same engine; a record that is not a sequenced command stops it.
 */
class EngineTopologyTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();

    @TempDir
    Path stateDir;

    TopologyTestDriver driver(int snapshotEvery) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "upm-engine-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(ClusterTopology.build(PARAMS, snapshotEvery), p);
    }

    @Test
    void forwardsThePartitionEnginesEventsKeyedByAccountAndRebuildsFromItsStore() {
        // a raw stream: times going back give clock records, which the store's tail must keep before their commands
        List<String> lines = PartitionedEquivalenceTest.disordered(CommandStreams.stream(11, 30, 700), 11);
        InMemoryCluster reference = new InMemoryCluster(3, PARAMS);
        reference.submit(lines);
        try (TopologyTestDriver d = driver(97)) {
            TestInputTopic<String, String> in = d.createInputTopic(ClusterTopics.COMMANDS, new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = d.createOutputTopic(ClusterTopics.EVENTS, new StringDeserializer(), new StringDeserializer());
            List<CommandRouter.Routed> records = reference.records.get(0);
            assertThat(records).anyMatch(r -> r.command().kind() == SequencedCommand.Kind.CLOCK);
            records.forEach(r -> in.pipeInput(r.key(), r.command().encode()));
            List<KeyValue<String, String>> events = out.readKeyValuesToList();

            assertThat(events).extracting(kv -> kv.value).isEqualTo(reference.events.get(0));
            // one verdict per account command of the partition: its clock after the command
            TestOutputTopic<String, String> verdicts = d.createOutputTopic(ClusterTopics.VERDICTS, new StringDeserializer(),
                new StringDeserializer());
            assertThat(verdicts.readValuesToList()).hasSize((int) records.stream()
                .filter(r -> r.command().kind() == SequencedCommand.Kind.ACCOUNT).count());
            for (KeyValue<String, String> kv : events) {
                String account = PartitionEngine.accountOf(EventReader.read(kv.value));
                assertThat(kv.key).isEqualTo(account == null ? ClusterTopics.MARKET_KEY : account);
                if (account != null) {
                    assertThat(ClusterTopics.partitionOf(account, 3)).isZero();
                }
            }

            // the ingest resends the last 50 records: nothing new comes out
            records.subList(records.size() - 50, records.size()).forEach(r -> in.pipeInput(r.key(), r.command().encode()));
            assertThat(out.isEmpty()).isTrue();

            // the store holds a snapshot and a tail shorter than the interval; they rebuild the very same engine
            KeyValueStore<String, byte[]> store = d.getKeyValueStore(EngineState.STORE);
            assertThat(store.get(EngineState.META)).isNotNull();
            assertThat(EngineState.tailSize(store)).isBetween(1, 96);
            PartitionEngine rebuilt = EngineState.load(store, 0, PARAMS);
            assertThat(rebuilt.lastSeq()).isEqualTo(records.getLast().command().seq());
            assertThat(rebuilt.engine().stateHash()).isEqualTo(reference.engines[0].engine().stateHash());
        }
        // no snapshot at all: the whole stream in the tail, clock records with it, rebuilds the same engine
        try (TopologyTestDriver d = driver(1_000_000)) {
            TestInputTopic<String, String> in = d.createInputTopic(ClusterTopics.COMMANDS, new StringSerializer(), new StringSerializer());
            reference.records.get(0).forEach(r -> in.pipeInput(r.key(), r.command().encode()));
            KeyValueStore<String, byte[]> store = d.getKeyValueStore(EngineState.STORE);
            assertThat(store.get(EngineState.META)).isNull();
            assertThat(EngineState.tailSize(store)).isEqualTo(reference.records.get(0).size());
            assertThat(EngineState.load(store, 0, PARAMS).engine().stateHash())
                .isEqualTo(reference.engines[0].engine().stateHash());
        }
    }

    @Test
    void holdingForAVenuePassSurvivesARestartFromTheStore() {
        // a crash: partition 0 hands in accounts and holds; the outcome comes back later, after records it held
        List<String> lines = CommandStreams.crash(15, 60, 500, 30, 300_000.0, 0.03);
        InMemoryCluster reference = new InMemoryCluster(3, PARAMS, 9);
        reference.submit(lines);
        List<CommandRouter.Routed> records = reference.records.get(0);
        // the first outcome that arrives after records of later seqs (the partition held them)
        int outcome = -1;
        for (int i = 1; i < records.size() && outcome < 0; i++) {
            if (records.get(i).command().kind() == SequencedCommand.Kind.PASS
                && records.get(i - 1).command().seq() > records.get(i).command().seq()) {
                outcome = i;
            }
        }
        assertThat(outcome).as("an outcome the partition waited for").isPositive();
        try (TopologyTestDriver d = driver(50)) {
            TestInputTopic<String, String> in = d.createInputTopic(ClusterTopics.COMMANDS, new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = d.createOutputTopic(ClusterTopics.EVENTS, new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<String, String> said = d.createOutputTopic(ClusterTopics.VERDICTS, new StringDeserializer(), new StringDeserializer());
            records.subList(0, outcome).forEach(r -> in.pipeInput(r.key(), r.command().encode()));
            List<String> before = out.readValuesToList();
            assertThat(said.readValuesToList()).anyMatch(v -> v.startsWith("R 0 "));

            // the task dies here: a new one rebuilds from the store, holding, and goes on with the outcome
            PartitionEngine rebuilt = EngineState.load(d.getKeyValueStore(EngineState.STORE), 0, PARAMS);
            assertThat(rebuilt.isHolding()).isTrue();
            List<String> after = new ArrayList<>();
            for (CommandRouter.Routed r : records.subList(outcome, records.size())) {
                rebuilt.apply(r.command(), PartitionEngine.Output.events(e -> after.add(EventWriter.toJsonLine(e))));
            }
            List<String> whole = new ArrayList<>(before);
            whole.addAll(after);
            assertThat(whole).isEqualTo(reference.events.get(0));
            assertThat(rebuilt.engine().stateHash()).isEqualTo(reference.engines[0].engine().stateHash());

            // and the live task, given the rest, says the same
            records.subList(outcome, records.size()).forEach(r -> in.pipeInput(r.key(), r.command().encode()));
            List<String> live = new ArrayList<>(before);
            live.addAll(out.readValuesToList());
            assertThat(live).isEqualTo(reference.events.get(0));
        }
    }

    @Test
    void aRecordThatIsNoSequencedCommandStopsTheTaskNamingItsOffsetAndWritesNothing() {
        try (TopologyTestDriver d = driver(1000)) {
            TestInputTopic<String, String> in = d.createInputTopic(ClusterTopics.COMMANDS, new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = d.createOutputTopic(ClusterTopics.EVENTS, new StringDeserializer(), new StringDeserializer());
            assertThatThrownBy(() -> in.pipeInput("a", "{\"type\":\"deposit\"}"))
                .hasStackTraceContaining("partition 0 offset 0: record: expected");
            assertThat(out.isEmpty()).isTrue();
            assertThat(EngineState.tailSize(d.getKeyValueStore(EngineState.STORE))).isZero();
        }
    }
}
