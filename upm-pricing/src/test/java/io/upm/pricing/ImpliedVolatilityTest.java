package io.upm.pricing;

import static io.upm.pricing.Black76Test.assertThrowsNaming;
import static io.upm.pricing.Black76Test.forward;
import static io.upm.pricing.Black76Test.isCall;
import static io.upm.pricing.Black76Test.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Implied volatility against section 5 of /work/shared/reference/option-pricing.md, round trips and bounds. */
class ImpliedVolatilityTest {

    /**
     * IV1-IV7 are generalised BSM rows (S, r, cost of carry b), converted to Black-76 with
     * F = S e^{bT}, discounting at r. IV1 is Hull's example (exact root 0.234512913998); IV2-IV7
     * must give 0.125 to 1e-9.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // id, type, S, K, r, b, T, price, expected sigma, absolute tolerance
            "IV1, call, 21, 20, 0.1, 0.1, 0.25, 1.875, 0.234512913998, 1e-11",
            "IV2, call, 110, 100, 0.1, 0.02, 0.5, 11.069546131685598, 0.125, 1e-9",
            "IV3, put, 110, 100, 0.1, 0.02, 0.5, 0.505650275001452, 0.125, 1e-9",
            "IV4, call, 100, 100, 0.1, 0.02, 0.5, 3.8695002999527546, 0.125, 1e-9",
            "IV5, put, 100, 100, 0.1, 0.02, 0.5, 2.913498834791845, 0.125, 1e-9",
            "IV6, call, 100, 110, 0.1, 0.02, 0.5, 0.7881685580252977, 0.125, 1e-9",
            "IV7, put, 100, 110, 0.1, 0.02, 0.5, 9.344461337871536, 0.125, 1e-9",
    })
    void bsmReferenceRows(String id, String type, double s, double k, double r, double b, double t, double price,
                          double expected, double tol) {
        double sigma = ImpliedVolatility.solve(isCall(type), forward(s, b, t), k, t, r, price);
        assertThat(sigma).as(id).isCloseTo(expected, within(tol));
    }

    @Test
    void hullExampleMatchesPublishedRoundedValue() {
        // Hull quotes "about 23.5%"
        assertThat(ImpliedVolatility.solve(true, forward(21, 0.1, 0.25), 20, 0.25, 0.1, 1.875))
                .isCloseTo(0.235, within(5e-4));
    }

    /**
     * IV8-IV11: crypto stress cases (r = 0), prices quoted in coin: multiply by F for the USD price.
     * Deep OTM, far-OTM put one week out (tiny vega), one hour to expiry, deep ITM. Must recover
     * sigma to 1e-8 relative.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // id, type, F, K, T, coin price, sigma
            "IV8, call, 60000, 65000, 30/365, 0.059140456340533956, 0.8",
            "IV9, put, 60000, 40000, 7/365, 1.5430823480474191e-5, 0.9",
            "IV10, call, 60000, 60000, 1/8760, 0.0021312161604643893, 0.5",
            "IV11, call, 60000, 30000, 90/365, 0.5020949746207993, 0.7",
    })
    void cryptoStressRows(String id, String type, double f, double k, String t, double coinPrice, double expected) {
        double sigma = ImpliedVolatility.solve(isCall(type), f, k, num(t), 0.0, coinPrice * f);
        assertThat(Math.abs(sigma - expected) / expected).as(id).isLessThanOrEqualTo(1e-8);
    }

    /**
     * Round trip sigma -> price -> sigma over 20000 seeded random cases: sigma 0.05..3, T one hour
     * to three years, K/F 0.3..3, calls and puts, r -2%..10%.
     *
     * <p>Cases whose out-of-the-money-equivalent (time) value is below 1e-12 F are skipped: there
     * the price carries too few significant digits about sigma to be unrecoverable to 1e-8 (for an
     * ITM option the time value is then lost in the rounding of the large intrinsic value). The
     * tolerance is 1e-8 relative plus the error the rounding of the price itself forces,
     * {@code 4 ulp(price) / vega}; that second term only matters for in-the-money options, so OTM
     * options are additionally held to the plain 1e-8.
     */
    @Test
    void roundTripOverRandomGrid() {
        SplittableRandom rnd = new SplittableRandom(314159L);
        int checked = 0;
        int skipped = 0;
        OptionSensitivities g = new OptionSensitivities();
        for (int i = 0; i < 20000; i++) {
            double f = 100.0 * Math.exp(3.0 * rnd.nextDouble(-1, 1));
            double sigma = rnd.nextDouble(0.05, 3.0);
            double t = Math.exp(rnd.nextDouble(Math.log(1.0 / 8760.0), Math.log(3.0)));
            double k = f * Math.exp(rnd.nextDouble(Math.log(0.3), Math.log(3.0)));
            double r = rnd.nextDouble(-0.02, 0.10);
            boolean call = rnd.nextBoolean();
            double df = Math.exp(-r * t);
            boolean otm = call ? k >= f : k <= f;
            double timeValue = Black76.price(k >= f, f, k, t, sigma, r) / df; // the OTM option's price
            if (timeValue < 1e-12 * f) {
                skipped++;
                continue;
            }
            double price = Black76.price(call, f, k, t, sigma, r);
            Black76.sensitivities(call, f, k, t, sigma, r, g);
            double solved = ImpliedVolatility.solve(call, f, k, t, r, price);
            String what = String.format("call=%s F=%s K=%s T=%s sigma=%s r=%s price=%s", call, f, k, t, sigma, r, price);
            assertThat(Math.abs(solved - sigma)).as(what)
                    .isLessThanOrEqualTo(1e-8 * sigma + 4 * Math.ulp(price) / g.vega);
            if (otm) {
                assertThat(Math.abs(solved - sigma) / sigma).as(what).isLessThanOrEqualTo(1e-8);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(12000);
        assertThat(skipped).isGreaterThan(0);
    }

    /**
     * Far outside the usual ranges (sigma 1e-4..100, T 30 seconds..30 years, |ln K/F| 1e-12..100,
     * prices down to 1e-300 F) the solver still returns the root: sigma to 1e-8 plus what a 1e-12
     * relative error of the price and the rounding of the upper bound allow.
     */
    @Test
    void robustOverExtremeRanges() {
        SplittableRandom rnd = new SplittableRandom(2718L);
        OptionSensitivities g = new OptionSensitivities();
        int checked = 0;
        for (int i = 0; i < 20000; i++) {
            double sigma = Math.exp(rnd.nextDouble(Math.log(1e-4), Math.log(100)));
            double t = Math.exp(rnd.nextDouble(Math.log(1e-6), Math.log(30)));
            double logMoneyness = (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-12, 2));
            double f = Math.exp(rnd.nextDouble(-20, 20));
            double k = f * Math.exp(logMoneyness);
            double r = rnd.nextDouble(-0.05, 0.2);
            boolean call = k >= f; // the OTM side: its price is fully determined by sigma
            double price = Black76.price(call, f, k, t, sigma, r);
            double upper = Math.exp(-r * t) * (call ? f : k);
            if (price < 1e-300 * f || price >= upper) {
                continue;
            }
            Black76.sensitivities(call, f, k, t, sigma, r, g);
            double solved = ImpliedVolatility.solve(call, f, k, t, r, price);
            assertThat(Math.abs(solved - sigma))
                    .as("call=%s F=%s K=%s T=%s sigma=%s r=%s price=%s", call, f, k, t, sigma, r, price)
                    .isLessThanOrEqualTo(1e-8 * sigma + (1e-12 * price + 4 * Math.ulp(upper)) / g.vega);
            checked++;
        }
        assertThat(checked).isGreaterThan(14000);
    }

    /** Hard cases: deep OTM with hours to expiry, tiny vega, near the upper bound, far strikes. */
    @ParameterizedTest
    @CsvSource({
            // call, F, K, T, sigma, r
            "true, 60000, 66000, 0.000114155251141552511, 0.8, 0.0",   // 1h, ~11 sd OTM, price ~1e-27
            "false, 60000, 50000, 0.000114155251141552511, 1.2, 0.0",  // 1h put, ~14 sd OTM
            "true, 60000, 60001, 0.000114155251141552511, 0.05, 0.0",  // 1h, vol 5%, just OTM
            "false, 60000, 59999.999, 0.00001, 0.3, 0.0",               // 5 minutes, ATM put
            "true, 100, 100, 3.0, 8.0, 0.05",                           // price within 1e-7 of the upper bound
            "false, 100, 101, 2.0, 5.0, 0.03",                          // near the upper bound e^{-rT}K
            "true, 100, 100000, 1.0, 1.5, 0.0",                         // K/F = 1000
            "false, 100, 0.1, 1.0, 1.5, 0.0",                           // K/F = 1/1000
            "true, 100, 100, 1.0, 1e-6, 0.0",                           // tiny total vol ATM
            "true, 1e-6, 1.2e-6, 0.5, 0.7, 0.0",                        // tiny prices in absolute terms
            "false, 1e9, 9e8, 0.1, 0.4, 0.0",                           // huge prices in absolute terms
            "true, 100, 50, 0.000114155251141552511, 3.0, 0.0",         // deep ITM 1h: time value ~1e-96 lost in rounding
            "false, 100, 200, 0.01, 0.2, 0.0",                          // deep ITM put: time value underflows to 0
    })
    void hardCasesRecoverSigma(boolean call, double f, double k, double t, double sigma, double r) {
        double price = Black76.price(call, f, k, t, sigma, r);
        double otmPrice = Black76.price(k >= f, f, k, t, sigma, r);
        OptionSensitivities g = new OptionSensitivities();
        Black76.sensitivities(call, f, k, t, sigma, r, g);
        double solved = ImpliedVolatility.solve(call, f, k, t, r, price);
        // the solution always reproduces the price (to rounding) ...
        assertThat(Black76.price(call, f, k, t, solved, r))
                .isCloseTo(price, within(1e-9 * price + 4 * Math.ulp(price)));
        // ... and is the input sigma wherever the price still determines it (the second term is the
        // error forced by the rounding of the price; it is huge only when the time value is lost)
        if (otmPrice > 1e-300) {
            assertThat(Math.abs(solved - sigma))
                    .isLessThanOrEqualTo(1e-8 * sigma + 4 * Math.ulp(price) / g.vega);
        }
    }

    @Test
    void callAndPutGiveTheSameVolatility() {
        double f = 2500;
        double k = 2700;
        double t = 45.0 / 365;
        double r = 0.04;
        double call = Black76.price(true, f, k, t, 0.65, r);
        double put = call - Math.exp(-r * t) * (f - k); // parity
        assertThat(ImpliedVolatility.solve(false, f, k, t, r, put))
                .isCloseTo(ImpliedVolatility.solve(true, f, k, t, r, call), within(1e-12));
    }

    @Test
    void increasingInPriceAndDeterministic() {
        double previous = 0;
        for (double p = 0.5; p < 99.5; p += 0.5) {
            double sigma = ImpliedVolatility.solve(true, 100, 110, 0.5, 0.0, p);
            assertThat(sigma).isGreaterThan(previous);
            assertThat(ImpliedVolatility.solve(true, 100, 110, 0.5, 0.0, p)).isEqualTo(sigma);
            previous = sigma;
        }
    }

    @Test
    void boundaryPrices() {
        double df = Math.exp(-0.05 * 0.5);
        // exactly the discounted intrinsic value: zero volatility
        assertThat(ImpliedVolatility.solve(true, 110, 100, 0.5, 0.05, df * 10)).isZero();
        assertThat(ImpliedVolatility.solve(false, 110, 100, 0.5, 0.05, 0.0)).isZero();
        // exactly the upper bound: no finite volatility
        assertThat(ImpliedVolatility.solve(true, 110, 100, 0.5, 0.05, df * 110)).isInfinite();
        assertThat(ImpliedVolatility.solve(false, 110, 100, 0.5, 0.05, df * 100)).isInfinite();
    }

    @Test
    void pricesOutsideTheNoArbitrageBoundsThrow() {
        double df = Math.exp(-0.05 * 0.5);
        assertThatThrownBy(() -> ImpliedVolatility.solve(true, 110, 100, 0.5, 0.05, df * 10 - 1e-9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower");
        assertThatThrownBy(() -> ImpliedVolatility.solve(false, 90, 100, 0.5, 0.05, 9.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower");
        assertThatThrownBy(() -> ImpliedVolatility.solve(true, 110, 100, 0.5, 0.05, df * 110 * (1 + 1e-12)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper").hasMessageContaining("forward");
        assertThatThrownBy(() -> ImpliedVolatility.solve(false, 110, 100, 0.5, 0.05, 100.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper").hasMessageContaining("strike");
    }

    @Test
    void invalidInputsThrowNamingTheArgument() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.0};
        for (double x : bad) {
            assertThrowsNaming("forward", () -> ImpliedVolatility.solve(true, x, 100, 1, 0.0, 5));
            assertThrowsNaming("strike", () -> ImpliedVolatility.solve(true, 100, x, 1, 0.0, 5));
            assertThrowsNaming("yearFraction", () -> ImpliedVolatility.solve(true, 100, 100, x, 0.0, 5));
            assertThrowsNaming("price", () -> ImpliedVolatility.solve(false, 100, 100, 1, 0.0, x));
            if (x != -1.0) {
                assertThrowsNaming("rate", () -> ImpliedVolatility.solve(true, 100, 100, 1, x, 5));
            }
        }
        assertThrowsNaming("yearFraction", () -> ImpliedVolatility.solve(true, 100, 100, 0.0, 0.0, 5));
        assertThrowsNaming("forward", () -> ImpliedVolatility.solve(true, 0.0, 100, 1, 0.0, 5));
        assertThrowsNaming("strike", () -> ImpliedVolatility.solve(true, 100, 0.0, 1, 0.0, 5));
        assertThrowsNaming("rate", () -> ImpliedVolatility.solve(true, 100, 100, 1, 1000.0, 0.0));
    }
}
