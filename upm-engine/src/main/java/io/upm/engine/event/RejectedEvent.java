package io.upm.engine.event;

import io.upm.engine.command.CommandType;
import java.util.Objects;

/**
 * {@code rejected}: a command the engine refused (an order over IM, a withdraw that would leave the account
 * unhealthy, a command out of time order, an unknown account) or could not read (malformed: then {@code field}
 * names what is wrong). A rejected command changes nothing.
 *
 * @param seq     the command's journal position
 * @param command the command's type; null when the line gave none that is known
 * @param account the account the command names, when it names one that could be read; else null
 * @param id      the order id the command names, when it names one that could be read; else null
 * @param reason  what is wrong, in a few words
 * @param field   for a malformed command, the path of the offending field ({@code amount}, {@code prices.BTC}),
 *                {@code ""} for the line as a whole; null for a command refused by the engine
 */
public record RejectedEvent(long seq, CommandType command, String account, String id, String reason, String field)
    implements Event {
    /** Checks the required fields. */
    public RejectedEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public EventType type() {
        return EventType.REJECTED;
    }
}
