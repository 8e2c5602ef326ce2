package io.upm.engine.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of the engine's state as the journal keeps it: opaque bytes (their format is the engine's) that hold
 * the state after the command at {@code seq}. Recovery loads it and replays the records after {@code seq}.
 *
 * @param seq   the seq of the last command the state includes
 * @param state the state's bytes; the array belongs to the snapshot: do not change it
 */
public record JournalSnapshot(long seq, byte[] state) {
    /** Checks the state is there. */
    public JournalSnapshot {
        Objects.requireNonNull(state, "state");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalSnapshot s && s.seq == seq && Arrays.equals(s.state, state);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "JournalSnapshot[seq=" + seq + ", " + state.length + " bytes]";
    }
}
