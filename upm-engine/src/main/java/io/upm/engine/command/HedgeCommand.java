package io.upm.engine.command;

import io.upm.hedge.HedgeGoal;
import io.upm.hedge.HedgeOptimizer;
import io.upm.input.InputException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code hedge} (a UPM extension, docs/api.md): asks for the cheapest trades that bring an account to a goal, computed
 * by the hedge optimiser ({@link HedgeOptimizer}) on the engine's universe and the account's state. A query like
 * {@code report}: it changes no account.
 *
 * @param time      the command's time
 * @param account   the account's id, not blank
 * @param goal      the goal; empty for {@code healthy}
 * @param maxTrades the largest number of trades, 1 to {@link HedgeOptimizer#MAX_TRADES_LIMIT}; empty for
 *                  {@link HedgeOptimizer#DEFAULT_MAX_TRADES}
 */
public record HedgeCommand(Instant time, String account, Optional<HedgeGoal> goal, OptionalInt maxTrades)
    implements AccountCommand {
    /** Checks the fields. */
    public HedgeCommand {
        CommandChecks.time(time);
        CommandChecks.id(account, "account");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(maxTrades, "maxTrades");
        if (maxTrades.isPresent()
            && (maxTrades.getAsInt() < 1 || maxTrades.getAsInt() > HedgeOptimizer.MAX_TRADES_LIMIT)) {
            throw new InputException("maxTrades", "must be 1 to " + HedgeOptimizer.MAX_TRADES_LIMIT + ", got "
                + maxTrades.getAsInt());
        }
    }

    /** The goal asked for, {@code healthy} when none was given. */
    public HedgeGoal goalOrDefault() {
        return goal.orElse(HedgeGoal.HEALTHY);
    }

    /** The largest number of trades asked for, the optimiser's default when none was given. */
    public int maxTradesOrDefault() {
        return maxTrades.orElse(HedgeOptimizer.DEFAULT_MAX_TRADES);
    }

    @Override
    public CommandType type() {
        return CommandType.HEDGE;
    }
}
