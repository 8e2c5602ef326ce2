/**
 * The live engine's durable journal (docs/engine.md, "The journal"): every input line, numbered
 * {@code seq} = 1, 2, 3..., appended in batches that are durable when {@link io.upm.engine.journal.Journal#append}
 * returns (group commit), each with a CRC-32C; read back from any seq on as a stream
 * ({@link io.upm.engine.journal.JournalCursor}) for replay and recovery; and the engine's snapshots, opaque bytes
 * at a seq. One SQLite database in a directory, in WAL mode with {@code synchronous=FULL}.
 *
 * <p>On open the journal checks every record (CRC, seq from 1 without a gap): a bad last record is dropped with a
 * warning ({@link io.upm.engine.journal.Journal#warnings()}), a bad record anywhere else stops the open with a
 * {@link io.upm.engine.journal.JournalCorruptedException} naming its seq. A journal has one writer: the directory
 * is locked while it is open.
 */
package io.upm.engine.journal;
