package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code cancel}: removes a resting order.
 *
 * @param time    the command's time
 * @param account the account's id, not blank
 * @param id      the order's id, not blank
 */
public record CancelCommand(Instant time, String account, String id) implements AccountCommand {
    /** Checks the fields. */
    public CancelCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
        CommandChecks.id(id, "id");
    }

    @Override
    public CommandType type() {
        return CommandType.CANCEL;
    }
}
