package io.upm.engine.event;

import java.util.List;
import java.util.Objects;

/**
 * {@code hedge} (a UPM extension, docs/api.md): the answer to a {@code hedge} command, the hedge optimiser's plan for
 * the account on the engine's universe. Every margin figure is the risk core's (the optimiser's after-figures are a
 * full margin of the hedged account, trades booked at their prices and costs taken from USDC); without the engine's
 * confidence add-on to IM, as {@code upm hedge} computes them. All amounts USD.
 *
 * @param seq                     the {@code hedge} command's journal position
 * @param account                 the account
 * @param goal                    the goal as written ({@code healthy}, {@code min-mm}, {@code target-ratio:R})
 * @param goalReached             whether the hedged account meets the goal
 * @param trades                  the trades, by instrument name; empty when the account meets the goal already or no
 *                                trade helps
 * @param totalCost               the trades' summed cost
 * @param equityBefore            equity now
 * @param maintenanceMarginBefore MM now
 * @param equityAfter             equity after the trades and their cost
 * @param maintenanceMarginAfter  MM after the trades
 */
public record HedgeEvent(long seq, String account, String goal, boolean goalReached, List<SuggestedTrade> trades,
                         double totalCost, double equityBefore, double maintenanceMarginBefore, double equityAfter,
                         double maintenanceMarginAfter) implements Event {
    /** Checks the required fields. */
    public HedgeEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(goal, "goal");
        trades = List.copyOf(trades);
    }

    @Override
    public EventType type() {
        return EventType.HEDGE;
    }
}
