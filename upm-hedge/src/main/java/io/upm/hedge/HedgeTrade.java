package io.upm.hedge;

import io.upm.product.Instrument;

/**
 * One trade of a hedge plan (FORMATS.md, "Hedge and import").
 *
 * @param instrument the instrument
 * @param size       signed size in the instrument's size unit (buy &gt; 0)
 * @param price      the price the trade is booked at: the snapshot's mark for perpetuals and futures (their entry
 *                   price, USD); for options the model premium per unit in the settlement currency (USD for linear
 *                   options, coin for inverse ones), paid from that currency's balance
 * @param cost       the expected execution cost in USD (half-spread plus impact, {@link TradeCostModel}), taken
 *                   from the USDC balance
 */
public record HedgeTrade(Instrument instrument, double size, double price, double cost) {
}
