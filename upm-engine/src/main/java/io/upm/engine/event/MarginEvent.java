package io.upm.engine.event;

import io.upm.margin.AccountStatus;
import java.util.Objects;

/**
 * {@code margin}: an account's equity, requirements and status, after a command changed the account or after a
 * price change moved its status. All amounts USD.
 *
 * @param seq               the causing command's journal position
 * @param account           the account
 * @param equity            equity
 * @param initialMargin     IM
 * @param maintenanceMargin MM
 * @param status            the status
 */
public record MarginEvent(long seq, String account, double equity, double initialMargin, double maintenanceMargin,
                          AccountStatus status) implements Event {
    /** Checks the required fields. */
    public MarginEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(status, "status");
    }

    @Override
    public EventType type() {
        return EventType.MARGIN;
    }
}
