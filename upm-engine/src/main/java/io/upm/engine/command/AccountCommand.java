package io.upm.engine.command;

/** A command that acts on, or asks about, one account. */
public sealed interface AccountCommand extends Command permits DepositCommand, WithdrawCommand, OrderCommand,
    CancelCommand, FillCommand, ReportCommand, HedgeCommand, AccountOptionsCommand {

    /** The account's id, not blank. */
    String account();
}
