package io.upm.engine.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The live engine's durable journal in a directory: the input lines, numbered {@code seq} = 1, 2, 3..., and the
 * engine's snapshots. One SQLite database ({@value #DATABASE_FILE}) in WAL mode with {@code synchronous=FULL}: an
 * {@link #append} commits its whole batch in one transaction, whose WAL frames are fsynced before the call returns
 * (group commit: one fsync per batch, whatever its size). docs/engine.md describes the schema and what is durable
 * when.
 *
 * <p>Integrity: every record carries a CRC-32C of its seq and bytes. {@link #open} reads them all and checks their
 * CRCs and that their seqs run from 1 without a gap. A last record that fails its check (a torn write) is dropped,
 * with a warning for the caller to print ({@link #warnings()}); any other bad record, or a gap, stops the open with
 * a {@link JournalCorruptedException} naming the seq. Nothing is ever dropped or repaired silently.
 *
 * <p>One writer: the directory is locked ({@value #LOCK_FILE}) while the journal is open, against a second engine
 * on the same directory. Not thread-safe: one thread (the engine's writer) appends and saves snapshots;
 * {@link #readFrom(long)} cursors use their own connections and may be read on other threads.
 */
public final class Journal implements AutoCloseable {
    /** The database file in the journal's directory. */
    public static final String DATABASE_FILE = "journal.db";
    /** The lock file in the journal's directory, locked while a journal is open on it. */
    public static final String LOCK_FILE = "journal.lock";
    /** SQLite's {@code application_id} of a UPM journal: "UPMJ". */
    static final int APPLICATION_ID = 0x55504D4A;
    /** SQLite's {@code user_version} of this journal format. */
    static final int FORMAT_VERSION = 1;

    private static final String CREATING_FILE = DATABASE_FILE + ".new";
    /**
     * The engine's own commands (liquidation steps, bankruptcies): the lines the engine decided while applying the
     * input record {@code seq}, numbered by {@code part} from 0. They do not take input seqs, so a client's count of
     * its lines stays the seq (FORMATS.md's resend from {@code lastSeq + 1}).
     */
    private static final String CREATE_GENERATED = "CREATE TABLE IF NOT EXISTS generated_line (seq INTEGER NOT NULL,"
        + " part INTEGER NOT NULL, crc32c INTEGER NOT NULL, line BLOB NOT NULL, PRIMARY KEY (seq, part))";
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection connection;
    private final PreparedStatement insertRecord;
    private final PreparedStatement insertSnapshot;
    private final PreparedStatement insertGenerated;
    private final PreparedStatement selectGenerated;
    private final boolean created;
    private final List<String> warnings = new ArrayList<>();
    private long lastSeq;
    private String failure;
    private boolean closed;

    private Journal(Path directory, FileChannel lockChannel, FileLock lock, Connection connection, boolean created)
        throws SQLException {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.connection = connection;
        this.created = created;
        this.insertRecord = connection.prepareStatement("INSERT INTO command_line (seq, crc32c, line) VALUES (?, ?, ?)");
        this.insertSnapshot = connection.prepareStatement(
            "INSERT OR REPLACE INTO snapshot (seq, crc32c, state) VALUES (?, ?, ?)");
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(CREATE_GENERATED); // journals written before the engine had commands of its own
            connection.commit();
        }
        this.insertGenerated = connection.prepareStatement(
            "INSERT OR REPLACE INTO generated_line (seq, part, crc32c, line) VALUES (?, ?, ?, ?)");
        this.selectGenerated = connection.prepareStatement(
            "SELECT part, crc32c, line FROM generated_line WHERE seq = ? ORDER BY part");
    }

    /**
     * Opens the journal in {@code directory}, creating the directory and an empty journal if there is none, and
     * checks every record.
     *
     * @param directory the journal's directory
     * @return the open journal; its {@link #warnings()} say what was repaired
     * @throws JournalCorruptedException if a record other than the last fails its check, a seq is missing, or the
     *                                   database file is damaged or is no UPM journal
     * @throws JournalException          if the directory cannot be used, another process has the journal open, or the
     *                                   journal is of a newer format
     */
    public static Journal open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        FileChannel channel = null;
        FileLock lock = null;
        Connection connection = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new JournalException("journal " + dir + " is in use: another engine has it open", null);
            }
            Path database = dir.resolve(DATABASE_FILE);
            boolean created = !Files.exists(database);
            if (created) {
                create(dir);
            }
            connection = connect(database, false);
            checkFormat(connection, dir);
            Journal journal = new Journal(dir, channel, lock, connection, created);
            journal.verify();
            return journal;
        } catch (IOException e) {
            closeQuietly(connection, lock, channel);
            throw new JournalException("journal " + dir + ": " + e, e);
        } catch (SQLException e) {
            closeQuietly(connection, lock, channel);
            throw failure(dir, "cannot open", e);
        } catch (RuntimeException e) {
            closeQuietly(connection, lock, channel);
            throw e;
        }
    }

    /** The journal's directory (absolute). */
    public Path directory() {
        return directory;
    }

    /** True if {@link #open} created the journal: the engine starts empty, with no {@code recovered} event. */
    public boolean wasCreated() {
        return created;
    }

    /** The seq of the last durable record; 0 for an empty journal. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * What {@link #open} and {@link #latestSnapshot()} found and repaired (a torn last record dropped, a bad
     * snapshot skipped), oldest first, one line each, naming the journal's directory: for the caller to print.
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Appends a batch of input lines as records {@code lastSeq() + 1} to {@code lastSeq() + lines.size()} in one
     * transaction, and returns once they are durable (fsynced): group commit. An empty batch does nothing.
     *
     * @param lines the lines' bytes, each exactly as it should be replayed (normally UTF-8 JSON without the line
     *              break); not copied: do not change them while the call runs
     * @return the seq of the batch's last record, the new {@link #lastSeq()}
     * @throws JournalException if the batch could not be made durable; nothing of it is then promised, and the
     *                          journal refuses any further call (reopen it to see what was kept)
     * @throws NullPointerException if a line is null (nothing is written)
     */
    public synchronized long append(List<byte[]> lines) {
        checkUsable();
        for (byte[] line : lines) {
            if (line == null) {
                throw new NullPointerException("a line of the batch is null");
            }
        }
        if (lines.isEmpty()) {
            return lastSeq;
        }
        long seq = lastSeq;
        try {
            for (byte[] line : lines) {
                seq++;
                insertRecord.setLong(1, seq);
                insertRecord.setLong(2, RecordChecksum.of(seq, line));
                insertRecord.setBytes(3, line);
                insertRecord.addBatch();
            }
            insertRecord.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            fail("the append of records " + (lastSeq + 1) + " to " + seq + " failed", e);
        }
        lastSeq = seq;
        return seq;
    }

    /**
     * Stores the engine's own command lines decided while applying input record {@code seq} (part 0, 1, ...), durable
     * when the call returns; lines already stored for that seq are replaced. May be called from the engine's thread
     * while another thread appends input batches (the journal serialises its writes).
     *
     * @param seq   the input record they follow, in [1, {@link #lastSeq()}]
     * @param lines the lines' bytes (UTF-8 JSON)
     * @throws JournalException if they could not be made durable (the journal then refuses any further call)
     */
    public synchronized void appendGenerated(long seq, List<byte[]> lines) {
        checkUsable();
        if (seq < 1 || seq > lastSeq) {
            throw new IllegalArgumentException("generated lines follow an input record in [1, " + lastSeq + "], not "
                + seq);
        }
        try {
            for (int part = 0; part < lines.size(); part++) {
                insertGenerated.setLong(1, seq);
                insertGenerated.setInt(2, part);
                insertGenerated.setLong(3, RecordChecksum.of(seq * 65_536 + part, lines.get(part)));
                insertGenerated.setBytes(4, lines.get(part));
                insertGenerated.addBatch();
            }
            insertGenerated.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            fail("the engine's own lines after record " + seq + " could not be made durable", e);
        }
    }

    /** The input seqs from {@code fromSeq} on that have engine's own lines after them, ascending. */
    public synchronized long[] generatedSeqs(long fromSeq) {
        checkUsable();
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement(
            "SELECT DISTINCT seq FROM generated_line WHERE seq >= ? ORDER BY seq")) {
            q.setLong(1, fromSeq);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure(directory, "cannot list the engine's own lines", e);
        }
        return seqs.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The engine's own command lines stored after input record {@code seq}, in order (empty when none), each checked
     * against its CRC.
     *
     * @throws JournalCorruptedException if one fails its check
     */
    public synchronized List<byte[]> generated(long seq) {
        checkUsable();
        List<byte[]> out = new ArrayList<>();
        try {
            selectGenerated.setLong(1, seq);
            try (ResultSet rs = selectGenerated.executeQuery()) {
                while (rs.next()) {
                    int part = rs.getInt(1);
                    byte[] line = rs.getBytes(3);
                    if (part != out.size() || line == null || rs.getLong(2) != RecordChecksum.of(seq * 65_536 + part, line)) {
                        throw new JournalCorruptedException("journal " + directory + ": the engine's own line " + part
                            + " after record " + seq + " fails its check", seq, null);
                    }
                    out.add(line);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure(directory, "cannot read the engine's own lines after record " + seq, e);
        }
        return out;
    }

    /**
     * A cursor over the records from {@code fromSeq} on, in seq order, read lazily (never all in memory) on a
     * connection of its own: the records durable when its first record is read, none appended after. Each record's
     * CRC and seq are checked again as it is read.
     *
     * @param fromSeq the first seq wanted, from 1; past {@link #lastSeq()} the cursor is empty
     * @return the cursor; close it
     * @throws IllegalArgumentException if {@code fromSeq} is less than 1
     */
    public JournalCursor readFrom(long fromSeq) {
        checkUsable();
        if (fromSeq < 1) {
            throw new IllegalArgumentException("records start at seq 1, not " + fromSeq);
        }
        Connection reader = null;
        try {
            reader = connect(directory.resolve(DATABASE_FILE), true);
            return new JournalCursor(directory, reader, fromSeq);
        } catch (SQLException e) {
            closeQuietly(reader, null, null);
            throw failure(directory, "cannot read from seq " + fromSeq, e);
        }
    }

    /**
     * Stores a snapshot of the state after the command at {@code seq}, durable when the call returns; a snapshot
     * already stored at that seq is replaced.
     *
     * @param seq   the seq of the last command the state includes, in [1, {@link #lastSeq()}]
     * @param state the state's bytes (the engine's format); not copied
     * @throws IllegalArgumentException if {@code seq} is out of range
     * @throws JournalException         if it could not be made durable (the journal then refuses any further call)
     */
    public synchronized void saveSnapshot(long seq, byte[] state) {
        checkUsable();
        if (seq < 1 || seq > lastSeq) {
            throw new IllegalArgumentException("a snapshot's seq must be in [1, " + lastSeq + "], not " + seq);
        }
        try {
            insertSnapshot.setLong(1, seq);
            insertSnapshot.setLong(2, RecordChecksum.of(seq, state));
            insertSnapshot.setBytes(3, state);
            insertSnapshot.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            fail("the snapshot at seq " + seq + " could not be saved", e);
        }
    }

    /**
     * The latest snapshot that passes its CRC check. A later one that fails it is skipped with a warning
     * ({@link #warnings()}): a snapshot only saves replay time, the records after an older one rebuild the same
     * state.
     *
     * @return the snapshot, or empty if there is none (recovery replays from seq 1)
     */
    public Optional<JournalSnapshot> latestSnapshot() {
        checkUsable();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, crc32c, state FROM snapshot ORDER BY seq DESC")) {
            Optional<JournalSnapshot> found = Optional.empty();
            while (rs.next()) {
                long seq = rs.getLong(1);
                long crc = rs.getLong(2);
                byte[] state = rs.getBytes(3);
                if (state != null && crc == RecordChecksum.of(seq, state)) {
                    found = Optional.of(new JournalSnapshot(seq, state));
                    break;
                }
                warnings.add("journal " + directory + ": the snapshot at seq " + seq
                    + " fails its CRC-32C check: skipped, recovery uses an older one");
            }
            connection.commit();
            return found;
        } catch (SQLException e) {
            throw failure(directory, "cannot read the snapshots", e);
        }
    }

    /**
     * Deletes the snapshots before {@code seq}, to bound the space they take (the records are kept).
     *
     * @param seq the seq of the oldest snapshot to keep
     * @return how many were deleted
     */
    public synchronized int deleteSnapshotsBefore(long seq) {
        checkUsable();
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM snapshot WHERE seq < ?")) {
            s.setLong(1, seq);
            int n = s.executeUpdate();
            connection.commit();
            return n;
        } catch (SQLException e) {
            fail("the snapshots before seq " + seq + " could not be deleted", e);
            return 0;
        }
    }

    /** Closes the database (SQLite checkpoints its WAL) and releases the directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SQLException error = null;
        try {
            insertRecord.close();
            insertSnapshot.close();
            insertGenerated.close();
            selectGenerated.close();
            connection.rollback();
        } catch (SQLException e) {
            error = e;
        }
        closeQuietly(connection, lock, lockChannel);
        if (error != null && failure == null) {
            throw failure(directory, "cannot close", error);
        }
    }

    @Override
    public String toString() {
        return "Journal[" + directory + ", lastSeq=" + lastSeq + "]";
    }

    /** Reads every record, checks it, drops a bad last record, and sets {@link #lastSeq}. */
    private void verify() throws SQLException {
        long expected = 1;
        long badSeq = 0;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, crc32c, line FROM command_line ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (badSeq > 0) {
                    throw JournalCursor.badRecord(directory, badSeq);
                }
                if (seq != expected) {
                    throw JournalCursor.missing(directory, expected, seq);
                }
                byte[] line = rs.getBytes(3);
                if (line == null || rs.getLong(2) != RecordChecksum.of(seq, line)) {
                    badSeq = seq;
                }
                expected++;
            }
        }
        lastSeq = expected - 1;
        if (badSeq > 0) {
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM command_line WHERE seq = ?")) {
                d.setLong(1, badSeq);
                d.executeUpdate();
            }
            lastSeq = badSeq - 1;
            warnings.add("journal " + directory + ": the last record (seq " + badSeq + ") fails its CRC-32C check,"
                + " a torn write: dropped; the journal now ends at seq " + lastSeq);
        }
        try (PreparedStatement d = connection.prepareStatement("DELETE FROM snapshot WHERE seq > ?")) {
            d.setLong(1, lastSeq);
            int n = d.executeUpdate();
            if (n > 0) {
                warnings.add("journal " + directory + ": " + n + " snapshot(s) after the last record (seq " + lastSeq
                    + ") dropped with it");
            }
        }
        connection.commit();
    }

    /** Creates an empty journal under a temporary name, then moves it into place: a journal file is never partial. */
    private static void create(Path dir) throws IOException, SQLException {
        Path creating = dir.resolve(CREATING_FILE);
        Files.deleteIfExists(creating);
        Files.deleteIfExists(dir.resolve(CREATING_FILE + "-wal"));
        Files.deleteIfExists(dir.resolve(CREATING_FILE + "-shm"));
        try (Connection c = connect(creating, false); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
            s.executeUpdate("PRAGMA user_version = " + FORMAT_VERSION);
            s.executeUpdate("CREATE TABLE command_line (seq INTEGER PRIMARY KEY, crc32c INTEGER NOT NULL,"
                + " line BLOB NOT NULL)");
            s.executeUpdate("CREATE TABLE snapshot (seq INTEGER PRIMARY KEY, crc32c INTEGER NOT NULL,"
                + " state BLOB NOT NULL)");
            s.executeUpdate(CREATE_GENERATED);
            c.commit();
        }
        Files.move(creating, dir.resolve(DATABASE_FILE), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
    }

    private static void checkFormat(Connection c, Path dir) throws SQLException {
        int applicationId;
        int version;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA application_id")) {
                applicationId = rs.next() ? rs.getInt(1) : 0;
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
        }
        c.commit();
        if (applicationId != APPLICATION_ID) {
            throw new JournalCorruptedException("journal " + dir + ": " + DATABASE_FILE + " is no UPM journal"
                + " (SQLite application_id " + applicationId + "), or its header is damaged", 0, null);
        }
        if (version > FORMAT_VERSION) {
            throw new JournalException("journal " + dir + " has format " + version + ", newer than this UPM's ("
                + FORMAT_VERSION + "): open it with a newer UPM", null);
        }
    }

    /** A connection in WAL mode with synchronous=FULL, auto-commit off. */
    static Connection connect(Path database, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setReadOnly(readOnly);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + database, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }

    /** Makes a rename in {@code dir} durable (Linux, macOS; elsewhere the directory cannot be opened: skipped). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory; its renames are durable on return
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
        if (failure != null) {
            throw new JournalException("journal " + directory + " failed earlier (" + failure
                + "): reopen it to see what was kept", null);
        }
    }

    private void fail(String what, SQLException e) {
        failure = what;
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the failure above is what matters
        }
        throw failure(directory, what, e);
    }

    /** A SQLite error as a journal exception: damage as {@link JournalCorruptedException}. */
    static JournalException failure(Path dir, String what, SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
        int primary = code & 0xFF;
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code
            || code == SQLiteErrorCode.SQLITE_IOERR_CORRUPTFS.code) {
            return new JournalCorruptedException("journal " + dir + ": " + what + ": the database file is damaged ("
                + e.getMessage() + ")", 0, e);
        }
        return new JournalException("journal " + dir + ": " + what + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection connection, FileLock lock, FileChannel channel) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure: the failure is what the caller sees
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // as above
        }
    }
}
