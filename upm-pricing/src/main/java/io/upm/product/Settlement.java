package io.upm.product;

/** How a derivative settles, which fixes its size unit and how its value is converted to USD (MODEL.md section 2). */
public enum Settlement {
    /** Settled in a USD stablecoin (names like {@code BTC_USDC-...}); size in underlying units. */
    LINEAR,
    /** Settled in the underlying coin (names like {@code BTC-...}); futures sized in USD notional, options in coin. */
    INVERSE
}
