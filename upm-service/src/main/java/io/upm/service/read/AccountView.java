package io.upm.service.read;

import io.upm.margin.AccountStatus;

/**
 * One account's latest figures as the read model publishes them. Immutable.
 *
 * @param account           the account id
 * @param equity            USD
 * @param initialMargin     USD
 * @param maintenanceMargin USD
 * @param status            the status of those figures
 * @param seq               the seq they are as of
 * @param time              the engine time they are as of (epoch ms), or -1 when unknown (replayed at start)
 * @param source            {@code event} (a {@code margin} event) or {@code valuation} (the service's valuation after
 *                          a price move)
 */
public record AccountView(String account, double equity, double initialMargin, double maintenanceMargin,
                          AccountStatus status, long seq, long time, String source) {

    /** MM / equity, null when equity <= 0 (as the margin report's {@code marginRatio}). */
    public Double marginRatio() {
        return equity > 0 ? maintenanceMargin / equity : null;
    }
}
