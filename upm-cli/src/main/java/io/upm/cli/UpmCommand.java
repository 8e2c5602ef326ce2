package io.upm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code upm} command line: {@code margin}, {@code whatif} and {@code bench}.
 *
 * <p>Exit status: 0 on success, 2 on bad input or usage (one line on stderr naming the file and the
 * field, nothing on stdout; FORMATS.md, Errors), 1 on an internal error.
 */
@Command(name = "upm", mixinStandardHelpOptions = true, version = "upm 0.1.0",
    description = "UPM universal portfolio margin: whole-account margin for digital-asset derivatives.",
    subcommands = {MarginCommand.class, WhatIfCommand.class, BenchCommand.class, BacktestCommand.class, FeedCommand.class, CommandLine.HelpCommand.class})
public final class UpmCommand implements Runnable {
    /** Exit status for bad input or usage. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new UpmCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("upm: " + ex.getMessage());
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInput bad) {
                commandLine.getErr().println(bad.getMessage());
                return BAD_INPUT;
            }
            commandLine.getErr().println("upm: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl.execute(args);
    }
}
