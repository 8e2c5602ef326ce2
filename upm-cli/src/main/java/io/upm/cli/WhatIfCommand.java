package io.upm.cli;

import io.upm.formats.WhatIfWriter;
import io.upm.input.InputException;
import io.upm.margin.MarginCalculator;
import io.upm.margin.WhatIf;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code upm whatif}: margin before and after hypothetical orders, and whether they would be accepted. */
@Command(name = "whatif", mixinStandardHelpOptions = true,
    description = "Margin before and after adding positions, the change, and whether such an order would be accepted"
        + " (after it equity >= IM, or it lowers MM).")
final class WhatIfCommand implements Callable<Integer> {
    @Mixin
    AccountFiles files;

    @Option(names = "--add", required = true, paramLabel = "INSTRUMENT:SIZE[:PRICE]",
        description = "an order to add (repeatable). PRICE: entry price in USD for perpetuals and futures; premium per"
            + " unit for options, in USD for linear options and in coin for inverse ones. Default: the snapshot's"
            + " mark or model value.")
    List<String> add;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
        description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        Path market = files.market;
        Path portfolio = files.portfolio;
        Path params = files.params;
        List<MarginCalculator.Order> orders = new ArrayList<>();
        for (int k = 0; k < add.size(); k++) {
            orders.add(Inputs.guarded("--add", parseOrder(add.get(k), "add[" + k + "]")));
        }
        MarketSnapshot m = Inputs.market(market);
        Portfolio p = Inputs.portfolio(portfolio);
        MarginParameters x = Inputs.params(params);
        WhatIf w = Inputs.combined(portfolio, market, () -> WhatIf.evaluate(m, p, orders, x));
        System.out.print(format == OutputFormat.json ? WhatIfWriter.toJson(w) : ReportTable.renderWhatIf(w, add));
        System.out.flush();
        return 0;
    }

    /** Parses {@code INSTRUMENT:SIZE[:PRICE]}. */
    static java.util.function.Supplier<MarginCalculator.Order> parseOrder(String text, String field) {
        return () -> {
            String[] parts = text.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw new InputException(field, "expected INSTRUMENT:SIZE[:PRICE], got \"" + text + "\"");
            }
            var instrument = InstrumentNames.parse(parts[0], field + ".instrument");
            double size = number(parts[1], field + ".size");
            if (size == 0 || Math.abs(size) > io.upm.product.Position.MAX_ABS_SIZE) {
                throw new InputException(field + ".size", "size must be non-zero and at most "
                    + io.upm.product.Position.MAX_ABS_SIZE + " in size, got " + parts[1]);
            }
            double price = Double.NaN;
            if (parts.length == 3) {
                price = number(parts[2], field + ".price");
                if (price <= 0 || price > 1e12) {
                    throw new InputException(field + ".price", "price must be positive, got " + parts[2]);
                }
            }
            return new MarginCalculator.Order(instrument, size, price);
        };
    }

    private static double number(String s, String field) {
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(field, "\"" + s + "\" is not a finite number");
        }
    }
}
