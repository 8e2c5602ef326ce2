package io.upm.product;

import java.time.Instant;

/**
 * A dated future expiring at 08:00 UTC. Linear ({@code BTC_USDC-27MAR26}) sizes in underlying units,
 * inverse ({@code BTC-27MAR26}) in USD notional; its mark is the snapshot forward of its expiry.
 *
 * @param name        canonical name
 * @param underlying  underlying asset code
 * @param settlement  linear or inverse
 * @param expiry      the expiry instant
 */
public record Future(String name, String underlying, Settlement settlement, Instant expiry) implements Instrument {
}
