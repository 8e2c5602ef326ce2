package io.upm.formats.venue;

import io.upm.input.InputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The venues whose exports {@code upm import} reads, by the name that appears on the command line and in the
 * {@code venue} field of the positions it writes.
 */
public enum Venue {
    /** Deribit: JSON-RPC {@code private/get_positions} and {@code private/get_account_summary}. */
    DERIBIT,
    /** OKX: REST v5 {@code /api/v5/account/positions} and {@code /api/v5/account/balance}. */
    OKX,
    /** Binance: USD-M and COIN-M futures {@code positionRisk}, options {@code position}, spot and futures balances. */
    BINANCE,
    /** Bybit: REST v5 {@code /v5/position/list} and {@code /v5/account/wallet-balance}. */
    BYBIT;

    /** Every venue's name, in declaration order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Venue::wireName).toList();

    /** The venue's name: lower case ({@code deribit}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The venue of a name.
     *
     * @param name  the name as given, e.g. {@code okx}
     * @param field where it came from, for the error message
     * @throws InputException {@code unknown venue "x" (expected one of deribit, okx, binance, bybit)}
     */
    public static Venue of(String name, String field) {
        for (Venue v : values()) {
            if (v.wireName().equals(name)) {
                return v;
            }
        }
        throw new InputException(field, "unknown venue \"" + name + "\" (expected one of " + String.join(", ", NAMES) + ")");
    }
}
