package io.upm.cluster;

import io.upm.engine.codec.EventWriter;
import io.upm.engine.core.VenuePass;
import io.upm.engine.event.Event;
import io.upm.margin.params.MarginParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster without Kafka: the router's records handed straight to one {@link PartitionEngine} per partition, and
 * what the partitions say (verdicts, progress, pass requests) handed back to the router when it listens: at its
 * crossings, and every {@code pumpEvery} lines (so partitions hold records while a pass is pending, as on Kafka).
 */
final class InMemoryCluster {
    final CommandRouter router;
    final PartitionEngine[] engines;
    final List<List<String>> events = new ArrayList<>();
    /** Per partition, each event's order within its seq ({@link ClusterTopics#ORDER_HEADER}), parallel to {@link #events}. */
    final List<List<Integer>> orders = new ArrayList<>();
    /** The records each partition received, in order. */
    final List<List<CommandRouter.Routed>> records = new ArrayList<>();
    private final int pumpEvery;
    /** The base64 characters of each piece of a request or an outcome (small: many pieces). */
    int pieceChars = Chunks.MAX_CHARS;
    private final List<Verdict> said = new ArrayList<>();
    private final CommandRouter.Channel channel = new CommandRouter.Channel() {
        @Override
        public void send(CommandRouter.Routed r) {
            if (r.command().kind() == SequencedCommand.Kind.PASS && pieceChars < Chunks.MAX_CHARS) {
                // the outcome in small pieces, last piece first: the partition must put them together
                Chunks.Assembly whole = new Chunks.Assembly();
                if (!whole.add(r.command().line())) {
                    throw new IllegalStateException("the router cut an outcome this small");
                }
                List<String> pieces = new ArrayList<>(Chunks.split(whole.bytes(), pieceChars));
                java.util.Collections.reverse(pieces);
                for (String piece : pieces) {
                    deliver(new CommandRouter.Routed(r.partition(), r.key(),
                        new SequencedCommand(r.command().seq(), SequencedCommand.Kind.PASS, piece)));
                }
                return;
            }
            deliver(r);
        }

        private void deliver(CommandRouter.Routed r) {
            records.get(r.partition()).add(r);
            List<String> out = events.get(r.partition());
            PartitionEngine p = engines[r.partition()];
            long before = p.lastSeq();
            p.apply(r.command(), new PartitionEngine.Output() {
                @Override
                public void event(Event e, int order) {
                    out.add(EventWriter.toJsonLine(e));
                    orders.get(p.partition()).add(order);
                }

                @Override
                public void verdict(long seq, long clockMillis) {
                    said.add(new Verdict.Clock(seq, clockMillis));
                }

                @Override
                public void passRequest(VenuePass.Request request) {
                    // through the wire form, as on Kafka
                    for (Verdict part : Verdict.PassRequestPart.of(p.partition(), request, pieceChars)) {
                        said.add(Verdict.decode(part.encode()));
                    }
                }
            });
            if (p.lastSeq() != before) {
                said.add(new Verdict.Progress(p.partition(), p.lastSeq()));
            }
        }

        @Override
        public List<Verdict> await() {
            if (said.isEmpty()) {
                throw new IllegalStateException("in memory every record is applied when sent: nothing more will be said");
            }
            return poll();
        }

        @Override
        public List<Verdict> poll() {
            List<Verdict> out = List.copyOf(said);
            said.clear();
            return out;
        }
    };

    InMemoryCluster(int partitions, MarginParameters params) {
        this(partitions, params, 1);
    }

    InMemoryCluster(int partitions, MarginParameters params, int pumpEvery) {
        router = new CommandRouter(partitions, 1, params);
        engines = new PartitionEngine[partitions];
        this.pumpEvery = pumpEvery;
        for (int p = 0; p < partitions; p++) {
            engines[p] = new PartitionEngine(p, params);
            events.add(new ArrayList<>());
            orders.add(new ArrayList<>());
            records.add(new ArrayList<>());
        }
    }

    void submit(List<String> lines) {
        int n = 0;
        for (String line : lines) {
            router.route(line, channel);
            if (++n % pumpEvery == 0) {
                router.pump(channel);
            }
        }
        router.drain(channel);
    }

    /** One event as a reader of the events topic sees it. */
    record Read(long seq, int source, int order, String account, String line) implements EventOrder.Placed {
    }

    /**
     * Every event in the single engine's order, as a reader of every partition rebuilds it ({@link EventOrder}): the
     * partitions' events by seq (ties: partition after partition, each in its order), then merged.
     */
    List<String> eventsInEngineOrder() {
        List<Read> all = new ArrayList<>();
        for (int q = 0; q < engines.length; q++) {
            for (int k = 0; k < events.get(q).size(); k++) {
                String line = events.get(q).get(k);
                Event e = io.upm.engine.codec.EventReader.read(line);
                String account = Event.accountOf(e);
                all.add(new Read(e.seq(), 2 * q + (account == null ? 1 : 0), orders.get(q).get(k), account, line));
            }
        }
        all.sort(java.util.Comparator.comparingLong(Read::seq));
        return EventOrder.inEngineOrder(all).stream().map(Read::line).toList();
    }

    List<String> allEvents() {
        List<String> all = new ArrayList<>();
        events.forEach(all::addAll);
        return all;
    }
}
