package io.upm.pricing;

/**
 * Standard normal distribution: density, cumulative distribution and an approximate quantile.
 *
 * <p>The cumulative distribution follows W. J. Cody's rational Chebyshev approximations
 * ("Rational Chebyshev approximation for the error function", Math. Comp. 23 (1969); the
 * {@code ANORM} routine of SPECFUN, the same algorithm as R's {@code pnorm}). It is accurate to
 * about 1e-15 <em>relative</em> over the whole range, including the far lower tail down to the
 * underflow threshold near {@code x = -38.5}, which matters for deep out-of-the-money options.
 *
 * <p>Every method is a pure static function: stateless, allocation-free and thread-safe.
 */
final class NormalDistribution {

    /** 1 / sqrt(2 pi). */
    static final double INV_SQRT_2PI = 0.39894228040143267793994605993438;

    /** Below this |x| the small-argument rational (no exponential) is used. */
    private static final double SMALL = 0.66291;
    /** sqrt(32): boundary between Cody's middle and asymptotic ranges. */
    private static final double ROOT32 = 5.656854249492380195206754896838;
    /** Beyond this |x|, exp(-x^2/2) underflows to zero even as a subnormal. */
    private static final double UNDERFLOW = 38.6;
    /** 2^27 + 1, Veltkamp's splitting constant for an exact product without FMA. */
    private static final double SPLITTER = 134217729.0;

    private NormalDistribution() {
    }

    /** Standard normal density {@code exp(-x^2/2) / sqrt(2 pi)}; accurate in the tails. */
    static double pdf(double x) {
        return INV_SQRT_2PI * expHalfSquare(x);
    }

    /**
     * {@code exp(-x^2/2)} with the rounding error of {@code x*x} compensated (Dekker's exact
     * product), so the result keeps ~1e-16 relative accuracy even for |x| near 38, where a plain
     * {@code Math.exp(-0.5*x*x)} would lose two to three digits. One {@code Math.exp} call.
     */
    static double expHalfSquare(double x) {
        double ax = Math.abs(x);
        if (!(ax < UNDERFLOW)) {
            return ax == ax ? 0.0 : Double.NaN;
        }
        double hi = ax * ax;
        double c = SPLITTER * ax;
        double xh = c - (c - ax);
        double xl = ax - xh;
        double lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl; // ax*ax == hi + lo exactly
        return Math.exp(-0.5 * hi) * (1.0 - 0.5 * lo);
    }

    /** Standard normal cumulative distribution function {@code P(Z <= x)}. */
    static double cdf(double x) {
        double y = Math.abs(x);
        if (y <= SMALL) {
            return 0.5 + smallRange(x);
        }
        return cdf(x, expHalfSquare(x));
    }

    /**
     * Standard normal cumulative distribution {@code P(Z <= x)} when the caller already holds
     * {@code e = exp(-x^2/2)} (e.g. because it also needs the density): saves the exponential.
     * {@code e} is ignored when |x| is small.
     */
    static double cdf(double x, double e) {
        double y = Math.abs(x);
        if (y <= SMALL) {
            return 0.5 + smallRange(x);
        }
        double tail = e * tailRatio(y); // P(Z <= -y)
        return x < 0.0 ? tail : 1.0 - tail;
    }

    /**
     * The scaled upper tail {@code P(Z >= y) * exp(y^2/2)} for {@code y >= 0}, i.e.
     * {@code sqrt(2 pi)} times Mills' ratio: a smooth, slowly varying function (about {@code 1/y}
     * for large y) that never underflows. {@code P(Z <= -y) == expHalfSquare(y) * scaledTail(y)}.
     */
    static double scaledTail(double y) {
        if (y <= SMALL) {
            return (0.5 - smallRange(y)) * Math.exp(0.5 * y * y);
        }
        return tailRatio(y);
    }

    // The rational functions below are evaluated with Estrin's scheme rather than Horner's rule:
    // every coefficient and the argument are positive, so there is no cancellation, and the
    // dependency chain (hence the latency) is about half as long.

    /**
     * Cody's small-range rational: {@code P(Z <= x) - 1/2} for |x| <= 0.66291.
     */
    private static double smallRange(double x) {
        double q = x * x;
        double q2 = q * q;
        double num = (18154.981253343561249 + 1067.6894854603709582 * q)
                + q2 * ((161.02823106855587881 + 2.2352520354606839287 * q) + q2 * 0.065682337918207449113);
        double den = (45507.789335026729956 + 10260.932208618978205 * q)
                + q2 * ((976.09855173777669322 + 47.20258190468824187 * q) + q2);
        return x * num / den;
    }

    /**
     * {@code P(Z <= -y) / exp(-y^2/2)} for y > 0.66291 (Cody's middle range up to sqrt(32), the
     * asymptotic range beyond; 0 at infinity).
     */
    private static double tailRatio(double y) {
        if (y <= ROOT32) {
            double y2 = y * y;
            double y4 = y2 * y2;
            double num = ((9842.7148383839780218 + 11602.651437647350124 * y)
                    + y2 * (6848.1904505362823326 + 2494.5375852903726711 * y))
                    + y4 * ((597.27027639480026226 + 93.506656132177855979 * y)
                    + y2 * (8.8831497943883759412 + 0.39894151208813466764 * y)
                    + y4 * 1.0765576773720192317e-8);
            double den = ((19685.429676859990727 + 38912.003286093271411 * y)
                    + y2 * (34900.952721145977266 + 18615.571640885098091 * y))
                    + y4 * ((6485.558298266760755 + 1519.377599407554805 * y)
                    + y2 * (235.38790178262499861 + 22.266688044328115691 * y)
                    + y4);
            return num / den;
        }
        double z = 1.0 / (y * y);
        double z2 = z * z;
        double num = (2.9112874951168792e-5 + 0.001421619193227893466 * z)
                + z2 * ((0.022235277870649807 + 0.1274011611602473639 * z)
                + z2 * (0.21589853405795699 + 0.02307344176494017303 * z));
        double den = (7.29751555083966205e-5 + 0.00378239633202758244 * z)
                + z2 * ((0.0659881378689285515 + 0.468238212480865118 * z)
                + z2 * (1.28426009614491121 + z));
        double r = z * num / den;
        return (INV_SQRT_2PI - r) / y;
    }

    /**
     * Approximate quantile (inverse CDF), P. J. Acklam's rational approximation: relative error
     * below 1.2e-9. Used only for starting points of iterative solvers, never as a final result.
     * Returns -inf for p <= 0 and +inf for p >= 1.
     */
    static double inverseCdfApprox(double p) {
        if (!(p > 0.0)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (!(p < 1.0)) {
            return Double.POSITIVE_INFINITY;
        }
        final double plow = 0.02425;
        if (p < plow) {
            return acklamTail(p);
        }
        if (p > 1.0 - plow) {
            return -acklamTail(1.0 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        double num = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r
                - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
                - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q;
        double den = ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
                - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
                - 1.328068155288572e+01) * r + 1.0;
        return num / den;
    }

    private static double acklamTail(double p) {
        double q = Math.sqrt(-2.0 * Math.log(p));
        double num = ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q
                - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
                + 4.374664141464968e+00) * q + 2.938163982698783e+00;
        double den = (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q
                + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1.0;
        return num / den;
    }
}
