package io.upm.engine.event;

/** The checks the event records share. Stateless. */
final class EventChecks {
    private EventChecks() {
    }

    /**
     * Checks a seq.
     *
     * @throws IllegalArgumentException if it is negative
     */
    static long seq(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        return seq;
    }
}
