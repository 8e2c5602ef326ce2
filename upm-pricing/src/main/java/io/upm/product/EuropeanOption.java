package io.upm.product;

import java.time.Instant;

/**
 * A European option on the forward of its expiry, sized in underlying units. Linear options
 * ({@code BTC_USDC-26DEC25-100000-P}) pay USD; inverse options ({@code BTC-26DEC25-100000-C}) pay the
 * same amount converted to coin at expiry.
 *
 * @param name        canonical name
 * @param underlying  underlying asset code
 * @param settlement  linear or inverse
 * @param expiry      the expiry instant
 * @param strike      strike in USD, {@code > 0}
 * @param type        call or put
 */
public record EuropeanOption(String name, String underlying, Settlement settlement, Instant expiry, double strike,
                             OptionType type) implements Instrument {
}
