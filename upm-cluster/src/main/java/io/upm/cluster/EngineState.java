package io.upm.cluster;

import io.upm.margin.params.MarginParameters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How a partition's engine lives in its Kafka Streams state store (and so in the store's changelog topic): the
 * latest snapshot of the {@link PartitionEngine}, cut into chunks, and every record applied since, in seq order (a
 * journal tail). Loading restores the snapshot and re-applies the tail; saving a snapshot replaces the chunks and
 * empties the tail. Under exactly-once the store's writes, the events and the input offsets are committed in one
 * Kafka transaction, so the store always holds exactly the records whose events were committed.
 *
 * <p>Keys: {@code snapshot.meta} (seq of the snapshot, chunk count, byte count), {@code snapshot.000000} ... (chunks of
 * at most {@value #CHUNK_BYTES} bytes, under Kafka's default 1 MB record limit), {@code tail.<seq, 19 digits>.<0 clock, 1 command or tick, 2 listing, 3.<piece> pass outcome>}
 * (a record's wire form). Stateless helper.
 */
public final class EngineState {
    /** The state store's name. */
    public static final String STORE = "upm-engine-state";
    /** Largest snapshot chunk, bytes. */
    public static final int CHUNK_BYTES = 512 * 1024;
    static final String META = "snapshot.meta";
    static final String CHUNK = "snapshot.";
    static final String TAIL = "tail.";

    private EngineState() {
    }

    /**
     * The store key of a tail record: its seq, then 0 for a clock record, 2 for a listing and 1 for any other, so that
     * the records of one seq come back in the order they were applied (clock, command or tick, listing).
     */
    public static String tailKey(SequencedCommand record) {
        String order = switch (record.kind()) {
            case CLOCK -> ".0";
            case LIST -> ".2";
            // after every record of its seq (it arrives later, but the partition held those after it), piece by piece
            case PASS -> ".3." + String.format("%06d", Chunks.partOf(record.line()));
            default -> ".1";
        };
        return TAIL + String.format("%019d", record.seq()) + order;
    }

    /**
     * The partition's engine as the store holds it: its snapshot, then its tail re-applied (their events were
     * committed when they were first applied, so they are dropped here).
     */
    public static PartitionEngine load(KeyValueStore<String, byte[]> store, int partition, MarginParameters params) {
        byte[] meta = store.get(META);
        PartitionEngine engine;
        if (meta == null) {
            engine = new PartitionEngine(partition, params);
        } else {
            ByteBuffer m = ByteBuffer.wrap(meta);
            m.getLong();
            int chunks = m.getInt();
            int bytes = m.getInt();
            ByteBuffer all = ByteBuffer.allocate(bytes);
            for (int i = 0; i < chunks; i++) {
                byte[] c = store.get(chunkKey(i));
                if (c == null) {
                    throw new IllegalStateException("state store " + STORE + " of partition " + partition
                        + ": snapshot chunk " + i + " of " + chunks + " is missing");
                }
                all.put(c);
            }
            engine = PartitionEngine.restore(partition, all.array(), params);
        }
        try (KeyValueIterator<String, byte[]> it = store.range(TAIL, TAIL + "~")) {
            while (it.hasNext()) {
                engine.apply(SequencedCommand.decode(new String(it.next().value, java.nio.charset.StandardCharsets.UTF_8)), PartitionEngine.Output.events(e -> { }));
            }
        }
        return engine;
    }

    /** The number of tail records in the store. */
    public static int tailSize(KeyValueStore<String, byte[]> store) {
        int n = 0;
        try (KeyValueIterator<String, byte[]> it = store.range(TAIL, TAIL + "~")) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Appends one record to the tail. */
    public static void append(KeyValueStore<String, byte[]> store, SequencedCommand record) {
        store.put(tailKey(record), record.toBytes());
    }

    /** Saves the engine's snapshot in place of the previous one and empties the tail. */
    public static void save(KeyValueStore<String, byte[]> store, PartitionEngine engine) {
        byte[] state = engine.snapshot();
        int chunks = (state.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
        byte[] old = store.get(META);
        int oldChunks = old == null ? 0 : ByteBuffer.wrap(old).getInt(8);
        for (int i = 0; i < chunks; i++) {
            store.put(chunkKey(i), Arrays.copyOfRange(state, i * CHUNK_BYTES, Math.min(state.length, (i + 1) * CHUNK_BYTES)));
        }
        for (int i = chunks; i < oldChunks; i++) {
            store.delete(chunkKey(i));
        }
        store.put(META, ByteBuffer.allocate(16).putLong(engine.lastSeq()).putInt(chunks).putInt(state.length).array());
        List<String> tail = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(TAIL, TAIL + "~")) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                tail.add(kv.key);
            }
        }
        tail.forEach(store::delete);
    }

    private static String chunkKey(int i) {
        return CHUNK + String.format("%06d", i);
    }
}
