package io.upm.engine.command;

import java.util.List;
import java.util.Locale;

/** The type of a command: its {@code type} member on the wire (FORMATS.md, "The live engine"). */
public enum CommandType {
    /** Merges fields into the engine's market. */
    MARKET,
    /** One price source's quote of an asset. */
    QUOTE,
    /** Credits a balance. */
    DEPOSIT,
    /** Debits a balance, if the account stays healthy. */
    WITHDRAW,
    /** An order that rests until filled or cancelled, if the pre-trade check accepts it. */
    ORDER,
    /** Removes a resting order. */
    CANCEL,
    /** A trade that happened. */
    FILL,
    /** Perpetual funding. */
    FUNDING,
    /** Settles an expiry's futures and options. */
    SETTLE,
    /** Asks for an account's margin report. */
    REPORT,
    /** Asks for a snapshot of the state. */
    SNAPSHOT,
    /** Asks for the cheapest trades that bring an account to a goal (a UPM extension). */
    HEDGE,
    /** Sets an account's options, e.g. {@code hedgeFirst} (a UPM extension). */
    ACCOUNT;

    private static final List<CommandType> VALUES = List.of(values());

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The {@code type} on the wire: {@code market}, {@code quote}, ... */
    public String wireName() {
        return wireName;
    }

    /**
     * The type of a wire name.
     *
     * @param wireName e.g. {@code order}
     * @return the type, or null for a name that is no command type
     */
    public static CommandType ofWireName(String wireName) {
        for (CommandType t : VALUES) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        return null;
    }
}
