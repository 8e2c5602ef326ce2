package io.upm.cli;

import io.upm.formats.ErrorLine;
import io.upm.formats.MarketReader;
import io.upm.formats.ParametersReader;
import io.upm.formats.PortfolioReader;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Loads the CLI's input files and turns every {@link InputException} into a {@link BadInput} line that
 * names the file the offending field belongs to. A file that cannot be read at all is named with its role
 * and path: {@code upm: market file examples/nope.json: cannot read (No such file or directory)}.
 */
final class Inputs {
    private Inputs() {
    }

    /** The role of the {@code --market} file in error lines. */
    static final String MARKET = "market file";
    /** The role of the {@code --portfolio} file in error lines. */
    static final String PORTFOLIO = "portfolio file";
    /** The role of the {@code --params} file in error lines. */
    static final String PARAMS = "params file";

    static MarketSnapshot market(Path file) {
        readable(MARKET, file);
        return guarded(file.toString(), () -> MarketReader.read(file));
    }

    static Portfolio portfolio(Path file) {
        readable(PORTFOLIO, file);
        return guarded(file.toString(), () -> PortfolioReader.read(file));
    }

    static MarginParameters params(Path file) {
        if (file == null) {
            return MarginParameters.defaults();
        }
        readable(PARAMS, file);
        return guarded(file.toString(), () -> ParametersReader.read(file));
    }

    /**
     * Checks that {@code file} is a regular file this process can open, else throws the one-line error
     * {@code upm: <role> <path>: cannot read (<reason>)}, the reason worded as the operating system words
     * it ({@code No such file or directory}, {@code Permission denied}, {@code Is a directory}).
     *
     * @param role what the file is for, e.g. {@code market file}
     */
    static void readable(String role, Path file) {
        String reason = null;
        if (Files.isDirectory(file)) {
            reason = "Is a directory";
        } else {
            try {
                Files.newByteChannel(file).close();
                return;
            } catch (NoSuchFileException e) {
                reason = "No such file or directory";
            } catch (AccessDeniedException e) {
                reason = "Permission denied";
            } catch (IOException | SecurityException e) {
                reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        throw new BadInput(cannotRead(role, file, reason));
    }

    /**
     * Checks that {@code dir} is a folder this process can list, else throws the one-line error
     * {@code upm: <role> <path>: cannot read (<reason>)}.
     *
     * @param role what the folder is for, e.g. {@code data folder}
     */
    static void readableFolder(String role, Path dir) {
        String reason;
        try {
            Files.newDirectoryStream(dir).close();
            return;
        } catch (NoSuchFileException e) {
            reason = "No such file or directory";
        } catch (NotDirectoryException e) {
            reason = "Not a directory";
        } catch (AccessDeniedException e) {
            reason = "Permission denied";
        } catch (IOException | SecurityException e) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        throw new BadInput(cannotRead(role, dir, reason));
    }

    private static String cannotRead(String role, Path file, String reason) {
        return ("upm: " + role + " " + file + ": cannot read (" + reason + ")").replaceAll("[\\r\\n]+", " ");
    }

    /**
     * Runs a computation that combines the portfolio with the market; a field of the portfolio
     * ({@code positions[..]}, {@code balances..}) is reported against the portfolio file, an order
     * ({@code add[..]}) against the command line.
     */
    static <T> T combined(Path portfolioFile, Path marketFile, Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            String f = e.field();
            String source = f.startsWith("add[") ? "--add" : f.startsWith("positions") || f.startsWith("balances")
                ? portfolioFile.toString() : marketFile.toString();
            throw new BadInput(ErrorLine.format(source, e));
        }
    }

    static <T> T guarded(String source, Supplier<T> work) {
        try {
            return work.get();
        } catch (InputException e) {
            throw new BadInput(ErrorLine.format(source, e));
        }
    }
}
