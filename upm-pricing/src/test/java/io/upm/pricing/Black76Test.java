package io.upm.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Black-76 prices and Greeks against the published values of /work/shared/reference/option-pricing.md,
 * finite differences, parity and edge cases.
 */
class Black76Test {

    /** Parses "0.25", "1/12", "4/12", "1/8760". */
    static double num(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return Double.parseDouble(s.trim());
        }
        return Double.parseDouble(s.substring(0, slash).trim()) / Double.parseDouble(s.substring(slash + 1).trim());
    }

    /** Generalised BSM with cost of carry b is Black-76 on the forward F = S e^{bT} (exact for b = 0). */
    static double forward(double spot, double carry, double t) {
        return carry == 0.0 ? spot : spot * Math.exp(carry * t);
    }

    static boolean isCall(String type) {
        return switch (type.trim()) {
            case "call" -> true;
            case "put" -> false;
            default -> throw new IllegalArgumentException(type);
        };
    }

    /**
     * Section 1 (Haug via QuantLib): all 43 rows. Rows 3-4 and 7-42 are Black-76 (b = 0); the others
     * are generalised BSM rows converted with F = S e^{bT}. Published 4-decimal values to the
     * doc's 1e-4; the full-precision "verified" column to 1e-9 relative.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // id, type, S_or_F, K, r, b, T, sigma, published, tol, verified
            "H01, call, 60, 65, 0.08, 0.08, 0.25, 0.3, 2.1334, 1e-4, 2.13336844492",
            "H02, put, 100, 95, 0.1, 0.05, 0.5, 0.2, 2.4648, 1e-4, 2.46478764676",
            "H03, put, 19, 19, 0.1, 0.0, 0.75, 0.28, 1.7011, 1e-4, 1.70105072524",
            "H04, call, 19, 19, 0.1, 0.0, 0.75, 0.28, 1.7011, 1e-4, 1.70105072524",
            "H05, call, 1.56, 1.6, 0.06, -0.02, 0.5, 0.12, 0.0291, 1e-4, 0.0290992531494",
            "H06, put, 75, 70, 0.1, 0.05, 0.5, 0.35, 4.0870, 1e-4, 4.08695382864",
            "H07, call, 90, 100, 0.1, 0.0, 0.1, 0.15, 0.0205, 1e-4, 0.0204901485365",
            "H08, call, 100, 100, 0.1, 0.0, 0.1, 0.15, 1.8734, 1e-4, 1.87334457276",
            "H09, call, 110, 100, 0.1, 0.0, 0.1, 0.15, 9.9413, 1e-4, 9.94127739549",
            "H10, call, 90, 100, 0.1, 0.0, 0.1, 0.25, 0.3150, 1e-4, 0.315045800777",
            "H11, call, 100, 100, 0.1, 0.0, 0.1, 0.25, 3.1217, 1e-4, 3.12172069818",
            "H12, call, 110, 100, 0.1, 0.0, 0.1, 0.25, 10.3556, 1e-4, 10.3555521365",
            "H13, call, 90, 100, 0.1, 0.0, 0.1, 0.35, 0.9474, 1e-4, 0.947417534423",
            "H14, call, 100, 100, 0.1, 0.0, 0.1, 0.35, 4.3693, 1e-4, 4.36931684854",
            "H15, call, 110, 100, 0.1, 0.0, 0.1, 0.35, 11.1381, 1e-4, 11.1381251606",
            "H16, call, 90, 100, 0.1, 0.0, 0.5, 0.15, 0.8069, 1e-4, 0.806892413676",
            "H17, call, 100, 100, 0.1, 0.0, 0.5, 0.15, 4.0232, 1e-4, 4.02316704862",
            "H18, call, 110, 100, 0.1, 0.0, 0.5, 0.15, 10.5769, 1e-4, 10.5768577868",
            "H19, call, 90, 100, 0.1, 0.0, 0.5, 0.25, 2.7026, 1e-4, 2.70259373035",
            "H20, call, 100, 100, 0.1, 0.0, 0.5, 0.25, 6.6997, 1e-4, 6.69969696353",
            "H21, call, 110, 100, 0.1, 0.0, 0.5, 0.25, 12.7857, 1e-4, 12.7856789298",
            "H22, call, 90, 100, 0.1, 0.0, 0.5, 0.35, 4.9329, 1e-4, 4.93287743052",
            "H23, call, 100, 100, 0.1, 0.0, 0.5, 0.35, 9.3679, 1e-4, 9.36787664636",
            "H24, call, 110, 100, 0.1, 0.0, 0.5, 0.35, 15.3086, 1e-4, 15.3085997611",
            "H25, put, 90, 100, 0.1, 0.0, 0.1, 0.15, 9.9210, 1e-4, 9.92098848603",
            "H26, put, 100, 100, 0.1, 0.0, 0.1, 0.15, 1.8734, 1e-4, 1.87334457276",
            "H27, put, 110, 100, 0.1, 0.0, 0.1, 0.15, 0.0408, 1e-4, 0.0407790579979",
            "H28, put, 90, 100, 0.1, 0.0, 0.1, 0.25, 10.2155, 1e-4, 10.2155441383",
            "H29, put, 100, 100, 0.1, 0.0, 0.1, 0.25, 3.1217, 1e-4, 3.12172069818",
            "H30, put, 110, 100, 0.1, 0.0, 0.1, 0.25, 0.4551, 1e-4, 0.455053799031",
            "H31, put, 90, 100, 0.1, 0.0, 0.1, 0.35, 10.8479, 1e-4, 10.8479158719",
            "H32, put, 100, 100, 0.1, 0.0, 0.1, 0.35, 4.3693, 1e-4, 4.36931684854",
            "H33, put, 110, 100, 0.1, 0.0, 0.1, 0.35, 1.2376, 1e-4, 1.23762682311",
            "H34, put, 90, 100, 0.1, 0.0, 0.5, 0.15, 10.3192, 1e-4, 10.3191866587",
            "H35, put, 100, 100, 0.1, 0.0, 0.5, 0.15, 4.0232, 1e-4, 4.02316704862",
            "H36, put, 110, 100, 0.1, 0.0, 0.5, 0.15, 1.0646, 1e-4, 1.06456354181",
            "H37, put, 90, 100, 0.1, 0.0, 0.5, 0.25, 12.2149, 1e-4, 12.2148879754",
            "H38, put, 100, 100, 0.1, 0.0, 0.5, 0.25, 6.6997, 1e-4, 6.69969696353",
            "H39, put, 110, 100, 0.1, 0.0, 0.5, 0.25, 3.2734, 1e-4, 3.27338468475",
            "H40, put, 90, 100, 0.1, 0.0, 0.5, 0.35, 14.4452, 1e-4, 14.4451716755",
            "H41, put, 100, 100, 0.1, 0.0, 0.5, 0.35, 9.3679, 1e-4, 9.36787664636",
            "H42, put, 110, 100, 0.1, 0.0, 0.5, 0.35, 5.7963, 1e-4, 5.79630551607",
            "H43, call, 42, 40, 0.04, -0.04, 0.75, 0.35, 5.0975, 1e-4, 5.09754771773",
            // section 4 prices (Hull / py_vollib): U01, U08 are Black-Scholes (b = r), the rest Black-76.
            // Hull's textbook numbers are rounded to 2 decimals: tolerance half a cent.
            "U01, call, 49, 50, 0.05, 0.05, 0.3846, 0.2, 2.40, 5e-3, 2.40046108697",
            "U08, put, 49, 50, 0.05, 0.05, 0.3846, 0.2, 2.44814693395, 1e-9, 2.44814693395",
            "U09, put, 20, 20, 0.09, 0.0, 4/12, 0.25, 1.12, 5e-3, 1.11664145656",
            "U11, call, 620, 600, 0.05, 0.0, 0.5, 0.2, 44.19, 5e-3, 44.1868533121",
            "U12, call, 100, 100, 0.02, 0.0, 0.5, 0.2, 5.5811067246048118, 1e-12, 5.5811067246",
            "U20, call, 49, 50, 0.05, 0.0, 0.3846, 0.2, 1.94241757825, 1e-9, 1.94241757825",
    })
    void referencePrices(String id, String type, String s, String k, String r, String b, String t, String sigma,
                         double published, double tol, double verified) {
        double tt = num(t);
        double f = forward(num(s), num(b), tt);
        double price = Black76.price(isCall(type), f, num(k), tt, num(sigma), num(r));
        assertThat(price).as(id + " vs published value").isCloseTo(published, within(tol));
        assertThat(Math.abs(price - verified) / verified).as(id + " relative error vs full precision")
                .isLessThanOrEqualTo(1e-9);
        OptionSensitivities out = new OptionSensitivities();
        Black76.sensitivities(isCall(type), f, num(k), tt, num(sigma), num(r), out);
        assertThat(out.value).as(id + " sensitivities().value is price()").isEqualTo(price);
    }

    /**
     * Greeks: section 4 rows U13-U17 (Black-76 on F, py_vollib full precision; U15 is vega per vol
     * point = vega/100, U16/U17 theta per calendar day = theta/365) and section 2 rows G01-G09
     * (Haug, 4 decimals; the BSM rows are converted: with F = S e^{bT},
     * delta_S = e^{bT} delta_F, gamma_S = e^{2bT} gamma_F, vega equal, theta_S = theta_F - b F delta_F,
     * elasticity = delta_F F / V).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // id, greek, type, S_or_F, K, r, b, T, sigma, published, tol, verified
            "U13, delta, call, 49, 50, 0.05, 0.0, 0.3846, 0.2, 0.45107017482201828, 1e-12, 0.451070174822",
            "U14, gamma, call, 49, 50, 0.05, 0.0, 0.3846, 0.2, 0.0640646705882, 1e-12, 0.0640646705882",
            "U15, vega_per_1pct, call, 49, 50, 0.05, 0.0, 0.3846, 0.2, 0.118317785624, 1e-12, 0.118317785624",
            "U16, theta_per_day, call, 49, 50, 0.05, 0.0, 0.3846, 0.2, -0.00816236877462, 1e-14, -0.00816236877462",
            "U17, theta_per_day, put, 49, 50, 0.05, 0.0, 0.3846, 0.2, -0.00802799155312, 1e-14, -0.00802799155312",
            "G01, delta, call, 105, 100, 0.1, 0.0, 0.5, 0.36, 0.5946, 1e-4, 0.59462865973",
            "G02, delta, put, 105, 100, 0.1, 0.0, 0.5, 0.36, -0.3566, 1e-4, -0.356600764771",
            "G03, elasticity, put, 105, 100, 0.1, 0.0, 0.5, 0.36, -4.8775, 1e-4, -4.87749854132",
            "G04, gamma, call, 55, 60, 0.1, 0.1, 0.75, 0.3, 0.0278, 1e-4, 0.0278211604769",
            "G05, gamma, put, 55, 60, 0.1, 0.1, 0.75, 0.3, 0.0278, 1e-4, 0.0278211604769",
            "G06, vega, call, 55, 60, 0.1, 0.1, 0.75, 0.3, 18.9358, 1e-4, 18.9357773496",
            "G07, vega, put, 55, 60, 0.1, 0.1, 0.75, 0.3, 18.9358, 1e-4, 18.9357773496",
            "G08, theta, put, 430, 405, 0.07, 0.02, 1/12, 0.2, -31.1924, 1e-4, -31.1923503043",
            "G09, theta_per_day, put, 430, 405, 0.07, 0.02, 1/12, 0.2, -0.0855, 1e-4, -0.0854584939843",
    })
    void referenceGreeks(String id, String greek, String type, String s, String k, String r, String b, String t,
                         String sigma, double published, double tol, double verified) {
        double tt = num(t);
        double carry = num(b);
        double f = forward(num(s), carry, tt);
        OptionSensitivities out = new OptionSensitivities();
        Black76.sensitivities(isCall(type), f, num(k), tt, num(sigma), num(r), out);
        double growth = Math.exp(carry * tt);
        double thetaSpot = out.theta - carry * f * out.delta;
        double value = switch (greek) {
            case "delta" -> growth * out.delta;
            case "gamma" -> growth * growth * out.gamma;
            case "vega" -> out.vega;
            case "vega_per_1pct" -> out.vega / 100.0;
            case "theta" -> thetaSpot;
            case "theta_per_day" -> thetaSpot / 365.0;
            case "elasticity" -> out.delta * f / out.value;
            default -> throw new IllegalArgumentException(greek);
        };
        assertThat(value).as(id + " vs published value").isCloseTo(published, within(tol));
        assertThat(Math.abs(value - verified) / Math.abs(verified)).as(id + " relative error vs full precision")
                .isLessThanOrEqualTo(1e-9);
    }

    /** Closed-form Black-76 second-order Greeks at the U13 point, independent of the implementation's algebra. */
    @Test
    void secondOrderGreeksMatchClosedForm() {
        double f = 49;
        double k = 50;
        double t = 0.3846;
        double sigma = 0.2;
        double r = 0.05;
        double s = sigma * Math.sqrt(t);
        double d1 = (Math.log(f / k) + 0.5 * s * s) / s;
        double d2 = d1 - s;
        double df = Math.exp(-r * t);
        double n1 = Math.exp(-0.5 * d1 * d1) / Math.sqrt(2 * Math.PI);
        OptionSensitivities out = new OptionSensitivities();
        Black76.sensitivities(true, f, k, t, sigma, r, out);
        assertThat(out.vanna).isCloseTo(-df * n1 * d2 / sigma, within(1e-13));
        assertThat(out.volga).isCloseTo(df * f * Math.sqrt(t) * n1 * d1 * d2 / sigma, within(1e-12));
        assertThat(out.gamma).isCloseTo(df * n1 / (f * s), within(1e-14));
    }

    /** At T == 0 or vol == 0: discounted intrinsic, delta +-e^{-rT} ITM, 0 OTM, half at the money. */
    @ParameterizedTest(name = "{0} F={1} K={2} T={3} vol={4}")
    @CsvSource({
            // call, F, K, T, vol, r, value, delta
            "true, 110, 100, 0.0, 0.3, 0.05, 10.0, 1.0",
            "true, 90, 100, 0.0, 0.3, 0.05, 0.0, 0.0",
            "true, 100, 100, 0.0, 0.3, 0.05, 0.0, 0.5",
            "false, 90, 100, 0.0, 0.3, 0.05, 10.0, -1.0",
            "false, 110, 100, 0.0, 0.3, 0.05, 0.0, 0.0",
            "false, 100, 100, 0.0, 0.3, 0.05, 0.0, -0.5",
            "true, 110, 100, 0.5, 0.0, 0.05, 9.753099120283327, 0.9753099120283326",
            "true, 90, 100, 0.5, 0.0, 0.05, 0.0, 0.0",
            "true, 100, 100, 0.5, 0.0, 0.05, 0.0, 0.4876549560141663",
            "false, 90, 100, 0.5, 0.0, 0.05, 9.753099120283327, -0.9753099120283326",
            "false, 110, 100, 0.5, 0.0, -0.05, 0.0, 0.0",
            "false, 100, 100, 0.5, 0.0, 0.05, 0.0, -0.4876549560141663",
    })
    void degenerateExpiryOrVolatility(boolean call, double f, double k, double t, double vol, double r,
                                      double value, double delta) {
        double df = Math.exp(-r * t);
        assertThat(Black76.price(call, f, k, t, vol, r)).isCloseTo(value, within(1e-13));
        OptionSensitivities out = new OptionSensitivities();
        out.gamma = out.vega = out.theta = out.vanna = out.volga = 42.0; // must be overwritten
        Black76.sensitivities(call, f, k, t, vol, r, out);
        assertThat(out.value).isCloseTo(value, within(1e-13));
        assertThat(out.delta).isCloseTo(delta, within(1e-15));
        assertThat(Math.abs(out.delta)).isLessThanOrEqualTo(df);
        assertThat(new double[] {out.gamma, out.vega, out.theta, out.vanna, out.volga})
                .containsOnly(0.0);
    }

    /** A seeded random scenario: forward, strike, expiry, vol, rate. */
    record Scenario(boolean call, double f, double k, double t, double vol, double r) {
        static Scenario random(SplittableRandom rnd) {
            double f = 100.0 * Math.exp(2.0 * rnd.nextDouble(-1, 1));
            double t = switch (rnd.nextInt(4)) {
                case 0 -> 1.0 / 8760.0;                                   // one hour
                case 1 -> Math.exp(rnd.nextDouble(Math.log(1.0 / 8760.0), Math.log(7.0 / 365.0))); // hours to a week
                default -> Math.exp(rnd.nextDouble(Math.log(7.0 / 365.0), Math.log(3.0)));
            };
            double vol = rnd.nextDouble(0.05, 3.0);
            // strikes from deep ITM to deep OTM: up to ~4.5 standard deviations, plus wide K/F 0.3..3
            double s = vol * Math.sqrt(t);
            double k = rnd.nextBoolean()
                    ? f * Math.exp(Math.max(-3.0, Math.min(3.0, s * rnd.nextDouble(-4.5, 4.5))))
                    : f * Math.exp(rnd.nextDouble(Math.log(0.3), Math.log(3.0)));
            double r = rnd.nextDouble(-0.02, 0.15);
            return new Scenario(rnd.nextBoolean(), f, k, t, vol, r);
        }

        double price() {
            return Black76.price(call, f, k, t, vol, r);
        }

        OptionSensitivities greeks() {
            OptionSensitivities o = new OptionSensitivities();
            Black76.sensitivities(call, f, k, t, vol, r, o);
            return o;
        }
    }

    private static void assertClose(String what, Scenario sc, double actual, double expected, double scale,
                                    double noise) {
        // relative 1e-5 (central differences with relative steps 1e-4 of the natural scale) plus an
        // absolute floor of 1e-7 of the Greek's at-the-money magnitude, for when the Greek itself is
        // negligible (deep ITM/OTM), plus the rounding noise of the difference quotient
        double tol = 1e-5 * Math.abs(expected) + 1e-7 * scale + noise;
        assertThat(actual).as(what + " at " + sc).isCloseTo(expected, within(tol));
    }

    /**
     * Every Greek against a central difference on 3000 seeded random scenarios, including one-hour
     * expiries and strikes 4.5 standard deviations either side of the forward. First-order Greeks
     * are differenced from the price, second-order ones from the analytic first-order Greek.
     */
    @Test
    void greeksMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(20240601L);
        OptionSensitivities up = new OptionSensitivities();
        OptionSensitivities dn = new OptionSensitivities();
        int meaningful = 0;
        for (int i = 0; i < 3000; i++) {
            Scenario sc = Scenario.random(rnd);
            OptionSensitivities g = sc.greeks();
            double s = sc.vol * Math.sqrt(sc.t);
            double df = Math.exp(-sc.r * sc.t);
            // at-the-money magnitudes, the scale of the absolute tolerance floor
            double vegaScale = df * sc.f * Math.sqrt(sc.t) * NormalDistribution.INV_SQRT_2PI;
            double gammaScale = df * NormalDistribution.INV_SQRT_2PI / (sc.f * s);
            double vannaScale = gammaScale * sc.f * Math.sqrt(sc.t) * (1 + Math.abs(Math.log(sc.f / sc.k)) / s);
            double volgaScale = vegaScale / sc.vol * (1 + Math.pow(Math.log(sc.f / sc.k) / s, 2));
            double thetaScale = vegaScale * sc.vol / (2 * sc.t) + Math.abs(sc.r) * Math.max(sc.f, sc.k);

            double hf = 1e-4 * sc.f * s;
            double hv = 1e-4 * sc.vol;
            double ht = 1e-4 * sc.t;
            double fdDelta = (Black76.price(sc.call, sc.f + hf, sc.k, sc.t, sc.vol, sc.r)
                    - Black76.price(sc.call, sc.f - hf, sc.k, sc.t, sc.vol, sc.r)) / (2 * hf);
            double fdVega = (Black76.price(sc.call, sc.f, sc.k, sc.t, sc.vol + hv, sc.r)
                    - Black76.price(sc.call, sc.f, sc.k, sc.t, sc.vol - hv, sc.r)) / (2 * hv);
            double fdTheta = -(Black76.price(sc.call, sc.f, sc.k, sc.t + ht, sc.vol, sc.r)
                    - Black76.price(sc.call, sc.f, sc.k, sc.t - ht, sc.vol, sc.r)) / (2 * ht);
            Black76.sensitivities(sc.call, sc.f + hf, sc.k, sc.t, sc.vol, sc.r, up);
            Black76.sensitivities(sc.call, sc.f - hf, sc.k, sc.t, sc.vol, sc.r, dn);
            double fdGamma = (up.delta - dn.delta) / (2 * hf);
            double fdVannaFromVega = (up.vega - dn.vega) / (2 * hf);
            Black76.sensitivities(sc.call, sc.f, sc.k, sc.t, sc.vol + hv, sc.r, up);
            Black76.sensitivities(sc.call, sc.f, sc.k, sc.t, sc.vol - hv, sc.r, dn);
            double fdVanna = (up.delta - dn.delta) / (2 * hv);
            double fdVolga = (up.vega - dn.vega) / (2 * hv);

            double priceUlps = 4 * Math.ulp(df * Math.max(sc.f, sc.k)); // rounding of a price
            assertClose("delta", sc, g.delta, fdDelta, df, priceUlps / hf);
            assertClose("gamma", sc, g.gamma, fdGamma, gammaScale, 4 * Math.ulp(df) / hf);
            assertClose("vega", sc, g.vega, fdVega, vegaScale, priceUlps / hv);
            assertClose("theta", sc, g.theta, fdTheta, thetaScale, priceUlps / ht);
            assertClose("vanna", sc, g.vanna, fdVanna, vannaScale, 4 * Math.ulp(df) / hv);
            assertClose("vanna (d vega / dF)", sc, g.vanna, fdVannaFromVega, vannaScale, 4 * Math.ulp(vegaScale) / hf);
            assertClose("volga", sc, g.volga, fdVolga, volgaScale, 4 * Math.ulp(vegaScale) / hv);
            if (g.gamma > 1e-3 * gammaScale) {
                meaningful++;
            }
        }
        // the relative part of the tolerance, not the absolute floor, decided most cases
        assertThat(meaningful).isGreaterThan(1500);
    }

    /** Put-call parity for value and every Greek: C - P = e^{-rT}(F - K). */
    @Test
    void putCallParity() {
        SplittableRandom rnd = new SplittableRandom(7L);
        OptionSensitivities c = new OptionSensitivities();
        OptionSensitivities p = new OptionSensitivities();
        for (int i = 0; i < 5000; i++) {
            Scenario sc = Scenario.random(rnd);
            double df = Math.exp(-sc.r * sc.t);
            Black76.sensitivities(true, sc.f, sc.k, sc.t, sc.vol, sc.r, c);
            Black76.sensitivities(false, sc.f, sc.k, sc.t, sc.vol, sc.r, p);
            double scale = df * Math.max(sc.f, sc.k);
            assertThat(c.value - p.value).as("value parity %s", sc).isCloseTo(df * (sc.f - sc.k), within(1e-14 * scale));
            assertThat(c.delta - p.delta).as("delta parity %s", sc).isCloseTo(df, within(1e-15));
            assertThat(c.gamma).isEqualTo(p.gamma);
            assertThat(c.vega).isEqualTo(p.vega);
            assertThat(c.vanna).isEqualTo(p.vanna);
            assertThat(c.volga).isEqualTo(p.volga);
            assertThat(c.theta - p.theta).as("theta parity %s", sc)
                    .isCloseTo(sc.r * df * (sc.f - sc.k), within(1e-13 * scale * (1 + Math.abs(sc.r))));
        }
    }

    /** No-arbitrage bounds, strict monotonicity in vol, and finite outputs, on random scenarios. */
    @Test
    void boundedAndMonotoneInVolatility() {
        SplittableRandom rnd = new SplittableRandom(99L);
        OptionSensitivities out = new OptionSensitivities();
        for (int i = 0; i < 2000; i++) {
            Scenario sc = Scenario.random(rnd);
            double df = Math.exp(-sc.r * sc.t);
            double intrinsic = df * (sc.call ? Math.max(sc.f - sc.k, 0) : Math.max(sc.k - sc.f, 0));
            double upper = df * (sc.call ? sc.f : sc.k);
            double previous = intrinsic;
            for (double vol = 0.01; vol <= 5.0; vol *= 1.15) {
                double v = Black76.price(sc.call, sc.f, sc.k, sc.t, vol, sc.r);
                assertThat(v).as("%s vol=%s", sc, vol).isBetween(intrinsic, upper).isGreaterThanOrEqualTo(previous);
                Black76.sensitivities(sc.call, sc.f, sc.k, sc.t, vol, sc.r, out);
                assertThat(out.vega).isGreaterThanOrEqualTo(0.0);
                assertThat(out.gamma).isGreaterThanOrEqualTo(0.0);
                if (out.vega * vol * 0.15 > 1e-9 * upper) {
                    assertThat(v).as("strictly increasing where vega is material: %s vol=%s", sc, vol)
                            .isGreaterThan(previous);
                }
                assertAllFinite(out);
                previous = v;
            }
        }
    }

    /** Extreme but valid inputs stay finite and respect the bounds. */
    @ParameterizedTest
    @CsvSource({
            "true, 100, 100, 1e-12, 1e-12, 0.0",
            "true, 100, 1e-300, 1, 0.5, 0.0",
            "false, 1e-300, 100, 1, 0.5, 0.0",
            "true, 100, 1e300, 1, 0.5, 0.0",
            "true, 1e200, 1e200, 1e-10, 0.8, 0.0",
            "true, 100, 100, 1e300, 1e100, 0.0",
            "false, 100, 101, 3, 1e6, 0.01",
            "true, 60000, 120000, 0.000114, 0.01, 0.0",
            "false, 60000, 60000.000001, 1e-9, 0.5, -0.01",
    })
    void extremeInputs(boolean call, double f, double k, double t, double vol, double r) {
        double df = Math.exp(-r * t);
        double v = Black76.price(call, f, k, t, vol, r);
        double intrinsic = df * (call ? Math.max(f - k, 0) : Math.max(k - f, 0));
        assertThat(v).isBetween(intrinsic, df * (call ? f : k));
        OptionSensitivities out = new OptionSensitivities();
        Black76.sensitivities(call, f, k, t, vol, r, out);
        assertThat(out.value).isEqualTo(v);
        assertAllFinite(out);
        assertThat(Math.abs(out.delta)).isLessThanOrEqualTo(df);
    }

    /** Deep OTM prices keep their relative accuracy (values from 40-digit arithmetic). */
    @ParameterizedTest
    @CsvSource({
            // call, F, K, T, vol, r, reference
            "true, 100, 200, 0.25, 0.3, 0.0, 8.0696404111590033874e-6",
            "false, 100, 40, 0.1, 0.5, 0.0, 5.5659414722981027425e-9",
            "false, 100, 20, 0.25, 0.4, 0.0, 4.5505769201955442475e-16",
            "true, 60000, 66000, 0.000114155251141552511, 0.8, 0.0, 1.6873677743996092653e-27",
    })
    void deepOutOfTheMoneyRelativeAccuracy(boolean call, double f, double k, double t, double vol, double r,
                                           double reference) {
        double v = Black76.price(call, f, k, t, vol, r);
        assertThat(Math.abs(v - reference) / reference).isLessThan(1e-12);
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        OptionSensitivities out = new OptionSensitivities();
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.0};
        for (double x : bad) {
            assertThrowsNaming("forward", () -> Black76.price(true, x, 100, 1, 0.2, 0.01));
            assertThrowsNaming("strike", () -> Black76.price(true, 100, x, 1, 0.2, 0.01));
            assertThrowsNaming("yearFraction", () -> Black76.price(true, 100, 100, x, 0.2, 0.01));
            assertThrowsNaming("vol", () -> Black76.price(false, 100, 100, 1, x, 0.01));
            assertThrowsNaming("forward", () -> Black76.sensitivities(true, x, 100, 1, 0.2, 0.01, out));
            assertThrowsNaming("strike", () -> Black76.sensitivities(true, 100, x, 1, 0.2, 0.01, out));
            assertThrowsNaming("yearFraction", () -> Black76.sensitivities(true, 100, 100, x, 0.2, 0.01, out));
            assertThrowsNaming("vol", () -> Black76.sensitivities(false, 100, 100, 1, x, 0.01, out));
            if (x != -1.0) { // negative rates are legitimate
                assertThrowsNaming("rate", () -> Black76.price(true, 100, 100, 1, 0.2, x));
                assertThrowsNaming("rate", () -> Black76.sensitivities(true, 100, 100, 1, 0.2, x, out));
            }
        }
        assertThrowsNaming("forward", () -> Black76.price(true, 0.0, 100, 1, 0.2, 0.01));
        assertThrowsNaming("strike", () -> Black76.price(true, 100, 0.0, 1, 0.2, 0.01));
        assertThrowsNaming("out", () -> Black76.sensitivities(true, 100, 100, 1, 0.2, 0.01, null));
        assertThrowsNaming("rate", () -> Black76.price(true, 100, 100, 1, 0.2, 1000.0));   // e^{-rT} underflows
        assertThrowsNaming("rate", () -> Black76.sensitivities(true, 100, 100, 2, 0.2, -400.0, out)); // overflows
        assertThat(Black76.price(true, 100, 100, 1, 0.2, -0.01)).isGreaterThan(Black76.price(true, 100, 100, 1, 0.2, 0.01));
    }

    static void assertAllFinite(OptionSensitivities o) {
        assertThat(java.util.stream.DoubleStream.of(o.value, o.delta, o.gamma, o.vega, o.theta, o.vanna, o.volga)
                .allMatch(Double::isFinite)).as("all finite: %s", o).isTrue();
    }

    static void assertThrowsNaming(String argument, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(argument);
    }
}
