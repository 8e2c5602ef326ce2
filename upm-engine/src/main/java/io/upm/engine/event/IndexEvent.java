package io.upm.engine.event;

import io.upm.engine.index.IndexStatus;
import java.util.List;
import java.util.Objects;

/**
 * {@code index}: an asset's index or its status changed (MODEL.md section 9).
 *
 * @param seq     the causing command's journal position
 * @param asset   the asset
 * @param price   the index in USD; NaN (written {@code null}) while it has never had a quorum
 * @param sources the fresh sources the price comes from, by name (empty while stale)
 * @param status  ok, degraded or stale
 */
public record IndexEvent(long seq, String asset, double price, List<String> sources, IndexStatus status)
    implements Event {
    /** Checks the required fields and copies the sources. */
    public IndexEvent {
        EventChecks.seq(seq);
        Objects.requireNonNull(asset, "asset");
        sources = List.copyOf(sources);
        Objects.requireNonNull(status, "status");
    }

    @Override
    public EventType type() {
        return EventType.INDEX;
    }
}
