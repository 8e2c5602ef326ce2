package io.upm.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's contract: numbering, durability across reopen, reading from a seq, snapshots, integrity checks. */
class JournalTest {
    @TempDir
    Path dir;

    /** A line of about 150 bytes whose content says its seq. */
    static byte[] line(long seq) {
        return ("{\"type\":\"deposit\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"acct-" + (seq % 97)
            + "\",\"asset\":\"USDC\",\"amount\":" + seq + ".25,\"note\":\"seq " + seq + " \u00e9\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> lines(long firstSeq, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(line(firstSeq + i));
        }
        return out;
    }

    static List<JournalRecord> readAll(Journal j, long fromSeq) {
        List<JournalRecord> out = new ArrayList<>();
        try (JournalCursor c = j.readFrom(fromSeq)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    static void assertRecords(Journal j, long fromSeq, long lastSeq) {
        List<JournalRecord> all = readAll(j, fromSeq);
        assertThat(all).hasSize((int) Math.max(0, lastSeq - fromSeq + 1));
        for (JournalRecord r : all) {
            assertThat(r.line()).as("record %d", r.seq()).isEqualTo(line(r.seq()));
        }
    }

    /** Runs SQL on the journal's database behind its back (the journal closed), as damage would. */
    void tamper(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Journal.DATABASE_FILE));
             Statement s = c.createStatement()) {
            for (String q : sql) {
                s.executeUpdate(q);
            }
        }
    }

    @Test
    void numbersRecordsFromOneAndKeepsThemAcrossReopen() {
        try (Journal j = Journal.open(dir)) {
            assertThat(j.wasCreated()).isTrue();
            assertThat(j.lastSeq()).isZero();
            assertThat(j.append(lines(1, 1))).isEqualTo(1);
            assertThat(j.append(lines(2, 64))).isEqualTo(65);
            assertThat(j.append(List.of())).isEqualTo(65);
            assertThat(j.append(lines(66, 1024))).isEqualTo(1089);
            assertThat(j.lastSeq()).isEqualTo(1089);
            assertThat(j.warnings()).isEmpty();
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.wasCreated()).isFalse();
            assertThat(j.lastSeq()).isEqualTo(1089);
            assertThat(j.warnings()).isEmpty();
            assertRecords(j, 1, 1089);
            assertRecords(j, 1000, 1089);
            assertRecords(j, 1090, 1089);
            assertThat(j.append(lines(1090, 3))).isEqualTo(1092);
            assertRecords(j, 1085, 1092);
        }
    }

    @Test
    void keepsTheBytesExactlyEvenWhenTheyAreNotUtf8() {
        byte[] odd = {(byte) 0xFF, 0, '\n', '{', (byte) 0xC3};
        try (Journal j = Journal.open(dir)) {
            j.append(List.of(odd, new byte[0]));
        }
        try (Journal j = Journal.open(dir)) {
            List<JournalRecord> all = readAll(j, 1);
            assertThat(all).containsExactly(new JournalRecord(1, odd), new JournalRecord(2, new byte[0]));
        }
    }

    @Test
    void aCursorIsLazyAndSeesTheJournalAsOfItsFirstRead() {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 100));
            try (JournalCursor c = j.readFrom(50)) {
                assertThat(c.next().seq()).isEqualTo(50);
                j.append(lines(101, 10));
                int n = 1;
                while (c.hasNext()) {
                    assertThat(c.next().seq()).isEqualTo(50 + n);
                    n++;
                }
                assertThat(n).isEqualTo(51);
            }
            assertRecords(j, 95, 110);
            assertThatThrownBy(() -> j.readFrom(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void storesSnapshotsAndLoadsTheLatestThatPassesItsCheck() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            assertThat(j.latestSnapshot()).isEmpty();
            j.append(lines(1, 10));
            j.saveSnapshot(4, "state at 4".getBytes(StandardCharsets.UTF_8));
            j.saveSnapshot(9, "state at 9".getBytes(StandardCharsets.UTF_8));
            assertThat(j.latestSnapshot()).contains(new JournalSnapshot(9, "state at 9".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> j.saveSnapshot(11, new byte[1])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> j.saveSnapshot(0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        }
        tamper("UPDATE snapshot SET state = X'00' WHERE seq = 9");
        try (Journal j = Journal.open(dir)) {
            assertThat(j.latestSnapshot()).contains(new JournalSnapshot(4, "state at 4".getBytes(StandardCharsets.UTF_8)));
            assertThat(j.warnings()).singleElement().asString().contains("snapshot at seq 9")
                .contains("fails its CRC-32C check");
            assertThat(j.deleteSnapshotsBefore(9)).isEqualTo(1);
            assertThat(j.latestSnapshot()).isEmpty();
        }
    }

    @Test
    void dropsATornLastRecordWithAWarning() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 20));
            j.saveSnapshot(20, new byte[] {1, 2, 3});
        }
        // the last row written with a CRC that does not match its bytes, as a torn write leaves it
        tamper("INSERT INTO command_line (seq, crc32c, line) VALUES (21, 12345, X'7B2274797065223A')");
        try (Journal j = Journal.open(dir)) {
            assertThat(j.lastSeq()).isEqualTo(20);
            assertThat(j.warnings()).singleElement().asString()
                .contains("the last record (seq 21) fails its CRC-32C check").contains("dropped")
                .contains("now ends at seq 20").contains(dir.toAbsolutePath().toString());
            assertRecords(j, 1, 20);
            assertThat(j.append(lines(21, 2))).isEqualTo(22);
            assertRecords(j, 1, 22);
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.warnings()).isEmpty();
            assertThat(j.lastSeq()).isEqualTo(22);
        }
    }

    @Test
    void dropsTheSnapshotsOfADroppedRecord() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 5));
            j.saveSnapshot(5, new byte[] {5});
            j.saveSnapshot(3, new byte[] {3});
        }
        tamper("UPDATE command_line SET line = X'00' WHERE seq = 5");
        try (Journal j = Journal.open(dir)) {
            assertThat(j.lastSeq()).isEqualTo(4);
            assertThat(j.warnings()).hasSize(2);
            assertThat(j.warnings().get(1)).contains("1 snapshot(s) after the last record (seq 4) dropped");
            assertThat(j.latestSnapshot()).contains(new JournalSnapshot(3, new byte[] {3}));
        }
    }

    @Test
    void refusesToOpenOnABadRecordInTheMiddleNamingItsSeq() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 50));
        }
        tamper("UPDATE command_line SET line = X'7B7D' WHERE seq = 17");
        assertThatThrownBy(() -> Journal.open(dir))
            .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.seq()).hasValue(17))
            .hasMessageContaining("the record at seq 17 fails its CRC-32C check and is not the last one");
        // the lock was released: the journal can be opened again once repaired by hand
        tamper("UPDATE command_line SET line = X'7B7D', crc32c = 0 WHERE seq = 49");
        assertThatThrownBy(() -> Journal.open(dir))
            .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.seq()).hasValue(17));
    }

    @Test
    void aRecordMovedToAnotherSeqFailsItsCheck() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 10));
        }
        // the bytes and CRC of record 3 copied onto record 4: the CRC covers the seq, so it no longer matches
        tamper("UPDATE command_line SET (line, crc32c) = (SELECT line, crc32c FROM command_line WHERE seq = 3)"
            + " WHERE seq = 4");
        assertThatThrownBy(() -> Journal.open(dir))
            .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.seq()).hasValue(4));
    }

    @Test
    void refusesToOpenWithAMissingSeq() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 10));
        }
        tamper("DELETE FROM command_line WHERE seq = 6");
        assertThatThrownBy(() -> Journal.open(dir))
            .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.seq()).hasValue(6))
            .hasMessageContaining("the record at seq 6 is missing (the next one is seq 7)");
        tamper("DELETE FROM command_line WHERE seq <= 2");
        assertThatThrownBy(() -> Journal.open(dir))
            .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.seq()).hasValue(1));
    }

    @Test
    void aCursorChecksEachRecordAgain() throws SQLException {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 10));
            // damage after the open's check, by another connection
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Journal.DATABASE_FILE));
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE command_line SET crc32c = crc32c + 1 WHERE seq = 8");
            }
            try (JournalCursor c = j.readFrom(5)) {
                assertThat(c.next().seq()).isEqualTo(5);
                assertThat(c.next().seq()).isEqualTo(6);
                assertThat(c.next().seq()).isEqualTo(7);
                assertThatThrownBy(c::next).isInstanceOfSatisfying(JournalCorruptedException.class,
                    e -> assertThat(e.seq()).hasValue(8));
            }
        }
    }

    @Test
    void oneWriterAtATime() {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 1));
            assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(JournalException.class)
                .hasMessageContaining("in use");
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void refusesAFileThatIsNoJournalAndANewerFormat() throws Exception {
        Files.writeString(dir.resolve(Journal.DATABASE_FILE), "this is not a database, just text long enough to "
            + "fill the header of one, more or less, and then some more text");
        assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(JournalCorruptedException.class)
            .hasMessageContaining("damaged");
        Files.delete(dir.resolve(Journal.DATABASE_FILE));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Journal.DATABASE_FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (x)");
        }
        assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(JournalCorruptedException.class)
            .hasMessageContaining("is no UPM journal");
        Files.delete(dir.resolve(Journal.DATABASE_FILE));
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 1));
        }
        tamper("PRAGMA user_version = 2");
        assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(JournalException.class)
            .hasMessageContaining("format 2, newer than this UPM's (1)");
    }

    @Test
    void aMainFileTruncatedAfterACleanCloseIsReportedNotReadAsEmpty() throws Exception {
        try (Journal j = Journal.open(dir)) {
            for (int b = 0; b < 40; b++) {
                j.append(lines(j.lastSeq() + 1, 50));
            }
        }
        Path db = dir.resolve(Journal.DATABASE_FILE);
        assertThat(Files.exists(dir.resolve(Journal.DATABASE_FILE + "-wal"))).as("WAL checkpointed on close").isFalse();
        long size = Files.size(db);
        byte[] original = Files.readAllBytes(db);
        for (long keep : new long[] {0, 50, 4096, size / 2, size - 4096}) {
            Files.write(db, original);
            try (FileChannel f = FileChannel.open(db, StandardOpenOption.WRITE)) {
                f.truncate(keep);
            }
            assertThatThrownBy(() -> Journal.open(dir)).as("truncated to %d of %d bytes", keep, size)
                .isInstanceOf(JournalCorruptedException.class).hasMessageContaining("damaged");
        }
        Files.write(db, original);
        try (Journal j = Journal.open(dir)) {
            assertThat(j.lastSeq()).isEqualTo(2000);
        }
    }

    @Test
    void aWalTornAtAnyPointLosesOnlyWholeTrailingBatches() throws Exception {
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        Path live = dir.resolve("live");
        List<Long> batchEnds = new ArrayList<>();
        try (Journal j = Journal.open(live)) {
            for (int b = 0; b < 30; b++) {
                batchEnds.add(j.append(lines(j.lastSeq() + 1, 1 + b % 7 * 9)));
            }
            // the files as a crash would leave them: the WAL holds every batch, the main file none
            Files.copy(live.resolve(Journal.DATABASE_FILE), crashed.resolve("db"));
            Files.copy(live.resolve(Journal.DATABASE_FILE + "-wal"), crashed.resolve("wal"));
        }
        long walSize = Files.size(crashed.resolve("wal"));
        assertThat(walSize).isGreaterThan(32 + 4096);
        List<Long> kept = new ArrayList<>();
        List<Long> cuts = new ArrayList<>();
        for (long cut = 0; cut < walSize; cut += 1 + walSize / 23) {
            cuts.add(cut);
        }
        cuts.add(walSize);
        for (long cut : cuts) {
            Path d = Files.createDirectories(dir.resolve("cut-" + cut));
            Files.copy(crashed.resolve("db"), d.resolve(Journal.DATABASE_FILE));
            Files.copy(crashed.resolve("wal"), d.resolve(Journal.DATABASE_FILE + "-wal"));
            try (FileChannel f = FileChannel.open(d.resolve(Journal.DATABASE_FILE + "-wal"), StandardOpenOption.WRITE)) {
                f.truncate(cut);
            }
            try (Journal j = Journal.open(d)) {
                assertThat(j.warnings()).isEmpty();
                long last = j.lastSeq();
                assertThat(last == 0 || batchEnds.contains(last)).as("cut at %d kept up to %d", cut, last).isTrue();
                assertRecords(j, 1, last);
                kept.add(last);
            }
        }
        assertThat(kept).isSorted();
        assertThat(kept.get(0)).isZero();
        assertThat(kept.get(kept.size() - 1)).as("the whole WAL keeps every batch")
            .isEqualTo(batchEnds.get(batchEnds.size() - 1));
    }

    @Test
    void aFailedAppendStopsTheJournalUntilReopened() throws Exception {
        try (Journal j = Journal.open(dir)) {
            j.append(lines(1, 3));
            // another writer takes seq 4 behind the journal's back: its next append collides
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Journal.DATABASE_FILE));
                 PreparedStatement s = c.prepareStatement("INSERT INTO command_line VALUES (4, 0, X'00')")) {
                s.executeUpdate();
            }
            assertThatThrownBy(() -> j.append(lines(4, 2))).isInstanceOf(JournalException.class)
                .hasMessageContaining("records 4 to 5");
            assertThat(j.lastSeq()).isEqualTo(3);
            assertThatThrownBy(() -> j.append(lines(4, 1))).isInstanceOf(JournalException.class)
                .hasMessageContaining("failed earlier");
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.lastSeq()).isEqualTo(3);
            assertThat(j.warnings()).singleElement().asString().contains("seq 4");
        }
    }

    @Test
    void createsTheDirectoryAndCleansAnInterruptedCreation() throws IOException {
        Path nested = dir.resolve("a/b/c");
        Files.createDirectories(nested);
        Files.writeString(nested.resolve(Journal.DATABASE_FILE + ".new"), "half-created");
        try (Journal j = Journal.open(nested)) {
            assertThat(j.wasCreated()).isTrue();
            j.append(lines(1, 2));
        }
        assertThat(Files.exists(nested.resolve(Journal.DATABASE_FILE + ".new"))).isFalse();
        try (Journal j = Journal.open(nested)) {
            assertThat(j.lastSeq()).isEqualTo(2);
        }
    }
}
