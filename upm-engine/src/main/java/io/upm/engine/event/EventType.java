package io.upm.engine.event;

import java.util.List;

/** The type of an event: its {@code type} member on the wire (FORMATS.md, "The live engine"). */
public enum EventType {
    /** An order, cancel or withdraw accepted. */
    ACCEPTED("accepted"),
    /** A command rejected: malformed, or refused by the engine. */
    REJECTED("rejected"),
    /** An account's equity, requirements and status. */
    MARGIN("margin"),
    /** An asset's index or its status changed. */
    INDEX("index"),
    /** One step of a liquidation. */
    LIQUIDATION("liquidation"),
    /** An account a 2-sigma one-hour move would put below MM. */
    MARGIN_CALL("margin-call"),
    /** A change of the insurance fund. */
    INSURANCE("insurance"),
    /** The answer to a {@code report} command. */
    REPORT("report"),
    /** The first event after a start on an existing journal. */
    RECOVERED("recovered"),
    /** The answer to a {@code hedge} command (a UPM extension). */
    HEDGE("hedge");

    private static final List<EventType> VALUES = List.of(values());

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} on the wire: {@code accepted}, ..., {@code margin-call}, ... */
    public String wireName() {
        return wireName;
    }

    /**
     * The type of a wire name.
     *
     * @param wireName e.g. {@code margin-call}
     * @return the type, or null for a name that is no event type
     */
    public static EventType ofWireName(String wireName) {
        for (EventType t : VALUES) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        return null;
    }
}
