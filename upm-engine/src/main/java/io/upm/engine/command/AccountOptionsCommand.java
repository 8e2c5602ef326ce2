package io.upm.engine.command;

import java.time.Instant;

/**
 * {@code account} (a UPM extension, docs/api.md): sets an existing account's options. One option so far:
 * {@code hedgeFirst}, the opt-in that lets the liquidation pass hedge the account back to its target (with perpetuals
 * and futures of its underlyings) before it closes anything, when the hedge costs less than the closing steps would
 * (docs/engine.md, "Hedge first"). Journaled like any command and kept in the engine's state (and snapshots).
 *
 * @param time       the command's time
 * @param account    the account's id, not blank
 * @param hedgeFirst true: liquidation hedges first; false: it closes positions only (the default of every account)
 */
public record AccountOptionsCommand(Instant time, String account, boolean hedgeFirst) implements AccountCommand {
    /** Checks the fields. */
    public AccountOptionsCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
    }

    @Override
    public CommandType type() {
        return CommandType.ACCOUNT;
    }
}
