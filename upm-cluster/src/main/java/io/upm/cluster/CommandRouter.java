package io.upm.cluster;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.engine.command.Command;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ingest's sequencer and router: gives every input line the next global sequence number and decides which
 * partitions receive it, and as what (docs/cluster.md, "Routing"):
 *
 * <ul>
 *   <li>a command of one account goes to the partition that owns the account ({@link ClusterTopics#partitionOf});
 *       every other partition receives a {@link SequencedCommand.Kind#TICK tick} with its time, unless that
 *       partition has already been sent a tick of that time or later: the engine lets time pass (expiries settle,
 *       options re-price once a minute) at whichever command first reaches a time, so each partition must see
 *       the times of the others' commands at their seqs to value its own accounts at the same moments;</li>
 *   <li>a market-wide command ({@code market}, {@code quote}, {@code funding}, {@code settle}, {@code snapshot})
 *       goes to every partition, in seq order with each partition's own commands;</li>
 *   <li>a malformed line goes to the partition of the account it names (partition 0 when it names none), which
 *       writes its {@code rejected} event.</li>
 * </ul>
 *
 * <p>Deterministic: the same lines in the same order give the same records. Not thread-safe: the ingest's single
 * producer thread owns it.
 */
public final class CommandRouter {
    /** One record to write: its partition, its key, its value. */
    public record Routed(int partition, String key, SequencedCommand command) {
    }

    private final int partitions;
    private final long[] lastTickMillis;
    private long nextSeq;

    /**
     * A router that numbers lines from {@code nextSeq} on.
     *
     * @param partitions the partition count of the commands topic, at least 1
     * @param nextSeq    the seq of the next line, at least 1 (one more than the last seq already in the topic)
     */
    public CommandRouter(int partitions, long nextSeq) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: must be at least 1, got " + partitions);
        }
        if (nextSeq < 1) {
            throw new IllegalArgumentException("nextSeq: must be at least 1, got " + nextSeq);
        }
        this.partitions = partitions;
        this.nextSeq = nextSeq;
        this.lastTickMillis = new long[partitions];
        Arrays.fill(lastTickMillis, Long.MIN_VALUE);
    }

    /** The partition count. */
    public int partitions() {
        return partitions;
    }

    /** The seq the next line will get. */
    public long nextSeq() {
        return nextSeq;
    }

    /** Numbers one input line and returns the records it becomes (at least one). */
    public List<Routed> route(String line) {
        long seq = nextSeq++;
        List<Routed> out = new ArrayList<>(2);
        switch (CommandReader.read(line)) {
            case ReadResult.Parsed p -> {
                Command c = p.command();
                if (c instanceof AccountCommand ac) {
                    int owner = ClusterTopics.partitionOf(ac.account(), partitions);
                    long t = c.time().toEpochMilli();
                    for (int q = 0; q < partitions; q++) {
                        if (q == owner) {
                            out.add(new Routed(q, ac.account(), new SequencedCommand(seq, SequencedCommand.Kind.ACCOUNT, line)));
                        } else if (t > lastTickMillis[q]) {
                            lastTickMillis[q] = t;
                            out.add(new Routed(q, ClusterTopics.MARKET_KEY,
                                new SequencedCommand(seq, SequencedCommand.Kind.TICK, c.time().toString())));
                        }
                    }
                } else {
                    for (int q = 0; q < partitions; q++) {
                        out.add(new Routed(q, ClusterTopics.MARKET_KEY, new SequencedCommand(seq, SequencedCommand.Kind.BROADCAST, line)));
                    }
                }
            }
            case ReadResult.Malformed m -> {
                String key = m.account() == null ? ClusterTopics.MARKET_KEY : m.account();
                int owner = m.account() == null ? 0 : ClusterTopics.partitionOf(m.account(), partitions);
                out.add(new Routed(owner, key, new SequencedCommand(seq, SequencedCommand.Kind.MALFORMED, line)));
            }
        }
        return out;
    }
}
