package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.event.Event;
import io.upm.engine.event.RejectedEvent;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The partitioning itself, without Kafka: the router's records applied to one {@link PartitionEngine} per partition
 * give, account by account, the single-node engine's events, bit for bit (docs/cluster.md, "Equivalence").
 */
class PartitionedEquivalenceTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();

    @TempDir
    Path dir;

    /** The lines the single-node engine's validation rejects (rejected with a field, yet well-formed). */
    static Set<Long> rejectedByValidation(List<String> lines, List<String> events) {
        Set<Long> invalid = new HashSet<>();
        for (String ev : events) {
            Event e = EventReader.read(ev);
            if (e instanceof RejectedEvent r && r.field() != null
                && CommandReader.read(lines.get((int) r.seq() - 1)) instanceof ReadResult.Parsed) {
                invalid.add(r.seq());
            }
        }
        return invalid;
    }

    /** The stream without the commands the engine's validation rejects (malformed lines stay). */
    static List<String> validated(List<String> raw, Path journal) {
        Set<Long> invalid = rejectedByValidation(raw, SingleNode.run(journal, raw, PARAMS).events());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            if (!invalid.contains((long) i + 1)) {
                lines.add(raw.get(i));
            }
        }
        assertThat(invalid).as("the generator's stream has commands the engine rejects").isNotEmpty();
        return lines;
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions")
    @CsvSource({"1, 6", "4, 1", "5, 7"})
    void onAStreamTheEngineValidatesWholeTheClusterEqualsUpmEngineAccountByAccount(long seed, int partitions) {
        List<String> lines = validated(CommandStreams.stream(seed, 60, 1_500), dir.resolve("raw"));
        SingleNode.Run single = SingleNode.run(dir.resolve("single"), lines, PARAMS);
        InMemoryCluster cluster = new InMemoryCluster(partitions, PARAMS);
        cluster.submit(lines);

        Map<String, List<String>> expected = EventsByAccount.group(single.events());
        assertThat(EventsByAccount.group(cluster.allEvents())).isEqualTo(expected);
        // every account of the stream is there, each with its final report
        assertThat(expected.keySet()).hasSizeGreaterThan(60);
        assertThat(expected.get("acct-0").getLast()).contains("\"type\":\"report\"");
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions")
    @CsvSource({"1, 6", "6, 3"})
    void onAnyStreamTheClusterEqualsOneEngineWhereTimePassesBeforeValidation(long seed, int partitions) {
        List<String> raw = CommandStreams.stream(seed, 60, 1_500);
        InMemoryCluster cluster = new InMemoryCluster(partitions, PARAMS);
        cluster.submit(raw);
        assertThat(EventsByAccount.group(cluster.allEvents()))
            .isEqualTo(EventsByAccount.group(TimeFirstEngine.run(raw, PARAMS)));
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"3"})
    void theTimeFirstModelIsUpmEngineWhenValidationRejectsNothing(long seed) {
        List<String> lines = validated(CommandStreams.stream(seed, 60, 1_500), dir.resolve("raw"));
        assertThat(TimeFirstEngine.run(lines, PARAMS)).isEqualTo(SingleNode.run(dir.resolve("single"), lines, PARAMS).events());
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"2"})
    void aRejectedCommandAtWhichTimeWouldPassIsWhereUpmEngineAndTheClusterPart(long seed) {
        // documents the one known difference (docs/cluster.md): it exists on the raw stream, and only there
        List<String> raw = CommandStreams.stream(seed, 60, 1_500);
        InMemoryCluster cluster = new InMemoryCluster(6, PARAMS);
        cluster.submit(raw);
        Map<String, List<String>> single = EventsByAccount.group(SingleNode.run(dir.resolve("single"), raw, PARAMS).events());
        Map<String, List<String>> parted = EventsByAccount.group(cluster.allEvents());
        long differing = single.keySet().stream().filter(a -> !single.get(a).equals(parted.get(a))).count();
        System.out.printf("seed %d, raw stream: %d of %d accounts' events differ from upm engine%n", seed, differing, single.size());
        assertThat(differing).isPositive();
        assertThat(parted.keySet()).isEqualTo(single.keySet());
    }
}
