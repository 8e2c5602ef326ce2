package io.upm.engine.event;

/** One event of the live engine (FORMATS.md, "The live engine"): an immutable value. */
public sealed interface Event permits AcceptedEvent, RejectedEvent, MarginEvent, IndexEvent, LiquidationEvent,
    MarginCallEvent, InsuranceEvent, ReportEvent, RecoveredEvent, HedgeEvent {

    /** The journal position of the command that caused the event, from 1 ({@link RecoveredEvent}: its last seq). */
    long seq();

    /** The event's type, its {@code type} member on the wire. */
    EventType type();
}
