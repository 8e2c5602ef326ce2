package io.upm.cluster;

import io.upm.engine.codec.EventWriter;
import io.upm.margin.params.MarginParameters;
import java.util.ArrayList;
import java.util.List;

/** The cluster without Kafka: the router's records handed straight to one {@link PartitionEngine} per partition. */
final class InMemoryCluster {
    final CommandRouter router;
    final PartitionEngine[] engines;
    final List<List<String>> events = new ArrayList<>();

    InMemoryCluster(int partitions, MarginParameters params) {
        router = new CommandRouter(partitions, 1);
        engines = new PartitionEngine[partitions];
        for (int p = 0; p < partitions; p++) {
            engines[p] = new PartitionEngine(p, params);
            events.add(new ArrayList<>());
        }
    }

    void submit(List<String> lines) {
        for (String line : lines) {
            for (CommandRouter.Routed r : router.route(line)) {
                List<String> out = events.get(r.partition());
                engines[r.partition()].apply(r.command(), e -> out.add(EventWriter.toJsonLine(e)));
            }
        }
    }

    List<String> allEvents() {
        List<String> all = new ArrayList<>();
        events.forEach(all::addAll);
        return all;
    }
}
