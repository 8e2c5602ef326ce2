package io.upm.engine.index;

import java.util.Locale;

/**
 * The state of an asset's index (MODEL.md section 9; the {@code status} of FORMATS.md's {@code index} event).
 */
public enum IndexStatus {
    /** Every source that ever quoted the asset is fresh and none is an outlier. */
    OK,
    /** The quorum holds, but some source is stale or an outlier. */
    DEGRADED,
    /** No quorum: the index keeps its last value (and its last confidence spread). */
    STALE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name in FORMATS.md: {@code ok}, {@code degraded}, {@code stale}. */
    public String wireName() {
        return wireName;
    }
}
