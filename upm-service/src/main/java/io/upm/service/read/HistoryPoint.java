package io.upm.service.read;

/**
 * One point of an account's equity and margins over time. Immutable.
 *
 * @param seq               the seq the figures are as of
 * @param time              engine time, epoch ms, or -1 when unknown
 * @param equity            USD
 * @param maintenanceMargin USD
 * @param initialMargin     USD
 */
public record HistoryPoint(long seq, long time, double equity, double maintenanceMargin, double initialMargin) {
}
