package io.upm.engine.event;

/**
 * {@code recovered}: the first event after a start on an existing journal. The commands up to {@code lastSeq}
 * were kept; a client resends those it sent after them. No command causes it, so its {@link #seq()} is
 * {@code lastSeq}: every event after it has a greater seq.
 *
 * @param lastSeq  the seq of the last command kept, 0 for an empty journal
 * @param accounts how many accounts the recovered state holds
 */
public record RecoveredEvent(long lastSeq, int accounts) implements Event {
    /** Checks the counts. */
    public RecoveredEvent {
        EventChecks.seq(lastSeq);
        if (accounts < 0) {
            throw new IllegalArgumentException("accounts must not be negative: " + accounts);
        }
    }

    /** The last seq kept. */
    @Override
    public long seq() {
        return lastSeq;
    }

    @Override
    public EventType type() {
        return EventType.RECOVERED;
    }
}
