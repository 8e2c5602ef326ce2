package io.upm.margin;

import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.MarginParameters;

/**
 * The three vol states of MODEL.md section 4 for one option: shocks scaled by days to expiry,
 * m = (30 / D)^p with D = max(T x 365, 1), p = 0.3 below 30 days and 0.13 above; up = max(sigma (1 + VRU m),
 * 0.5), down = max(sigma (1 - VRD m), 0.01). Stateless.
 */
public final class VolShocks {
    /** Index of the vol-down state in a risk matrix row. */
    public static final int DOWN = 0;
    /** Index of the unshocked vol state. */
    public static final int NONE = 1;
    /** Index of the vol-up state. */
    public static final int UP = 2;
    /** Number of vol states. */
    public static final int COUNT = 3;

    private VolShocks() {
    }

    /** The scaling m = (ref / D)^p of the shocks for an option with {@code yearFraction} to expiry. */
    public static double scale(double yearFraction, MarginParameters p) {
        double days = Math.max(yearFraction * 365.0, p.volShockMinDays());
        double exponent = days < p.volShockReferenceDays() ? p.volShockExponentShort() : p.volShockExponentLong();
        return Math.pow(p.volShockReferenceDays() / days, exponent);
    }

    /** The vol in state {@code state} (DOWN, NONE, UP) of an option with vol {@code sigma}. */
    public static double shocked(int state, double sigma, double yearFraction, AssetParameters asset, MarginParameters p) {
        return switch (state) {
            case DOWN -> Math.max(sigma * (1.0 - asset.volDownShock() * scale(yearFraction, p)), p.volDownFloor());
            case NONE -> sigma;
            case UP -> Math.max(sigma * (1.0 + asset.volUpShock() * scale(yearFraction, p)), p.volUpFloor());
            default -> throw new IllegalArgumentException("vol state " + state);
        };
    }
}
