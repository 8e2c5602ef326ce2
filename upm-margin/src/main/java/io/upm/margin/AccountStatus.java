package io.upm.margin;

/** The health of an account against its requirements (MODEL.md section 6). */
public enum AccountStatus {
    /** Equity at or above IM. */
    HEALTHY,
    /** Equity below IM: only orders that lower MM are accepted, no withdrawals. */
    RESTRICTED,
    /** Equity below MM: to be liquidated. */
    LIQUIDATION,
    /** Equity below zero. */
    BANKRUPT;

    /** The status of an account with this equity and these requirements. */
    public static AccountStatus of(double equity, double maintenance, double initial) {
        if (equity < 0) {
            return BANKRUPT;
        }
        if (equity < maintenance) {
            return LIQUIDATION;
        }
        if (equity < initial) {
            return RESTRICTED;
        }
        return HEALTHY;
    }

    /** The lower-case name used in reports. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
