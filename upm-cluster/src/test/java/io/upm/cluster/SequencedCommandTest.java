package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
            SequencedCommand.Kind kind = SequencedCommand.Kind.values()[rnd.nextInt(4)];
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

    @Test
    void accountCommandsGoToTheirPartitionMarketWideOnesToAllAndTheOthersGetOneTickPerNewTime() {
        CommandRouter router = new CommandRouter(4, 10);
        String market = "{\"type\":\"market\",\"time\":\"2026-01-01T00:00:00Z\",\"prices\":{\"BTC\":1}}";
        List<CommandRouter.Routed> m = router.route(market);
        assertThat(m).extracting(CommandRouter.Routed::partition).containsExactly(0, 1, 2, 3);
        assertThat(m).allSatisfy(r -> assertThat(r.command()).isEqualTo(new SequencedCommand(10, SequencedCommand.Kind.BROADCAST, market)));

        String deposit = "{\"type\":\"deposit\",\"time\":\"2026-01-01T00:00:05Z\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":5}";
        int owner = ClusterTopics.partitionOf("alice", 4);
        List<CommandRouter.Routed> d = router.route(deposit);
        assertThat(d).hasSize(4);
        for (CommandRouter.Routed r : d) {
            assertThat(r.command().seq()).isEqualTo(11);
            if (r.partition() == owner) {
                assertThat(r.command()).isEqualTo(new SequencedCommand(11, SequencedCommand.Kind.ACCOUNT, deposit));
                assertThat(r.key()).isEqualTo("alice");
            } else {
                assertThat(r.command()).isEqualTo(new SequencedCommand(11, SequencedCommand.Kind.TICK, "2026-01-01T00:00:05Z"));
            }
        }
        // the same time again: the other partitions have seen it, only the owner gets the command
        assertThat(router.route(deposit)).extracting(CommandRouter.Routed::partition).containsExactly(owner);

        assertThat(router.route("not json")).containsExactly(
            new CommandRouter.Routed(0, ClusterTopics.MARKET_KEY, new SequencedCommand(13, SequencedCommand.Kind.MALFORMED, "not json")));
        String bad = "{\"type\":\"deposit\",\"time\":\"2026-01-01T00:00:05Z\",\"account\":\"alice\",\"asset\":\"USDC\",\"amount\":-5}";
        assertThat(router.route(bad)).containsExactly(
            new CommandRouter.Routed(owner, "alice", new SequencedCommand(14, SequencedCommand.Kind.MALFORMED, bad)));
        assertThat(router.nextSeq()).isEqualTo(15);
    }
}
