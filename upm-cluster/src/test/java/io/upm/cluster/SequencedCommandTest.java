package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The wire form of the commands topic, the partition rule, and what the router sends where. */
class SequencedCommandTest {

    @Test
    void wireFormRoundTripsOverSeededRandomRecords() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            SequencedCommand.Kind kind = SequencedCommand.Kind.values()[rnd.nextInt(SequencedCommand.Kind.values().length)];
            StringBuilder line = new StringBuilder();
            for (int k = rnd.nextInt(40); k > 0; k--) {
                line.append((char) (rnd.nextInt(3) == 0 ? ' ' : 0x20 + rnd.nextInt(0x2FFF)));
            }
            SequencedCommand c = new SequencedCommand(1 + rnd.nextLong(Long.MAX_VALUE - 1), kind, line.toString());
            assertThat(SequencedCommand.decode(c.encode())).isEqualTo(c);
            assertThat(SequencedCommand.decode(new String(c.toBytes(), StandardCharsets.UTF_8))).isEqualTo(c);
        }
    }

    @Test
    void badWireFormsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> SequencedCommand.decode("x A {}")).hasMessage("seq: not a number: x");
        assertThatThrownBy(() -> SequencedCommand.decode("3 Q {}")).hasMessageStartingWith("record kind: unknown letter 'Q'");
        assertThatThrownBy(() -> SequencedCommand.decode("0 A {}")).hasMessageStartingWith("seq: must be at least 1");
        assertThatThrownBy(() -> SequencedCommand.decode("12")).hasMessageStartingWith("record: expected");
    }

    @Test
    void anAccountsPartitionIsKafkasDefaultPartitionerForItsKey() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 5_000; i++) {
            String account = "acct-" + rnd.nextLong();
            int partitions = 1 + rnd.nextInt(64);
            assertThat(ClusterTopics.partitionOf(account, partitions))
                .isEqualTo(BuiltInPartitioner.partitionForKey(account.getBytes(StandardCharsets.UTF_8), partitions));
        }
    }

    /** A channel that records what the router sends and answers, at each round trip, the verdicts the test put. */
    static final class Recording implements CommandRouter.Channel {
        final List<CommandRouter.Routed> sent = new ArrayList<>();
        final java.util.Map<Long, Long> clocks = new java.util.HashMap<>();
        final List<List<Long>> asked = new ArrayList<>();

        @Override
        public void send(CommandRouter.Routed r) {
            sent.add(r);
        }

        /** One round trip: the verdicts the test put since the last one (their seqs are recorded in {@link #asked}). */
        @Override
        public List<Verdict> await() {
            List<Long> seqs = new java.util.TreeMap<>(clocks).keySet().stream().toList();
            if (seqs.isEmpty()) {
                throw new IllegalStateException("the router waits for a verdict the test did not give");
            }
            asked.add(seqs);
            List<Verdict> out = new ArrayList<>();
            seqs.forEach(s -> out.add(new Verdict.Clock(s, clocks.get(s))));
            clocks.clear();
            return out;
        }

        @Override
        public List<Verdict> poll() {
            return List.of();
        }

        List<CommandRouter.Routed> take() {
            List<CommandRouter.Routed> out = List.copyOf(sent);
            sent.clear();
            return out;
        }
    }

    @Test
    void accountCommandsGoToTheirPartitionMarketWideOnesToAllAndTimePassesElsewhereOnlyWhereItActs() {
        CommandRouter router = new CommandRouter(4, 10, io.upm.margin.params.MarginParameters.defaults());
        Recording ch = new Recording();
        String market = "{\"type\":\"market\",\"time\":\"2026-01-01T00:00:00Z\",\"prices\":{\"BTC\":1}}";
        router.route(market, ch);
        List<CommandRouter.Routed> m = ch.take();
        assertThat(m).extracting(CommandRouter.Routed::partition).containsExactly(0, 1, 2, 3);
        assertThat(m).allSatisfy(r -> assertThat(r.command()).isEqualTo(new SequencedCommand(10, SequencedCommand.Kind.BROADCAST, market)));

        // within the minute of the venue's clock nothing is due: the owner alone gets the command, no verdict asked
        String deposit = "{\"type\":\"deposit\",\"time\":\"2026-01-01T00:00:05Z\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":5}";
        int owner = ClusterTopics.partitionOf("alice", 4);
        router.route(deposit, ch);
        assertThat(ch.take()).containsExactly(new CommandRouter.Routed(owner, "alice", new SequencedCommand(11, SequencedCommand.Kind.ACCOUNT, deposit)));
        assertThat(ch.asked).isEmpty();

        // the next minute: the router waits, in one round trip, for the verdicts of the command in flight and of this one;
        // accepted, it ticks the others
        String later = deposit.replace("00:00:05", "00:01:30");
        ch.clocks.put(11L, Instant.parse("2026-01-01T00:00:05Z").toEpochMilli());
        ch.clocks.put(12L, Instant.parse("2026-01-01T00:01:30Z").toEpochMilli());
        router.route(later, ch);
        assertThat(ch.asked).containsExactly(List.of(11L, 12L));
        List<CommandRouter.Routed> d = ch.take();
        assertThat(d).hasSize(4);
        assertThat(d.getFirst()).isEqualTo(new CommandRouter.Routed(owner, "alice", new SequencedCommand(12, SequencedCommand.Kind.ACCOUNT, later)));
        assertThat(d.subList(1, 4)).allSatisfy(r -> {
            assertThat(r.partition()).isNotEqualTo(owner);
            assertThat(r.command()).isEqualTo(new SequencedCommand(12, SequencedCommand.Kind.TICK, "2026-01-01T00:01:30Z"));
        });
        assertThat(router.crossings()).isEqualTo(1);

        // a crossing the owner rejects (its clock stays): no tick
        String rejected = deposit.replace("00:00:05", "00:02:10").replace("alice", "bob");
        int bob = ClusterTopics.partitionOf("bob", 4);
        ch.clocks.put(13L, Long.MIN_VALUE);
        router.route(rejected, ch);
        assertThat(ch.take()).containsExactly(new CommandRouter.Routed(bob, "bob", new SequencedCommand(13, SequencedCommand.Kind.ACCOUNT, rejected)));

        // a command earlier than the venue's clock: its owner first gets the clock, so it rejects it for its time
        String early = deposit.replace("00:00:05", "00:01:00");
        router.route(early, ch);
        assertThat(ch.take()).containsExactly(
            new CommandRouter.Routed(owner, "alice", new SequencedCommand(14, SequencedCommand.Kind.CLOCK, "2026-01-01T00:01:30Z")),
            new CommandRouter.Routed(owner, "alice", new SequencedCommand(14, SequencedCommand.Kind.ACCOUNT, early)));

        router.route("not json", ch);
        assertThat(ch.take()).containsExactly(
            new CommandRouter.Routed(0, ClusterTopics.MARKET_KEY, new SequencedCommand(15, SequencedCommand.Kind.MALFORMED, "not json")));
        String bad = "{\"type\":\"deposit\",\"time\":\"2026-01-01T00:00:05Z\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":-5}";
        router.route(bad, ch);
        assertThat(ch.take()).containsExactly(
            new CommandRouter.Routed(owner, "alice", new SequencedCommand(16, SequencedCommand.Kind.MALFORMED, bad)));
        assertThat(router.nextSeq()).isEqualTo(17);
    }
}
