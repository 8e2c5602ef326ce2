package io.upm.engine.event;

import io.upm.engine.command.CommandType;
import java.util.Objects;

/**
 * {@code accepted}: an order, cancel or withdraw the engine accepted.
 *
 * @param seq     the command's journal position
 * @param command the command's type
 * @param account the account
 * @param id      the order's id; null for a withdraw
 * @param reason  why, where the rule that let it through is worth saying (an order that lowers MM); else null
 */
public record AcceptedEvent(long seq, CommandType command, String account, String id, String reason)
    implements Event {
    /** Checks the required fields. */
    public AcceptedEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(account, "account");
    }

    @Override
    public EventType type() {
        return EventType.ACCEPTED;
    }
}
