package io.upm.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.cluster.ClusterTopics;
import io.upm.cluster.PartitionEngine;
import io.upm.cluster.SequencedCommand;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.event.Event;
import io.upm.margin.params.MarginParameters;
import io.upm.service.engine.EngineHost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster back end's ordering and completeness rules without a broker: random venues run through the cluster's
 * partition engines (upm-cluster's {@link PartitionEngine}), their topics read back in random interleavings, must publish
 * exactly the events a single engine gives for the same lines, with the same times and market prices, in the same
 * order; and the bookkeeping of targets, the clock and rejected market commands.
 */
class CommittedEventBufferTest {
    private static final MarginParameters PARAMS = MarginParameters.defaults();
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    /** What a listener was handed: the events with their times, then the market prices. */
    static final class Recorder implements EngineHost.EventListener {
        final List<String> lines = new ArrayList<>();
        final List<Instant> times = new ArrayList<>();
        final List<String> prices = new ArrayList<>();

        @Override
        public void events(List<String> l, List<Event> events, List<Instant> t) {
            assertThat(events).hasSameSizeAs(l);
            lines.addAll(l);
            times.addAll(t);
        }

        @Override
        public void valuations(long lastSeq, Instant time, List<EngineHost.AccountFigures> figures) {
            throw new AssertionError("a cluster publishes no valuations");
        }

        @Override
        public void marketPrices(long seq, Instant time, Map<String, Double> p) {
            prices.add(seq + "@" + time + "=" + new java.util.TreeMap<>(p));
        }
    }

    /**
     * A venue of {@code accounts} leveraged BTC longs on USDC, then market moves of BTC between 82,000 and 92,000 (all
     * within the first minute, so that time passing re-prices nothing), with statuses moving between healthy and
     * restricted, and a refused market command among them.
     */
    static List<String> venue(long seed, int accounts, int moves) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add(market(T0, 90_000, true));
        for (int a = 0; a < accounts; a++) {
            lines.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"acct-%02d\","
                + "\"asset\":\"USDC\",\"amount\":%d}", T0.plusSeconds(1), a, 31_000 + r.nextInt(3_000)));
        }
        for (int a = 0; a < accounts; a++) {
            lines.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"acct-%02d\","
                + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":%.2f,\"price\":90000}", T0.plusSeconds(2), a,
                1.0 + 0.35 * r.nextDouble()));
        }
        // refused by validation: a time going back, and (below, last) an account that does not exist
        lines.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"acct-00\","
            + "\"asset\":\"USDC\",\"amount\":5}", T0));
        for (int m = 0; m < moves; m++) {
            Instant t = T0.plusSeconds(3 + m * 50L / moves);
            int btc = m == 0 ? 82_000 : m == 1 ? 92_000 : 82_000 + r.nextInt(10_001); // a fall and a recovery: many at once
            lines.add(market(t, btc, m != moves / 2)); // one refused: no forward in its band
            if (r.nextInt(3) == 0) {
                lines.add(String.format(Locale.ROOT, "{\"type\":\"report\",\"time\":\"%s\",\"account\":\"acct-%02d\"}", t,
                    r.nextInt(accounts)));
            }
        }
        lines.add("{\"type\":\"order\",\"time\":\"" + T0.plusSeconds(58) + "\",\"account\":\"ghost\",\"id\":\"g\","
            + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,\"price\":90000}");
        // the last time: an account command's (its tick may be read before it)
        lines.add("{\"type\":\"report\",\"time\":\"" + T0.plusSeconds(59) + "\",\"account\":\"acct-01\"}");
        return lines;
    }

    private static String market(Instant t, int btc, boolean sane) {
        return "{\"type\":\"market\",\"time\":\"" + t + "\",\"prices\":{\"BTC\":" + btc + ",\"USDC\":1},"
            + "\"marks\":{\"BTC_USDC-PERPETUAL\":" + (btc + 10) + "},\"forwards\":{\"BTC\":{\"25DEC26\":"
            + (sane ? btc + 1_000 : btc * 3) + "}},\"vols\":{\"BTC\":{\"flat\":0.55}},\"adv\":{\"BTC\":25000000000}}";
    }

    /** The single engine's events for the lines (the naive model: one engine, the lines in order). */
    static List<String> singleEngine(List<String> lines) {
        return singleEngine(lines, new MarginEngine(PARAMS));
    }

    static List<String> singleEngine(List<String> lines, MarginEngine engine) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            long seq = k + 1;
            switch (CommandReader.read(lines.get(k))) {
                case ReadResult.Parsed p -> engine.apply(seq, p.command(), e -> out.add(EventWriter.toJsonLine(e)));
                case ReadResult.Malformed m -> out.add(EventWriter.toJsonLine(m.toEvent(seq)));
            }
        }
        return out;
    }

    /** The two topics of a cluster that applied the lines: records per partition, in order. */
    record Topics(List<List<String>> commands, List<List<String>> events) {
    }

    /**
     * The topics of a cluster that applied the lines, routed as docs/cluster.md describes (a model written for this
     * test, not the ingest's router, whose internals change: an account command to its owner, a tick of its time at its
     * seq to every other partition; a market-wide command to every partition; a malformed line to the partition of the
     * account it names, else 0), each partition applied by upm-cluster's {@link PartitionEngine}.
     */
    static Topics cluster(List<String> lines, int partitions) {
        List<PartitionEngine> engines = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        List<List<String>> events = new ArrayList<>();
        for (int q = 0; q < partitions; q++) {
            engines.add(new PartitionEngine(q, PARAMS));
            commands.add(new ArrayList<>());
            events.add(new ArrayList<>());
        }
        for (int k = 0; k < lines.size(); k++) {
            long seq = k + 1;
            String line = lines.get(k);
            SequencedCommand[] to = new SequencedCommand[partitions];
            switch (CommandReader.read(line)) {
                case ReadResult.Parsed p when p.command() instanceof AccountCommand a -> {
                    for (int q = 0; q < partitions; q++) {
                        to[q] = q == ClusterTopics.partitionOf(a.account(), partitions)
                            ? new SequencedCommand(seq, SequencedCommand.Kind.ACCOUNT, line)
                            : new SequencedCommand(seq, SequencedCommand.Kind.TICK, a.time().toString());
                    }
                }
                case ReadResult.Parsed p -> java.util.Arrays.fill(to, new SequencedCommand(seq, SequencedCommand.Kind.BROADCAST, line));
                case ReadResult.Malformed m -> to[m.account() == null ? 0 : ClusterTopics.partitionOf(m.account(), partitions)] =
                    new SequencedCommand(seq, SequencedCommand.Kind.MALFORMED, line);
            }
            for (int q = 0; q < partitions; q++) {
                if (to[q] == null) {
                    continue;
                }
                commands.get(q).add(to[q].encode());
                engines.get(q).apply(to[q], (e, order) -> {
                    String account = PartitionEngine.accountOf(e);
                    // the events topic is keyed by account, partitioned as Kafka's default partitioner does
                    events.get(ClusterTopics.partitionOf(account == null ? ClusterTopics.MARKET_KEY : account, partitions))
                        .add(EventWriter.toJsonLine(e));
                });
            }
        }
        return new Topics(commands, events);
    }

    /** Feeds records {@code from[q]..to[q]} of every partition of both topics, interleaved at random. */
    static void feed(CommittedEventBuffer b, Topics t, int[] cmdFrom, int[] evFrom, SplittableRandom r) {
        int p = cmdFrom.length;
        int[] c = cmdFrom.clone();
        int[] e = evFrom.clone();
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int q = 0; q < p; q++) {
                if (c[q] < t.commands().get(q).size()) {
                    open.add(q);
                }
                if (e[q] < t.events().get(q).size()) {
                    open.add(p + q);
                }
            }
            if (open.isEmpty()) {
                break;
            }
            int pick = open.get(r.nextInt(open.size()));
            if (pick < p) {
                b.command(pick, c[pick], t.commands().get(pick).get(c[pick]));
                c[pick]++;
            } else {
                b.event(pick - p, t.events().get(pick - p).get(e[pick - p]));
                e[pick - p]++;
            }
        }
    }

    private static long[] ends(Topics t) {
        long[] out = new long[t.commands().size()];
        for (int q = 0; q < out.length; q++) {
            out[q] = t.commands().get(q).size();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theTopicsReadInAnyInterleavingPublishTheSingleEnginesEventsTimesAndPricesInItsOrder(long seed) {
        int partitions = 2 + (int) (seed % 4);
        List<String> lines = venue(seed, 24, 12);
        MarginEngine single = new MarginEngine(PARAMS);
        List<String> expected = singleEngine(lines, single);
        Topics topics = cluster(lines, partitions);

        CommittedEventBuffer buffer = new CommittedEventBuffer(partitions);
        Recorder got = new Recorder();
        buffer.target(ends(topics));
        feed(buffer, topics, new int[partitions], new int[partitions], new SplittableRandom(seed * 31));
        long[] need = buffer.need();
        for (int q = 0; q < partitions; q++) {
            assertThat(need[q]).as("the engines must pass the last record of partition " + q)
                .isEqualTo(topics.commands().get(q).size());
        }
        assertThat(buffer.maxSeqBelowTarget()).isEqualTo(lines.size());
        buffer.publish(buffer.maxSeqBelowTarget(), got);

        assertThat(got.lines).as("the single engine's events, in its order").isEqualTo(expected);
        assertThat(buffer.clock()).as("the single engine's clock").isEqualTo(single.clock())
            .isEqualTo(T0.plusSeconds(59));
        assertThat(expected.stream().filter(l -> l.contains("\"status\":\"restricted\"")).count())
            .as("statuses moved").isPositive();
        Map<Long, java.util.Set<Integer>> partitionsAtSeq = new java.util.HashMap<>();
        for (String l : expected) {
            Event e = io.upm.engine.event.Event.class.cast(io.upm.engine.codec.EventReader.read(l));
            String account = PartitionEngine.accountOf(e);
            if (account != null) {
                partitionsAtSeq.computeIfAbsent(e.seq(), k -> new java.util.HashSet<>())
                    .add(ClusterTopics.partitionOf(account, partitions));
            }
        }
        assertThat(partitionsAtSeq.values()).as("one seq's events came from several partitions (merged)")
            .anyMatch(set -> set.size() > 1);
        assertThat(expected).noneMatch(l -> l.contains("\"liquidation\""));
        assertThat(expected).anyMatch(l -> l.contains("unknown account ghost")).anyMatch(l -> l.contains("time is before"));
        // each event's time is its command's time
        for (int k = 0; k < got.lines.size(); k++) {
            long seq = io.upm.engine.codec.EventReader.read(got.lines.get(k)).seq();
            Instant commandTime = ((ReadResult.Parsed) CommandReader.read(lines.get((int) seq - 1))).command().time();
            assertThat(got.times.get(k)).isEqualTo(commandTime);
        }
        // the prices of every market command but the refused one, in seq order
        List<String> prices = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            if (CommandReader.read(lines.get(k)) instanceof ReadResult.Parsed p && p.command() instanceof MarketCommand m) {
                long seq = k + 1;
                if (expected.stream().noneMatch(l -> l.startsWith("{\"seq\":" + seq + ",\"type\":\"rejected\""))) {
                    prices.add(seq + "@" + m.time() + "=" + new java.util.TreeMap<>(m.fields().prices()));
                }
            }
        }
        assertThat(got.prices).isEqualTo(prices).hasSize(12); // 13 markets, one refused
        assertThat(buffer.held()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void publishingBatchByBatchAsRequestsCompleteGivesTheSameSequence(long seed) {
        int partitions = 3;
        List<String> lines = venue(seed, 12, 8);
        List<String> expected = singleEngine(lines);
        SplittableRandom r = new SplittableRandom(seed);
        CommittedEventBuffer buffer = new CommittedEventBuffer(partitions);
        Recorder got = new Recorder();
        int[] cmdAt = new int[partitions];
        int[] evAt = new int[partitions];
        int sent = 0;
        while (sent < lines.size()) {
            int batch = Math.min(lines.size() - sent, 1 + r.nextInt(6));
            sent += batch;
            // the topics as they stand after this batch (the router and engines are deterministic: a prefix)
            Topics t = cluster(lines.subList(0, sent), partitions);
            buffer.target(ends(t));
            feed(buffer, t, cmdAt, evAt, r);
            for (int q = 0; q < partitions; q++) {
                cmdAt[q] = t.commands().get(q).size();
                evAt[q] = t.events().get(q).size();
            }
            buffer.publish(sent, got);
            buffer.applied();
            assertThat(buffer.published()).isEqualTo(sent);
        }
        assertThat(got.lines).isEqualTo(expected);
    }

    @Test
    void recordsReadBeyondTheTargetCountOnlyOnceTheTargetPassesThem() {
        CommittedEventBuffer b = new CommittedEventBuffer(2);
        b.target(new long[] {1, 0});
        b.command(0, 0, "1 B " + market(T0, 90_000, true));
        b.command(1, 0, "1 B " + market(T0, 90_000, true));
        assertThat(b.need()).containsExactly(1, 0);
        assertThat(b.maxSeqBelowTarget()).isEqualTo(1);
        b.command(0, 1, "2 A {\"type\":\"deposit\",\"time\":\"" + T0.plusSeconds(5) + "\",\"account\":\"x\","
            + "\"asset\":\"USDC\",\"amount\":10}");
        assertThat(b.need()).containsExactly(1, 0);
        assertThat(b.maxSeqBelowTarget()).isEqualTo(1);
        b.target(new long[] {2, 1});
        assertThat(b.need()).containsExactly(2, 1);
        assertThat(b.maxSeqBelowTarget()).isEqualTo(2);
        b.applied();
        assertThat(b.need()).containsExactly(0, 0);
    }

    @Test
    void theClockMovesAtPublicationAtEveryCommandButThoseRefusedByValidation() {
        CommittedEventBuffer b = new CommittedEventBuffer(1);
        Recorder got = new Recorder();
        b.target(new long[] {5});
        b.command(0, 0, "1 A {\"type\":\"deposit\",\"time\":\"" + T0 + "\",\"account\":\"x\",\"asset\":\"USDC\",\"amount\":1}");
        b.command(0, 1, "2 B " + market(T0.plusSeconds(60), 90_000, false));
        b.command(0, 2, "3 B " + market(T0.plusSeconds(30), 90_000, true));
        b.command(0, 3, "4 A {\"type\":\"cancel\",\"time\":\"" + T0.plusSeconds(90) + "\",\"account\":\"x\",\"id\":\"o\"}");
        b.command(0, 4, "5 A {\"type\":\"order\",\"time\":\"" + T0.plusSeconds(40) + "\",\"account\":\"x\",\"id\":\"o\","
            + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":100,\"price\":90000}");
        assertThat(b.clock()).as("nothing is known before the engines' events are published").isNull();
        b.event(0, "{\"seq\":2,\"type\":\"rejected\",\"command\":\"market\",\"reason\":\"forward out of band\","
            + "\"field\":\"forwards.BTC.25DEC26\"}");
        b.event(0, "{\"seq\":4,\"type\":\"rejected\",\"command\":\"cancel\",\"account\":\"x\",\"id\":\"o\","
            + "\"reason\":\"no resting order o\",\"field\":\"id\"}");
        b.event(0, "{\"seq\":5,\"type\":\"rejected\",\"command\":\"order\",\"account\":\"x\",\"id\":\"o\","
            + "\"reason\":\"rejected: equity would not cover the initial margin\"}");
        b.publish(5, got);
        assertThat(b.clock()).as("the refusals by validation (seq 2, 4) moved nothing; the margin refusal did")
            .isEqualTo(T0.plusSeconds(40));
        assertThat(got.prices).hasSize(1).allMatch(s -> s.startsWith("3@"));
        assertThat(got.times).containsExactly(T0.plusSeconds(60), T0.plusSeconds(90), T0.plusSeconds(40));
    }

    @Test
    void aRecordTheIngestDidNotWriteIsRefusedNamingItsPlace() {
        CommittedEventBuffer b = new CommittedEventBuffer(3);
        assertThatThrownBy(() -> b.command(2, 41, "hello"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition 2 offset 41");
        assertThatThrownBy(() -> new CommittedEventBuffer(0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> b.target(new long[2])).hasMessageContaining("2 offsets for 3 partitions");
    }
}
