package io.upm.engine.event;

/**
 * {@code insurance}: a change of the insurance fund. Amounts USD.
 *
 * @param seq     the causing command's journal position
 * @param balance the fund's balance after the change
 * @param change  the change (negative when the fund pays)
 * @param account the account whose liquidation or bankruptcy caused it; null if none
 */
public record InsuranceEvent(long seq, double balance, double change, String account) implements Event {
    /** Checks the seq. */
    public InsuranceEvent {
        EventChecks.seq(seq);
    }

    @Override
    public EventType type() {
        return EventType.INSURANCE;
    }
}
