package io.upm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI in-process, as {@code upm <args>} would run, capturing what it prints: the harness of the CLI
 * tests. It swaps {@link System#out} and {@link System#err} for the duration of a run and restores them after,
 * so runs must not overlap (JUnit runs the tests of this module one at a time).
 */
final class CliRunner {
    private CliRunner() {
    }

    /**
     * The outcome of one run.
     *
     * @param status the exit status {@link UpmCommand#execute(String...)} returned
     * @param out    what it printed on standard output, UTF-8
     * @param err    what it printed on standard error, UTF-8
     */
    record Run(int status, String out, String err) {
    }

    /** Runs {@code upm} with {@code args}, capturing its exit status, standard output and standard error. */
    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = UpmCommand.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
