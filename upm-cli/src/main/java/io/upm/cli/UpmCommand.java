package io.upm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code upm} command line: {@code margin}, {@code whatif}, {@code hedge}, {@code bench}, {@code backtest},
 * {@code feed}, {@code engine}, {@code import}, {@code simulate}, {@code serve}, {@code keys}, {@code kafka-broker}
 * and {@code node}.
 *
 * <p>Exit status: 0 on success, 2 on bad input or usage (one line on stderr naming the file and the
 * field, nothing on stdout; FORMATS.md, Errors), 1 on an internal error. {@code upm} without a command is
 * a usage error: the usage goes to stderr and the status is 2 ({@code upm --help} prints it on stdout
 * and exits 0).
 */
@Command(name = "upm", mixinStandardHelpOptions = true, version = "upm 0.1.0",
    description = "UPM universal portfolio margin: whole-account margin for digital-asset derivatives.",
    subcommands = {MarginCommand.class, WhatIfCommand.class, HedgeCommand.class, BenchCommand.class,
        BacktestCommand.class, FeedCommand.class, EngineCommand.class, ImportCommand.class, SimulateCommand.class,
        ServeCommand.class, ServeCommand.Keys.class, KafkaBrokerCommand.class, NodeCommand.class,
        CommandLine.HelpCommand.class})
public final class UpmCommand implements Callable<Integer> {
    /** Exit status for bad input or usage. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a command: the usage on stderr, status {@link #BAD_INPUT}. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return BAD_INPUT;
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
