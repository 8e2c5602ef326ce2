package io.upm.cli;

import io.upm.formats.ErrorLine;
import io.upm.formats.MarketReader;
import io.upm.formats.ParametersReader;
import io.upm.formats.PortfolioReader;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Loads the CLI's input files and turns every {@link InputException} into a {@link BadInput} line that
 * names the file the offending field belongs to.
 */
final class Inputs {
    private Inputs() {
    }

    static MarketSnapshot market(Path file) {
        return guarded(file.toString(), () -> MarketReader.read(file));
    }

    static Portfolio portfolio(Path file) {
        return guarded(file.toString(), () -> PortfolioReader.read(file));
    }

    static MarginParameters params(Path file) {
        return file == null ? MarginParameters.defaults() : guarded(file.toString(), () -> ParametersReader.read(file));
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
