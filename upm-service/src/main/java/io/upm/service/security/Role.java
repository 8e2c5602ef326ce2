package io.upm.service.security;

import io.upm.input.InputException;
import java.util.Locale;

/**
 * What a key may do (FORMATS.md "HTTP API"): a {@link #TRADER} sees and acts on its own accounts only, a
 * {@link #VIEWER} reads every account, an {@link #OPERATOR} reads everything and may send every command.
 */
public enum Role {
    /** Its own accounts: read them, send orders and what-ifs for them, stream their events. */
    TRADER,
    /** Every account, read only. */
    VIEWER,
    /** Every account and every command. */
    OPERATOR;

    /** The name in key files and on the command line ({@code trader}, {@code viewer}, {@code operator}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role of a wire name.
     *
     * @param text  {@code trader}, {@code viewer} or {@code operator}
     * @param field the field named in the error
     * @throws InputException naming {@code field} for anything else
     */
    public static Role parse(String text, String field) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new InputException(field, "unknown role \"" + text + "\" (expected trader, viewer or operator)");
    }
}
