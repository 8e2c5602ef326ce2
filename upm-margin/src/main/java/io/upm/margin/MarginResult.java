package io.upm.margin;

/**
 * The requirement figures of one account at one moment: what a venue acts on (the detailed
 * {@link MarginReport} is the slow path). Immutable.
 *
 * @param equity            equity, USD
 * @param initialMargin     IM, USD
 * @param maintenanceMargin MM, USD
 * @param status            healthy, restricted, liquidation or bankrupt (MODEL.md section 6)
 * @param exact             true when MM is MODEL.md's exact figure; false when a certified upper bound of a joint
 *                          loss set it (MM is then at least the exact figure: never under-margined)
 */
public record MarginResult(double equity, double initialMargin, double maintenanceMargin, AccountStatus status,
                           boolean exact) {
}
