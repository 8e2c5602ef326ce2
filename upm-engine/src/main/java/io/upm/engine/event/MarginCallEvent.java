package io.upm.engine.event;

import java.util.List;
import java.util.Objects;

/**
 * {@code margin-call}: an account that a 2-sigma one-hour move would put below MM (MODEL.md section 11), once per
 * episode. All amounts USD.
 *
 * @param seq               the causing command's journal position
 * @param account           the account
 * @param equity            equity now
 * @param maintenanceMargin MM now
 * @param shortfallAt2Sigma how far below MM the move would put it
 * @param hedge             the suggested hedge (a UPM extension, docs/api.md): the hedge optimiser's trades, in
 *                          perpetuals and futures of the account's underlyings, that bring it back to health
 *                          (equity &gt;= IM); empty (and left out on the wire) when there is no such plan
 */
public record MarginCallEvent(long seq, String account, double equity, double maintenanceMargin,
                              double shortfallAt2Sigma, List<SuggestedTrade> hedge) implements Event {
    /** Checks the required fields. */
    public MarginCallEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(account, "account");
        hedge = hedge == null ? List.of() : List.copyOf(hedge);
    }

    /** A margin call without a suggested hedge. */
    public MarginCallEvent(long seq, String account, double equity, double maintenanceMargin, double shortfallAt2Sigma) {
        this(seq, account, equity, maintenanceMargin, shortfallAt2Sigma, List.of());
    }

    @Override
    public EventType type() {
        return EventType.MARGIN_CALL;
    }
}
