package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code report}: asks for an account's margin report.
 *
 * @param time    the command's time
 * @param account the account's id, not blank
 */
public record ReportCommand(Instant time, String account) implements AccountCommand {
    /** Checks the fields. */
    public ReportCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
    }

    @Override
    public CommandType type() {
        return CommandType.REPORT;
    }
}
