package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.event.Event;
import io.upm.engine.event.RejectedEvent;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The partitioning itself, without Kafka: the router's records applied to one {@link PartitionEngine} per partition,
 * the partitions' verdicts handed back to the router, give account by account the single-node engine's events, bit
 * for bit, on raw streams: commands the engine rejects, times going back, unknown accounts (docs/cluster.md,
 * "Equivalence").
 */
class PartitionedEquivalenceTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    /** The seqs of the lines the single-node engine's validation rejects (rejected with a field, yet well-formed). */
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

    /**
     * The stream with, at about 4% of its positions, a copy of the line there (fills excepted: a fill applied twice
     * would lever accounts up into liquidation, which is venue-wide, docs/cluster.md) with its time moved back 1 to 150 s
     * (rejected for its time when an accepted command came in between, else applied) and, at about 2%, a command of an
     * account that does not exist (rejected: unknown account).
     */
    static List<String> disordered(List<String> lines, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line);
            Matcher m = TIME.matcher(line);
            if (!m.find()) {
                continue;
            }
            double x = rnd.nextDouble();
            if (x < 0.04 && !line.contains("\"type\":\"fill\"")) {
                Instant earlier = Instant.parse(m.group(1)).minusSeconds(1 + rnd.nextInt(150));
                out.add(m.replaceFirst("\"time\":\"" + earlier + "\""));
            } else if (x < 0.06) {
                out.add("{\"type\":\"withdraw\",\"time\":\"" + m.group(1) + "\",\"account\":\"ghost-" + rnd.nextInt(50)
                    + "\",\"asset\":\"USDC\",\"amount\":1}");
            }
        }
        return out;
    }

    /** The first event, in seq order over all accounts, where two groupings differ ("" when none). */
    static String firstDifference(Map<String, List<String>> expected, Map<String, List<String>> actual) {
        String found = "";
        long at = Long.MAX_VALUE;
        java.util.Set<String> accounts = new java.util.TreeSet<>(expected.keySet());
        accounts.addAll(actual.keySet());
        for (String a : accounts) {
            List<String> e = expected.getOrDefault(a, List.of());
            List<String> g = actual.getOrDefault(a, List.of());
            for (int i = 0; i < Math.max(e.size(), g.size()); i++) {
                String x = i < e.size() ? e.get(i) : null;
                String y = i < g.size() ? g.get(i) : null;
                if (!java.util.Objects.equals(x, y)) {
                    long seq = Math.min(x == null ? Long.MAX_VALUE : EventReader.read(x).seq(),
                        y == null ? Long.MAX_VALUE : EventReader.read(y).seq());
                    if (seq < at) {
                        at = seq;
                        found = "account " + a + ": upm engine " + x + "\n cluster " + y;
                    }
                    break;
                }
            }
        }
        return found;
    }

    /** The seq of the first liquidation step or fund change among the single engine's events (MAX_VALUE: none). */
    static long firstLiquidationSeq(List<String> events) {
        return events.stream().filter(e -> e.contains("\"type\":\"liquidation\"") || e.contains("\"type\":\"insurance\""))
            .mapToLong(e -> EventReader.read(e).seq()).min().orElse(Long.MAX_VALUE);
    }

    /** The events of seqs before {@code seq}, grouped by account. */
    static Map<String, List<String>> before(long seq, List<String> events) {
        return EventsByAccount.group(events.stream().filter(e -> EventReader.read(e).seq() < seq).toList());
    }

    /**
     * Runs the lines through {@code upm engine} and the in-memory cluster and compares their events account by account:
     * all of them; or, when they differ, it must be from the first liquidation step on (liquidation, the fund and
     * auto-deleveraging are venue-wide and not partitioned yet: docs/cluster.md), and every event before it is equal.
     * Returns MAX_VALUE when all are equal, else the seq from which they are not compared.
     */
    private long assertClusterEqualsUpmEngine(List<String> lines, int partitions, String what) {
        SingleNode.Run single = SingleNode.run(dir.resolve("single-" + partitions), lines, PARAMS);
        InMemoryCluster cluster = new InMemoryCluster(partitions, PARAMS);
        cluster.submit(lines);

        long liquidation = firstLiquidationSeq(single.events());
        Map<String, List<String>> all = EventsByAccount.group(single.events());
        boolean whole = EventsByAccount.group(cluster.allEvents()).equals(all);
        if (!whole) {
            // the only known difference: from the first liquidation step on (venue-wide)
            assertThat(liquidation).as("the cluster differs, yet no account was liquidated: "
                + firstDifference(all, EventsByAccount.group(cluster.allEvents()))).isLessThan(Long.MAX_VALUE);
            Map<String, List<String>> expected = before(liquidation, single.events());
            Map<String, List<String>> actual = before(liquidation, cluster.allEvents());
            assertThat(firstDifference(expected, actual)).as("the first event before the first liquidation that differs").isEmpty();
            assertThat(actual).isEqualTo(expected);
        } else {
            assertThat(cluster.allEvents()).hasSameSizeAs(single.events());
            // every account of the stream is there, each with its final report
            assertThat(all.keySet()).hasSizeGreaterThan(60);
            assertThat(all.get("acct-0").getLast()).contains("\"type\":\"report\"");
        }
        long ticks = cluster.records.stream().flatMap(List::stream)
            .filter(r -> r.command().kind() == SequencedCommand.Kind.TICK).count();
        System.out.printf("%s, %d partitions: %d lines, %d rejected by validation, %d crossings (%d ticks), %d waits, %s%n",
            what, partitions, lines.size(), rejectedByValidation(lines, single.events()).size(),
            cluster.router.crossings(), ticks, cluster.router.waits(),
            whole ? "every event equal" + (liquidation == Long.MAX_VALUE ? "" : " (liquidations included)")
                : "equal before the first liquidation, at seq " + liquidation);
        return whole ? Long.MAX_VALUE : liquidation;
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions")
    @CsvSource({"1, 6", "2, 6", "4, 1", "5, 7", "6, 3"})
    void onARawStreamTheClusterEqualsUpmEngineAccountByAccount(long seed, int partitions) {
        List<String> lines = CommandStreams.stream(seed, 60, 1_500);
        assertThat(rejectedByValidation(lines, SingleNode.run(dir.resolve("raw"), lines, PARAMS).events()))
            .as("the stream has commands the engine rejects").hasSizeGreaterThan(50);
        assertThat(assertClusterEqualsUpmEngine(lines, partitions, "seed " + seed))
            .as("most of the stream is compared").isGreaterThan(lines.size() / 4);
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions")
    @CsvSource({"7, 6", "8, 4"})
    void withTimesGoingBackAndUnknownAccountsTheClusterEqualsUpmEngine(long seed, int partitions) {
        List<String> lines = disordered(CommandStreams.stream(seed, 60, 1_500), seed);
        List<String> events = SingleNode.run(dir.resolve("raw"), lines, PARAMS).events();
        assertThat(events).as("some lines are rejected for their time").anyMatch(e -> e.contains("\"field\":\"time\""));
        assertThat(events).as("some lines name an unknown account").anyMatch(e -> e.contains("ghost-") && e.contains("\"field\":\"account\""));
        assertThat(assertClusterEqualsUpmEngine(lines, partitions, "seed " + seed + " disordered"))
            .as("most of the stream is compared").isGreaterThan(lines.size() / 4);
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions, steps up to {2} s")
    @CsvSource({"9, 6, 4", "10, 6, 0"})
    void onADenseStreamTimePassesElsewhereRarely(long seed, int partitions, int maxStepSeconds) {
        // a few seconds between commands, or a venue's pace (0: a hundred a second); ticks go out about once a minute
        List<String> lines = CommandStreams.stream(seed, 60, 1_500, maxStepSeconds);
        long liquidation = assertClusterEqualsUpmEngine(lines, partitions, "seed " + seed + " dense, step " + maxStepSeconds);
        assertThat(liquidation).as("most of the stream is compared").isGreaterThan(lines.size() / 4);
        InMemoryCluster cluster = new InMemoryCluster(partitions, PARAMS);
        cluster.submit(lines);
        assertThat(cluster.router.crossings()).isLessThan(lines.size() / 5);
    }

    @ParameterizedTest(name = "seed {0}, {1} partitions")
    @CsvSource({"7, 6"})
    void whereAccountsAreLiquidatedTheFirstDifferenceIsTheVenueWideFund(long seed, int partitions) {
        // documents the known limit (docs/cluster.md): the fund's balance is venue-wide, a partition's is its own
        List<String> lines = disordered(CommandStreams.stream(seed, 60, 1_500), seed);
        List<String> single = SingleNode.run(dir.resolve("single"), lines, PARAMS).events();
        InMemoryCluster cluster = new InMemoryCluster(partitions, PARAMS);
        cluster.submit(lines);
        String first = firstDifference(EventsByAccount.group(single), EventsByAccount.group(cluster.allEvents()));
        assertThat(firstLiquidationSeq(single)).isLessThan(Long.MAX_VALUE);
        assertThat(first).contains("\"type\":\"insurance\"");
    }

    @org.junit.jupiter.api.Test
    void anInstrumentListedByOnePartitionsAccountIsListedInEveryPartition() {
        // account a (one partition) is the only one to name a SOL weekly option; account b (another partition) holds a
        // BTC option. When the weekly expires, upm engine values its market at the expiry's first market command; a
        // partition that had not listed the weekly would keep its older valuation, and b's figures would differ
        String a = "alpha";
        String b = java.util.stream.IntStream.range(0, 100).mapToObj(k -> "bravo-" + k)
            .filter(x -> ClusterTopics.partitionOf(x, 6) != ClusterTopics.partitionOf(a, 6)).findFirst().orElseThrow();
        Instant t0 = io.upm.testkit.SyntheticVenue.TIME;
        Instant expiry = Instant.parse("2025-11-28T08:00:00Z");
        double[] spot = {CommandStreams.VENUE.spot("BTC"), CommandStreams.VENUE.spot("ETH"), CommandStreams.VENUE.spot("SOL")};
        List<String> lines = List.of(
            CommandStreams.market(t0.getEpochSecond(), spot, true),
            "{\"type\":\"deposit\",\"time\":\"" + t0 + "\",\"account\":\"" + a + "\",\"asset\":\"USDC\",\"amount\":1000000}",
            "{\"type\":\"deposit\",\"time\":\"" + t0 + "\",\"account\":\"" + b + "\",\"asset\":\"USDC\",\"amount\":1000000}",
            "{\"type\":\"fill\",\"time\":\"" + t0.plusSeconds(1) + "\",\"account\":\"" + b
                + "\",\"instrument\":\"BTC-27MAR26-135000-P\",\"size\":3,\"price\":0.5}",
            "{\"type\":\"order\",\"time\":\"" + t0.plusSeconds(2) + "\",\"account\":\"" + a
                + "\",\"id\":\"o1\",\"instrument\":\"SOL_USDC-28NOV25-85-P\",\"size\":1,\"price\":1}",
            CommandStreams.market(expiry.getEpochSecond() - 10, spot, false),
            CommandStreams.market(expiry.getEpochSecond() + 5, spot, false),
            "{\"type\":\"deposit\",\"time\":\"" + expiry.plusSeconds(6) + "\",\"account\":\"" + b + "\",\"asset\":\"USDC\",\"amount\":100}",
            "{\"type\":\"report\",\"time\":\"" + expiry.plusSeconds(7) + "\",\"account\":\"" + b + "\"}");
        SingleNode.Run single = SingleNode.run(dir.resolve("single-listing"), lines, PARAMS);
        InMemoryCluster cluster = new InMemoryCluster(6, PARAMS);
        cluster.submit(lines);
        Map<String, List<String>> expected = EventsByAccount.group(single.events());
        assertThat(expected.get(b)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(firstDifference(expected, EventsByAccount.group(cluster.allEvents()))).isEmpty();
        assertThat(cluster.records.get(ClusterTopics.partitionOf(b, 6)))
            .anyMatch(r -> r.command().kind() == SequencedCommand.Kind.LIST && r.command().line().equals("SOL_USDC-28NOV25-85-P"));
    }
}
