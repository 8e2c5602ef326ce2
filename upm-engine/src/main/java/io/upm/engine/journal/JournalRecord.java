package io.upm.engine.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One journaled input line.
 *
 * @param seq  its position in the journal, from 1
 * @param line its bytes, exactly as appended (normally UTF-8 JSON without the line break); the array belongs to
 *             the record: do not change it
 */
public record JournalRecord(long seq, byte[] line) {
    /** Checks the line is there. */
    public JournalRecord {
        Objects.requireNonNull(line, "line");
    }

    /** The line decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text() {
        return new String(line, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalRecord r && r.seq == seq && Arrays.equals(r.line, line);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(line);
    }

    @Override
    public String toString() {
        return "JournalRecord[seq=" + seq + ", line=" + text() + "]";
    }
}
