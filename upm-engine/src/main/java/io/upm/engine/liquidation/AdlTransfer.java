package io.upm.engine.liquidation;

import java.util.Objects;

/**
 * One part of a bankrupt account's position closed in auto-deleveraging: the bankrupt account trades {@code size}
 * of {@code instrument} at {@code markPrice} with {@code counterparty}, which trades {@code -size} at the same price,
 * and the counterparty pays {@code cashUsd} (USDC) to the bankrupt account. Closing both sides at the mark changes
 * neither side's value; the payment moves the price to the bankruptcy price: the pair is the trade at
 * markPrice + cashUsd / size per unit (USD), with every amount exactly conserved.
 *
 * @param counterparty the account deleveraged, or null when no opposite position was left: the rest is closed at the
 *                     mark against the venue, and its share of the loss is not recovered
 * @param instrument   the instrument's name
 * @param size         the bankrupt account's trade, signed (opposite to its position)
 * @param markPrice    the mark as a fill's price (USD; inverse options in coin per unit)
 * @param cashUsd      what the counterparty pays the bankrupt account, USD (USDC), &gt;= 0
 */
public record AdlTransfer(String counterparty, String instrument, double size, double markPrice, double cashUsd) {
    /** Checks the fields. */
    public AdlTransfer {
        Objects.requireNonNull(instrument, "instrument");
        if (!Double.isFinite(size) || size == 0.0) {
            throw new IllegalArgumentException("size must be finite and not 0: " + size);
        }
        if (!(markPrice >= 0.0) || !Double.isFinite(markPrice)) {
            throw new IllegalArgumentException("markPrice must be finite and >= 0: " + markPrice);
        }
        if (!(cashUsd >= 0.0) || !Double.isFinite(cashUsd) || (counterparty == null && cashUsd != 0.0)) {
            throw new IllegalArgumentException("cashUsd must be finite, >= 0, and 0 without a counterparty: " + cashUsd);
        }
    }
}
