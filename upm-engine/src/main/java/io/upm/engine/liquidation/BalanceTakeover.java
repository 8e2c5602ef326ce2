package io.upm.engine.liquidation;

import java.util.Objects;

/**
 * A bankrupt account's balance of one asset, taken over by the insurance fund (a loan, negative, is taken over too).
 *
 * @param asset  the asset code
 * @param amount the account's whole balance of it, which moves to the fund
 */
public record BalanceTakeover(String asset, double amount) {
    /** Checks the fields. */
    public BalanceTakeover {
        Objects.requireNonNull(asset, "asset");
        if (!Double.isFinite(amount) || amount == 0.0) {
            throw new IllegalArgumentException("amount must be finite and not 0: " + amount);
        }
    }
}
