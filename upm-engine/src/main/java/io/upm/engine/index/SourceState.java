package io.upm.engine.index;

import java.util.Locale;

/** What one source's last quote is to an asset's index at the index's current time. */
public enum SourceState {
    /** Fresh and within the outlier band of the median of the fresh quotes: it counts towards the quorum. */
    FRESH,
    /** Fresh but farther than the outlier band from the median of the fresh quotes: ignored. */
    OUTLIER,
    /** Older than {@code staleAfter}: ignored (the source still counts among the sources ever seen). */
    STALE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name for JSON: {@code fresh}, {@code outlier}, {@code stale}. */
    public String wireName() {
        return wireName;
    }
}
