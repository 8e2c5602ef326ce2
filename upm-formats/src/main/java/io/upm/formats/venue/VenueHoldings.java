package io.upm.formats.venue;

import io.upm.product.Position;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one venue export holds, already in UPM's terms: coin balances (negative = loan) and positions with
 * FORMATS.md instrument names, sizes in UPM's size units and the venue set on each.
 *
 * @param venue     the venue
 * @param balances  asset code to signed amount, in export order (zero balances left out)
 * @param positions the positions, in export order (zero sizes left out)
 */
public record VenueHoldings(Venue venue, Map<String, Double> balances, List<Position> positions) {
    /** Immutable holdings. */
    public VenueHoldings {
        balances = Collections.unmodifiableMap(new LinkedHashMap<>(balances));
        positions = List.copyOf(positions);
    }
}
