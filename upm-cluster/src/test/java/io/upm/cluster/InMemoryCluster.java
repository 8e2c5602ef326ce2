package io.upm.cluster;

import io.upm.engine.codec.EventWriter;
import io.upm.margin.params.MarginParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster without Kafka: the router's records handed straight to one {@link PartitionEngine} per partition, and
 * the partitions' verdicts handed straight back to the router.
 */
final class InMemoryCluster {
    final CommandRouter router;
    final PartitionEngine[] engines;
    final List<List<String>> events = new ArrayList<>();
    /** The records each partition received, in order. */
    final List<List<CommandRouter.Routed>> records = new ArrayList<>();
    private final Map<Long, Long> verdicts = new HashMap<>();
    private final CommandRouter.Channel channel = new CommandRouter.Channel() {
        @Override
        public void send(CommandRouter.Routed r) {
            records.get(r.partition()).add(r);
            List<String> out = events.get(r.partition());
            PartitionEngine p = engines[r.partition()];
            p.apply(r.command(), e -> out.add(EventWriter.toJsonLine(e)));
            if (r.command().kind() == SequencedCommand.Kind.ACCOUNT) {
                verdicts.put(r.command().seq(), p.clockMillis());
            }
        }

        @Override
        public Map<Long, Long> awaitClocks(List<Long> seqs) {
            Map<Long, Long> out = new HashMap<>();
            for (Long s : seqs) {
                out.put(s, verdicts.get(s));
            }
            return out;
        }
    };

    InMemoryCluster(int partitions, MarginParameters params) {
        router = new CommandRouter(partitions, 1, params);
        engines = new PartitionEngine[partitions];
        for (int p = 0; p < partitions; p++) {
            engines[p] = new PartitionEngine(p, params);
            events.add(new ArrayList<>());
            records.add(new ArrayList<>());
        }
    }

    void submit(List<String> lines) {
        for (String line : lines) {
            router.route(line, channel);
        }
    }

    List<String> allEvents() {
        List<String> all = new ArrayList<>();
        events.forEach(all::addAll);
        return all;
    }
}
