package io.upm.engine.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link JournalKillTest}: opens the journal in the directory given, prints
 * {@code open <lastSeq>}, then appends batches as fast as it can, printing {@code durable <seq>} after each append
 * returns, until it is killed. Batch sizes are a function of the batch's first seq ({@link #batchSize}), so that
 * the parent knows where every batch ends.
 */
public final class JournalAppenderProcess {
    private JournalAppenderProcess() {
    }

    /** The size of the batch starting at {@code firstSeq}: 1 to 97 records. */
    static int batchSize(long firstSeq) {
        return 1 + (int) Math.floorMod(firstSeq * 2_654_435_761L, 97L);
    }

    /**
     * Appends until killed.
     *
     * @param args the journal's directory
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (Journal journal = Journal.open(Path.of(args[0]))) {
            for (String w : journal.warnings()) {
                System.err.println(w);
            }
            out.println("open " + journal.lastSeq());
            out.flush();
            while (true) {
                long first = journal.lastSeq() + 1;
                long last = journal.append(JournalTest.lines(first, batchSize(first)));
                out.println("durable " + last);
                out.flush();
            }
        }
    }
}
