package io.upm.engine.event;

/** One event of the live engine (FORMATS.md, "The live engine"): an immutable value. */
public sealed interface Event permits AcceptedEvent, RejectedEvent, MarginEvent, IndexEvent, LiquidationEvent,
    MarginCallEvent, InsuranceEvent, ReportEvent, RecoveredEvent, HedgeEvent {

    /** The journal position of the command that caused the event, from 1 ({@link RecoveredEvent}: its last seq). */
    long seq();

    /** The event's type, its {@code type} member on the wire. */
    EventType type();

    /**
     * The account an event concerns, or null for one of no account (an index, a recovery, a market-wide command's
     * rejection, a malformed line naming none): the key events are partitioned and grouped by.
     */
    static String accountOf(Event e) {
        return switch (e) {
            case AcceptedEvent a -> a.account();
            case RejectedEvent r -> r.account();
            case MarginEvent m -> m.account();
            case ReportEvent r -> r.report().account();
            case LiquidationEvent l -> l.account();
            case MarginCallEvent m -> m.account();
            case InsuranceEvent i -> i.account();
            case HedgeEvent h -> h.account();
            case IndexEvent i -> null;
            case RecoveredEvent r -> null;
        };
    }
}
