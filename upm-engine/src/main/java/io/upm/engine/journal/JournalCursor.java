package io.upm.engine.journal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The records of a {@link Journal} from one seq on, in seq order, read lazily on a connection of its own: replay
 * and recovery go through the whole journal without holding it in memory. It sees the records that were durable
 * when its first record was read (a consistent snapshot of the journal), none appended after. Each record's CRC-32C
 * and seq are checked as it is read: a bad one is a {@link JournalCorruptedException} naming its seq.
 *
 * <p>Not thread-safe: one thread reads a cursor, possibly not the journal's writer thread. Close it.
 */
public final class JournalCursor implements Iterator<JournalRecord>, AutoCloseable {
    private final Path directory;
    private final Connection connection;
    private final PreparedStatement query;
    private final ResultSet rows;
    private long expected;
    private JournalRecord next;
    private boolean done;

    JournalCursor(Path directory, Connection connection, long fromSeq) throws SQLException {
        this.directory = directory;
        this.connection = connection;
        this.query = connection.prepareStatement("SELECT seq, crc32c, line FROM command_line WHERE seq >= ?"
            + " ORDER BY seq");
        query.setLong(1, fromSeq);
        this.rows = query.executeQuery();
        this.expected = fromSeq;
    }

    /**
     * True if there is another record.
     *
     * @throws JournalCorruptedException if the next record fails its check or a seq is missing
     * @throws JournalException          if the database cannot be read
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            if (!rows.next()) {
                done = true;
                close();
                return false;
            }
            long seq = rows.getLong(1);
            if (seq != expected) {
                throw missing(directory, expected, seq);
            }
            byte[] line = rows.getBytes(3);
            if (line == null || rows.getLong(2) != RecordChecksum.of(seq, line)) {
                throw badRecord(directory, seq);
            }
            expected++;
            next = new JournalRecord(seq, line);
            return true;
        } catch (SQLException e) {
            done = true;
            close();
            throw Journal.failure(directory, "cannot read the record at seq " + expected, e);
        } catch (JournalException e) {
            done = true;
            close();
            throw e;
        }
    }

    /**
     * The next record.
     *
     * @throws NoSuchElementException    after the last one
     * @throws JournalCorruptedException as {@link #hasNext()}
     */
    @Override
    public JournalRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no record after seq " + (expected - 1) + " in journal " + directory);
        }
        JournalRecord r = next;
        next = null;
        return r;
    }

    /** Releases the cursor's connection. Idempotent; the cursor closes itself after its last record. */
    @Override
    public void close() {
        try {
            rows.close();
            query.close();
            connection.rollback();
            connection.close();
        } catch (SQLException ignored) {
            // a read-only connection: nothing to lose
        }
    }

    static JournalCorruptedException badRecord(Path dir, long seq) {
        return new JournalCorruptedException("journal " + dir + ": the record at seq " + seq
            + " fails its CRC-32C check and is not the last one: the journal is damaged", seq, null);
    }

    static JournalCorruptedException missing(Path dir, long expected, long found) {
        return new JournalCorruptedException("journal " + dir + ": the record at seq " + expected + " is missing"
            + " (the next one is seq " + found + "): the journal is damaged", expected, null);
    }
}
