package io.upm.engine.journal;

/**
 * The journal cannot be used: a directory or file that cannot be read or written, a journal another process has
 * open, a file that is no UPM journal or of a newer format, a failed append. An engine that gets one stops: it
 * cannot promise durability any more. Reopening the journal says what was kept.
 */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the journal's directory
     * @param cause   the underlying error, or null
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
