package io.upm.pricing;

/**
 * Black-76 pricing of European options on a forward (or future) {@code F}, with continuous
 * discounting at rate {@code r} to the payment date:
 * <pre>
 *   call = e^{-rT} (F N(d1) - K N(d2)),   put = e^{-rT} (K N(-d2) - F N(-d1)),
 *   d1 = (ln(F/K) + sigma^2 T / 2) / (sigma sqrt(T)),   d2 = d1 - sigma sqrt(T).
 * </pre>
 *
 * <p>Units: {@code forward} and {@code strike} in the same currency per unit of underlying (e.g.
 * USD per BTC); {@code yearFraction} {@code T} in years; {@code vol} an annualised decimal
 * (0.80 = 80%); {@code rate} a continuously compounded annual decimal (may be negative). Prices are
 * in the currency of the strike.
 *
 * <p>Numerics: the normal CDF is Cody's rational approximation (~1e-15 relative, accurate in the far
 * tails). The out-of-the-money side is always evaluated directly from tail probabilities and the
 * in-the-money side is obtained by put-call parity ({@code intrinsic + OTM value}), so deep OTM
 * values keep their relative accuracy and ITM values never fall below intrinsic. Each call costs one
 * {@code log}, one {@code sqrt}, two {@code exp} (discount factor and the Gaussian density; the
 * second CDF reuses the first density via {@code n(d2) K = n(d1) F}) and two rational functions.
 *
 * <p>All methods are stateless, allocation-free and thread-safe.
 */
public final class Black76 {

    /** Below this density the Gaussian exponent of d2 is recomputed instead of derived from d1. */
    private static final double MIN_SHARED_EXP = 1e-280;

    private Black76() {
    }

    /**
     * Discounted Black-76 price of a European call or put.
     *
     * <p>At {@code yearFraction == 0} or {@code vol == 0} the result is the discounted intrinsic
     * value {@code e^{-rT} max(F-K, 0)} (call) or {@code e^{-rT} max(K-F, 0)} (put); so it is when
     * {@code vol * sqrt(yearFraction)} underflows below {@link Double#MIN_NORMAL}. If that product
     * overflows to infinity the result is the upper bound {@code e^{-rT}F} (call) or
     * {@code e^{-rT}K} (put).
     *
     * @param call         {@code true} for a call, {@code false} for a put
     * @param forward      forward price {@code F} (currency per unit), finite and {@code > 0}
     * @param strike       strike {@code K} (same currency), finite and {@code > 0}
     * @param yearFraction time to expiry {@code T} in years, finite and {@code >= 0}
     * @param vol          Black volatility {@code sigma} (annualised decimal), finite and {@code >= 0}
     * @param rate         continuously compounded discount rate {@code r} (annual decimal), finite,
     *                     with {@code e^{-rT}} neither 0 nor infinite
     * @return the discounted option price, in currency units per unit of underlying
     * @throws IllegalArgumentException if an argument is NaN, infinite or out of its domain; the
     *                                  message names the argument
     */
    public static double price(boolean call, double forward, double strike, double yearFraction,
                               double vol, double rate) {
        validate(forward, strike, yearFraction, vol, rate);
        double df = discountFactor(rate, yearFraction);
        double s = vol * Math.sqrt(yearFraction);
        if (!(s >= Double.MIN_NORMAL) || s == Double.POSITIVE_INFINITY) {
            return df * degenerateValue(call, forward, strike, s);
        }
        double ratio = forward / strike;
        double d1 = Math.log(ratio) * (1.0 / s) + 0.5 * s;
        double d2 = d1 - s;
        double e1 = NormalDistribution.expHalfSquare(d1); // exp(-d1^2/2)
        double e2 = e1 > MIN_SHARED_EXP ? e1 * ratio : NormalDistribution.expHalfSquare(d2);
        // w = +1 when the call is the out-of-the-money side (F <= K), -1 when the put is: the OTM
        // value w (F N(w d1) - K N(w d2)) comes from tail probabilities, the ITM one by parity
        double w = forward <= strike ? 1.0 : -1.0;
        double otm = Math.max(w * (forward * NormalDistribution.cdf(w * d1, e1)
                - strike * NormalDistribution.cdf(w * d2, e2)), 0.0);
        double v = Math.min(intrinsic(call, forward, strike) + otm, call ? forward : strike);
        return df * v;
    }

    /**
     * Discounted Black-76 value and Greeks in one pass, written into {@code out}; allocates
     * nothing. The Greeks are with respect to the forward {@code F} (see
     * {@link OptionSensitivities} for units): delta {@code e^{-rT}N(d1)} for a call and
     * {@code -e^{-rT}N(-d1)} for a put, gamma {@code e^{-rT}n(d1)/(F sigma sqrt T)}, vega
     * {@code e^{-rT}F n(d1) sqrt T}, theta {@code -e^{-rT}F n(d1) sigma/(2 sqrt T) + rV},
     * vanna {@code -e^{-rT}n(d1) d2/sigma}, volga {@code vega d1 d2/sigma}. {@code out.value} is
     * bit-for-bit equal to {@link #price}.
     *
     * <p>At {@code yearFraction == 0} or {@code vol == 0}: value is the discounted intrinsic, delta
     * is {@code e^{-rT}} for an in-the-money call, {@code -e^{-rT}} for an in-the-money put, 0 out of
     * the money and half of that at the money ({@code F == K}); all other Greeks are 0. The same
     * applies when {@code vol * sqrt(yearFraction)} is below {@link Double#MIN_NORMAL}.
     *
     * @param call         {@code true} for a call, {@code false} for a put
     * @param forward      forward price {@code F}, finite and {@code > 0}
     * @param strike       strike {@code K}, finite and {@code > 0}
     * @param yearFraction time to expiry {@code T} in years, finite and {@code >= 0}
     * @param vol          Black volatility {@code sigma} (annualised decimal), finite and {@code >= 0}
     * @param rate         continuously compounded discount rate {@code r}, finite, with
     *                     {@code e^{-rT}} neither 0 nor infinite
     * @param out          receives the results; not null; every field is overwritten
     * @throws IllegalArgumentException if an argument is NaN, infinite or out of its domain (the
     *                                  message names it), or {@code out} is null
     */
    public static void sensitivities(boolean call, double forward, double strike, double yearFraction,
                                     double vol, double rate, OptionSensitivities out) {
        validate(forward, strike, yearFraction, vol, rate);
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        double df = discountFactor(rate, yearFraction);
        double sqrtT = Math.sqrt(yearFraction);
        double s = vol * sqrtT;
        if (!(s >= Double.MIN_NORMAL) || s == Double.POSITIVE_INFINITY) {
            degenerate(call, forward, strike, s, df, rate, out);
            return;
        }
        double ratio = forward / strike;
        double invS = 1.0 / s;
        double d1 = Math.log(ratio) * invS + 0.5 * s;
        double d2 = d1 - s;
        double e1 = NormalDistribution.expHalfSquare(d1); // exp(-d1^2/2)
        double e2 = e1 > MIN_SHARED_EXP ? e1 * ratio : NormalDistribution.expHalfSquare(d2);
        double w = forward <= strike ? 1.0 : -1.0; // +1: the call is OTM, -1: the put is
        double p1 = NormalDistribution.cdf(w * d1, e1); // N(w d1)
        double otm = Math.max(w * (forward * p1 - strike * NormalDistribution.cdf(w * d2, e2)), 0.0);
        double v = Math.min(intrinsic(call, forward, strike) + otm, call ? forward : strike);
        // call delta N(d1) = (w == 1 ? p1 : 1 - p1); put delta = call delta - 1, written so that the
        // OTM side's small delta is never a difference of two numbers near 1
        double delta = df * (w * p1 + (call ? (w > 0.0 ? 0.0 : 1.0) : (w > 0.0 ? -1.0 : 0.0)));
        double value = df * v;
        double pdf1 = df * NormalDistribution.INV_SQRT_2PI * e1; // e^{-rT} n(d1)
        out.value = value;
        out.delta = delta;
        if (pdf1 == 0.0) {
            // the density underflowed: d1 is astronomically far from 0 and the curvature Greeks
            // vanish (avoids 0 * inf in vanna/volga)
            out.gamma = 0.0;
            out.vega = 0.0;
            out.theta = rate * value;
            out.vanna = 0.0;
            out.volga = 0.0;
            return;
        }
        double vega = pdf1 * forward * sqrtT;
        out.gamma = pdf1 * invS / forward;
        out.vega = vega;
        out.theta = rate * value - 0.5 * vega * vol / yearFraction;
        out.vanna = -pdf1 * d2 / vol;
        out.volga = vega * d1 * d2 / vol;
    }

    private static double intrinsic(boolean call, double forward, double strike) {
        return call ? Math.max(forward - strike, 0.0) : Math.max(strike - forward, 0.0);
    }

    /**
     * Undiscounted value when sigma sqrt(T) is 0 or subnormal (intrinsic) or infinite (upper bound).
     */
    private static double degenerateValue(boolean call, double forward, double strike, double s) {
        if (s == Double.POSITIVE_INFINITY) { // the option is worth the whole underlying/strike
            return call ? forward : strike;
        }
        return intrinsic(call, forward, strike);
    }

    private static void degenerate(boolean call, double forward, double strike, double s, double df,
                                   double rate, OptionSensitivities out) {
        double value = df * degenerateValue(call, forward, strike, s);
        boolean infinite = s == Double.POSITIVE_INFINITY;
        double delta;
        if (infinite) {
            delta = call ? df : 0.0;
        } else if (forward == strike) {
            delta = call ? 0.5 * df : -0.5 * df;
        } else if (call) {
            delta = forward > strike ? df : 0.0;
        } else {
            delta = forward < strike ? -df : 0.0;
        }
        out.value = value;
        out.delta = delta;
        out.gamma = 0.0;
        out.vega = 0.0;
        out.theta = infinite ? rate * value : 0.0;
        out.vanna = 0.0;
        out.volga = 0.0;
    }

    private static double discountFactor(double rate, double yearFraction) {
        double df = Math.exp(-rate * yearFraction);
        if (!(df > 0.0 && df < Double.POSITIVE_INFINITY)) {
            throw invalid("rate", rate, "such that e^{-rate*yearFraction} is positive and finite");
        }
        return df;
    }

    /** Shared argument checks; the throwing code lives out of line to keep the hot path small. */
    static void validate(double forward, double strike, double yearFraction, double vol, double rate) {
        if (!(forward > 0.0 && forward < Double.POSITIVE_INFINITY)) {
            throw invalid("forward", forward, "finite and > 0");
        }
        if (!(strike > 0.0 && strike < Double.POSITIVE_INFINITY)) {
            throw invalid("strike", strike, "finite and > 0");
        }
        if (!(yearFraction >= 0.0 && yearFraction < Double.POSITIVE_INFINITY)) {
            throw invalid("yearFraction", yearFraction, "finite and >= 0");
        }
        if (!(vol >= 0.0 && vol < Double.POSITIVE_INFINITY)) {
            throw invalid("vol", vol, "finite and >= 0");
        }
        if (!(Math.abs(rate) < Double.POSITIVE_INFINITY)) {
            throw invalid("rate", rate, "finite");
        }
    }

    static IllegalArgumentException invalid(String name, double value, String requirement) {
        return new IllegalArgumentException(name + " must be " + requirement + ", got " + value);
    }
}
