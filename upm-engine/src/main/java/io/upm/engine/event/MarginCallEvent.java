package io.upm.engine.event;

import java.util.Objects;

/**
 * {@code margin-call}: an account that a 2-sigma one-hour move would put below MM (MODEL.md section 11), once per
 * episode. All amounts USD.
 *
 * @param seq               the causing command's journal position
 * @param account           the account
 * @param equity            equity now
 * @param maintenanceMargin MM now
 * @param shortfallAt2Sigma how far below MM the move would put it
 */
public record MarginCallEvent(long seq, String account, double equity, double maintenanceMargin,
                              double shortfallAt2Sigma) implements Event {
    /** Checks the required fields. */
    public MarginCallEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(account, "account");
    }

    @Override
    public EventType type() {
        return EventType.MARGIN_CALL;
    }
}
