package io.upm.pricing;

/**
 * Black-76 implied volatility: the {@code sigma} for which {@link Black76#price} reproduces a given
 * discounted option price.
 *
 * <p>Method. The price is reduced to the normalised out-of-the-money problem: the time value
 * {@code price - e^{-rT} intrinsic} is, by put-call parity, the price of the out-of-the-money
 * option of the same strike, so in-the-money inputs never suffer the cancellation of subtracting
 * two nearly equal prices inside the iteration. With {@code x = -|ln(F/K)|} and total volatility
 * {@code s = sigma sqrt(T)}, the normalised OTM price is
 * {@code b(s) = e^{x/2}N(x/s + s/2) - e^{-x/2}N(x/s - s/2)}, increasing from 0 to {@code e^{x/2}}
 * with one inflection point at {@code s_c = sqrt(2|x|)}. Below the inflection point the solver
 * works on {@code ln b(s)} (nearly linear where the price is exponentially small, i.e. deep OTM
 * and hours to expiry), above it on {@code -ln(e^{x/2} - b(s))}, the log of the distance to the
 * upper bound, evaluated without cancellation as {@code e^{x/2}N(-d1) + e^{-x/2}N(d2)}. Each
 * region is solved by Halley's method from an asymptotic starting point, safeguarded by a
 * bisection bracket. Both objectives are evaluated in log space from the common Gaussian factor of
 * the two tail terms, so nothing underflows even for prices of 1e-300. Typically 3 to 5 function
 * evaluations are needed (at most about 15 in stress tests over sigma 1e-4..100 and T from
 * seconds to decades); the result is accurate to about 1e-12 relative or better when the input
 * is well conditioned.
 *
 * <p>The accuracy achievable is limited by the conditioning of the input: a price given to full
 * double precision determines {@code sigma} only to about {@code ulp(price) / vega}. That bound
 * matters for in-the-money options, whose time value is a small difference of two large numbers
 * (deep ITM with hours to expiry, the time value can vanish entirely in the rounding of the
 * intrinsic value).
 *
 * <p>Stateless, allocation-free, deterministic and thread-safe.
 */
public final class ImpliedVolatility {

    private static final int MAX_ITERATIONS = 100;
    /**
     * A Halley/Newton step smaller than {@code STEP_TOLERANCE * s} ends the iteration (after being
     * applied): the error left is then of order step^2 (or below the rounding noise of the
     * objective), far below 1e-12 relative.
     */
    private static final double STEP_TOLERANCE = 1e-11;
    private static final double EPSILON = 0x1.0p-52;
    private static final double SQRT_2PI = 2.5066282746310005024157652848110;

    private ImpliedVolatility() {
    }

    /**
     * The Black-76 implied volatility of a discounted price.
     *
     * <p>Boundary cases: a price equal to the discounted intrinsic value returns 0; a price equal
     * to the upper bound ({@code e^{-rT}F} for a call, {@code e^{-rT}K} for a put) has no finite
     * implied volatility and returns {@link Double#POSITIVE_INFINITY}.
     *
     * @param call         {@code true} for a call, {@code false} for a put
     * @param forward      forward price {@code F} (currency per unit), finite and {@code > 0}
     * @param strike       strike {@code K} (same currency), finite and {@code > 0}
     * @param yearFraction time to expiry {@code T} in years, finite and {@code > 0}
     * @param rate         continuously compounded discount rate {@code r} (annual decimal), finite,
     *                     with {@code e^{-rT}} neither 0 nor infinite
     * @param price        discounted option price in the currency of the strike (e.g. USD: multiply a
     *                     coin-quoted price by {@code F}), finite and within the no-arbitrage bounds
     *                     {@code [e^{-rT} intrinsic, e^{-rT}F]} (call) or
     *                     {@code [e^{-rT} intrinsic, e^{-rT}K]} (put)
     * @return the annualised Black volatility (decimal, 0.8 = 80%)
     * @throws IllegalArgumentException if an argument is NaN, infinite or out of its domain, if
     *                                  {@code yearFraction <= 0}, or if the price is outside the
     *                                  no-arbitrage bounds; the message names the argument or the
     *                                  violated bound
     */
    public static double solve(boolean call, double forward, double strike, double yearFraction,
                               double rate, double price) {
        if (!(forward > 0.0 && forward < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("forward", forward, "finite and > 0");
        }
        if (!(strike > 0.0 && strike < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("strike", strike, "finite and > 0");
        }
        if (!(yearFraction > 0.0 && yearFraction < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("yearFraction", yearFraction, "finite and > 0");
        }
        if (!(Math.abs(rate) < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("rate", rate, "finite");
        }
        if (!(price >= 0.0 && price < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("price", price, "finite and >= 0");
        }
        double df = Math.exp(-rate * yearFraction);
        if (!(df > 0.0 && df < Double.POSITIVE_INFINITY)) {
            throw Black76.invalid("rate", rate, "such that e^{-rate*yearFraction} is positive and finite");
        }
        double lower = df * (call ? Math.max(forward - strike, 0.0) : Math.max(strike - forward, 0.0));
        double upper = df * (call ? forward : strike);
        if (price < lower) {
            throw new IllegalArgumentException("price " + price
                    + " is below the lower no-arbitrage bound (discounted intrinsic value) " + lower);
        }
        if (price > upper) {
            throw new IllegalArgumentException("price " + price + " is above the upper no-arbitrage bound e^{-rT}*"
                    + (call ? "forward" : "strike") + " = " + upper);
        }
        double scale = df * Math.sqrt(forward) * Math.sqrt(strike);
        double beta = (price - lower) / scale;  // normalised OTM price b
        double gamma = (upper - price) / scale; // normalised distance to the upper bound e^{x/2} - b
        if (beta <= 0.0) {
            return 0.0;
        }
        if (gamma <= 0.0) {
            return Double.POSITIVE_INFINITY;
        }
        double x = -Math.abs(Math.log(forward / strike));
        return totalVolatility(x, beta, gamma) / Math.sqrt(yearFraction);
    }

    /**
     * Solves {@code b(x, s) = beta} (equivalently {@code e^{x/2} - b(x, s) = gamma}) for the total
     * volatility {@code s}, where {@code x <= 0}, {@code beta > 0} and {@code gamma > 0}.
     *
     * <p>Both tails share one Gaussian factor: with {@code d1,2 = x/s +- s/2} and
     * {@code E = exp(-(x^2/s^2 + s^2/4)/2)}, {@code b = E (M(-d1) - M(-d2))} below the inflection
     * point and {@code e^{x/2} - b = E (M(d1) + M(-d2))} above it, where {@code M} is the scaled
     * tail {@link NormalDistribution#scaledTail}. Working with {@code ln E} directly means nothing
     * underflows and the two terms carry no inconsistent rounding of the exponent.
     */
    static double totalVolatility(double x, double beta, double gamma) {
        double sc = Math.sqrt(-2.0 * x); // inflection point of b(s), where d1 = 0
        // ln b(sc) = x/2 + ln(1/2 - M(sc)); lower region iff beta < b(sc)
        boolean lowerRegion = x < 0.0
                && Math.log(beta) < 0.5 * x + Math.log(0.5 - NormalDistribution.scaledTail(sc));
        double lo;
        double hi;
        double s;
        double target;
        if (lowerRegion) {
            target = Math.log(beta);
            lo = 0.0;
            hi = sc;
            // ln b ~ -x^2/(2 s^2) for small s: a starting point below the root
            s = -x / Math.sqrt(-2.0 * target);
            if (!(s > lo && s < hi)) {
                s = 0.5 * hi;
            }
        } else {
            target = Math.log(gamma);
            lo = sc;
            hi = Double.POSITIVE_INFINITY;
            // exact for x = 0, where e^{x/2} - b = 2 N(-s/2)
            s = -2.0 * NormalDistribution.inverseCdfApprox(gamma / (Math.exp(0.5 * x) + Math.exp(-0.5 * x)));
            if (!(s > lo && s < Double.MAX_VALUE)) {
                s = lo > 0.0 ? 2.0 * lo : 1.0;
            }
        }
        double best = s;
        double bestAbsG = Double.POSITIVE_INFINITY;
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            double xs = x / s;
            double halfS = 0.5 * s;
            double d1 = xs + halfS;
            double d2 = xs - halfS; // < 0
            double lnE = -0.5 * (xs * xs + halfS * halfS);
            double m2 = NormalDistribution.scaledTail(-d2);
            double curvature = xs * xs / s - 0.25 * s; // b''(s) / b'(s)
            double g;
            double m;    // b / E below the inflection point, (e^{x/2} - b) / E above it
            double mSum; // M(|d1|) + M(|d2|): scale of the rounding error in m
            double g2;
            if (lowerRegion) {
                double m1 = NormalDistribution.scaledTail(-d1);
                m = m1 - m2;                      // b = E m, b' = E / sqrt(2 pi)
                mSum = m1 + m2;
                // ln b - ln beta, increasing in s (m <= 0 only by cancellation when s is far too small)
                g = m > 0.0 ? lnE + Math.log(m) - target : Double.NEGATIVE_INFINITY;
            } else {
                m = NormalDistribution.scaledTail(d1) + m2;
                mSum = m;
                g = target - lnE - Math.log(m);   // ln gamma - ln(e^{x/2} - b), increasing in s
            }
            double g1 = 1.0 / (SQRT_2PI * m);    // b'/b resp. b'/(e^{x/2} - b)
            g2 = lowerRegion ? g1 * (curvature - g1) : g1 * (curvature + g1);
            if (g == 0.0) {
                return s;
            }
            double absG = Math.abs(g);
            if (absG < bestAbsG) {
                bestAbsG = absG;
                best = s;
            }
            if (g < 0.0) {
                lo = s;
            } else {
                hi = s;
            }
            double newton = g / g1;
            double halley = 1.0 - 0.5 * newton * (g2 / g1);
            double step = -(halley >= 0.5 && halley <= 2.0 ? newton / halley : newton);
            // rounding noise of g (from the sum and from m's cancellation), converted to s
            double noise = 4.0 * EPSILON * SQRT_2PI * (m * (Math.abs(lnE) + Math.abs(target)) + mSum);
            if (Math.abs(step) <= STEP_TOLERANCE * s + noise) {
                // the error left after this step is O(step^2), or the noise floor has been reached
                return s + step;
            }
            double next = s + step;
            if (!(next > lo && next < hi)) {
                // the step left the bracket (or is NaN): bisect, geometrically when the bracket is wide
                if (hi == Double.POSITIVE_INFINITY) {
                    next = 2.0 * Math.max(lo, s);
                } else if (lo > 0.0 && hi > 4.0 * lo) {
                    next = Math.sqrt(lo * hi);
                } else {
                    next = 0.5 * (lo + hi);
                }
                if (hi - lo <= 4.0 * Math.ulp(hi)) {
                    return next;
                }
            }
            s = next;
        }
        return best;
    }
}
