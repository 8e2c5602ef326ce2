package io.upm.engine.journal;

import java.util.OptionalLong;

/**
 * The journal's contents are damaged: a record that fails its CRC-32C check and is not the last one, a seq
 * missing, a snapshot or database file SQLite reports as malformed. Never repaired silently: the journal refuses
 * to open (or the cursor to go on) and names the first bad seq where there is one.
 */
public final class JournalCorruptedException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final long seq;

    /**
     * @param message what is damaged, naming the journal's directory
     * @param seq     the seq of the first bad record, or 0 when the damage is not in one record
     * @param cause   the underlying error, or null
     */
    public JournalCorruptedException(String message, long seq, Throwable cause) {
        super(message, cause);
        this.seq = seq;
    }

    /** The seq of the first bad record, if the damage is in one. */
    public OptionalLong seq() {
        return seq > 0 ? OptionalLong.of(seq) : OptionalLong.empty();
    }
}
