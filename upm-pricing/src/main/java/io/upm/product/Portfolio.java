package io.upm.product;

import io.upm.input.InputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's holdings (FORMATS.md, "Portfolio"): coin balances (negative = loan) and positions.
 * Immutable; validated on construction.
 *
 * @param account   the account id
 * @param balances  asset code to signed amount, in input order
 * @param positions the positions, in input order
 */
public record Portfolio(String account, Map<String, Double> balances, List<Position> positions) {
    /** Largest absolute balance accepted, to catch overflowing input. */
    public static final double MAX_ABS_BALANCE = 1e15;

    /** A validated portfolio. */
    public Portfolio {
        if (account == null || account.isBlank()) {
            throw new InputException("account", "missing or blank");
        }
        LinkedHashMap<String, Double> b = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : balances.entrySet()) {
            String f = "balances." + e.getKey();
            InstrumentNames.requireAssetCode(e.getKey(), f);
            double v = e.getValue();
            if (!Double.isFinite(v) || Math.abs(v) > MAX_ABS_BALANCE) {
                throw new InputException(f, "balance must be a finite number of at most " + MAX_ABS_BALANCE + " in size, got "
                    + v);
            }
            b.put(e.getKey(), v);
        }
        balances = Collections.unmodifiableMap(b);
        positions = List.copyOf(positions);
    }

    /** This portfolio with one more position at the end. */
    public Portfolio plus(Position p) {
        List<Position> ps = new ArrayList<>(positions);
        ps.add(p);
        return new Portfolio(account, balances, ps);
    }

    /** This portfolio without the position at {@code index}. */
    public Portfolio without(int index) {
        List<Position> ps = new ArrayList<>(positions);
        ps.remove(index);
        return new Portfolio(account, balances, ps);
    }

    /** This portfolio with a balance changed by {@code delta}. */
    public Portfolio withBalanceChange(String asset, double delta) {
        Map<String, Double> b = new LinkedHashMap<>(balances);
        b.merge(asset, delta, Double::sum);
        return new Portfolio(account, b, positions);
    }

    /** Every balance and position size multiplied by {@code factor}. */
    public Portfolio scaled(double factor) {
        Map<String, Double> b = new LinkedHashMap<>();
        balances.forEach((k, v) -> b.put(k, v * factor));
        return new Portfolio(account, b, positions.stream().map(p -> p.scaled(factor)).toList());
    }
}
