package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code deposit}: credits a balance, creating the account if it is new.
 *
 * @param time    the command's time
 * @param account the account's id, not blank
 * @param asset   the asset code
 * @param amount  in units of the asset, positive and finite
 */
public record DepositCommand(Instant time, String account, String asset, double amount) implements AccountCommand {
    /** Checks the fields. */
    public DepositCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
        CommandChecks.asset(asset, "asset");
        CommandChecks.positive(amount, "amount");
    }

    @Override
    public CommandType type() {
        return CommandType.DEPOSIT;
    }
}
