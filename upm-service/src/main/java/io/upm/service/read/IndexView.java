package io.upm.service.read;

import java.util.List;

/**
 * An asset's index as its last {@code index} event (or its last {@code market} price) says. Immutable.
 *
 * @param asset   the asset code
 * @param price   USD
 * @param sources the fresh sources used
 * @param status  {@code ok}, {@code degraded}, {@code stale}
 * @param seq     the seq of the event
 * @param time    engine time, epoch ms, or -1
 */
public record IndexView(String asset, double price, List<String> sources, String status, long seq, long time) {
    /** Copies the sources. */
    public IndexView {
        sources = List.copyOf(sources);
    }
}
