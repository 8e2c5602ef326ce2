package io.upm.pricing;

/**
 * Mutable, reusable result holder for a Black-76 value and its Greeks, filled by
 * {@link Black76#sensitivities(boolean, double, double, double, double, double, OptionSensitivities)}.
 *
 * <p>The fields are public and written in place so that the pricing hot path allocates nothing:
 * create one instance per thread (or per loop) and reuse it for every option. All Greeks are of
 * the discounted Black-76 price with respect to the <b>forward</b> {@code F} (not a spot), with the
 * discount rate {@code r} held fixed. Amounts are in the currency of the strike and forward
 * (e.g. USD for a USD-quoted forward); volatility is an annualised decimal (0.80 = 80%) and time is
 * in years.
 *
 * <p>Not thread-safe: an instance must not be shared between threads that write to it
 * concurrently. A freshly constructed instance holds zeros.
 */
public final class OptionSensitivities {

    /** Discounted option value {@code e^{-rT}(...)}, in currency units per unit of underlying. */
    public double value;
    /** Delta {@code dV/dF}: discounted, dimensionless (currency per currency of forward). */
    public double delta;
    /** Gamma {@code d2V/dF2}, per unit of forward. */
    public double gamma;
    /** Vega {@code dV/dsigma} per 1.00 of volatility (divide by 100 for "per vol point"). */
    public double vega;
    /**
     * Theta {@code dV/dt} per year of calendar time with {@code F}, {@code sigma} and {@code r}
     * fixed, i.e. {@code -dV/dT}; divide by 365 for a per-day figure.
     */
    public double theta;
    /** Vanna {@code d2V/dF dsigma}, per 1.00 of volatility. */
    public double vanna;
    /** Volga (vomma) {@code d2V/dsigma2}, per 1.00 of volatility squared. */
    public double volga;

    /** Creates a holder with all fields zero. */
    public OptionSensitivities() {
    }

    /** Sets every field to zero. */
    public void clear() {
        value = 0.0;
        delta = 0.0;
        gamma = 0.0;
        vega = 0.0;
        theta = 0.0;
        vanna = 0.0;
        volga = 0.0;
    }

    /** Human-readable dump of all fields, for diagnostics. */
    @Override
    public String toString() {
        return "OptionSensitivities[value=" + value + ", delta=" + delta + ", gamma=" + gamma
                + ", vega=" + vega + ", theta=" + theta + ", vanna=" + vanna + ", volga=" + volga + ']';
    }
}
