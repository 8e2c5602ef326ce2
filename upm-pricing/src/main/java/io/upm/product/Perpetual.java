package io.upm.product;

import java.time.Instant;

/**
 * A perpetual swap. Linear ({@code BTC_USDC-PERPETUAL}): size in underlying units, value q (M - E).
 * Inverse ({@code BTC-PERPETUAL}): size in USD notional, value q (1/E - 1/M) S.
 *
 * @param name        canonical name
 * @param underlying  underlying asset code
 * @param settlement  linear or inverse
 */
public record Perpetual(String name, String underlying, Settlement settlement) implements Instrument {
    @Override
    public Instant expiry() {
        return null;
    }
}
