package io.upm.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normal CDF against 40-digit reference values (mpmath), including the far lower tail. */
class NormalDistributionTest {

    @ParameterizedTest(name = "N({0})")
    @CsvSource({
            "-38, 2.8854283600687843084e-316",
            "-37.5, 4.6053530095819548438e-308",
            "-30, 4.9067139271481870595e-198",
            "-20, 2.7536241186062336951e-89",
            "-10, 7.619853024160526066e-24",
            "-8, 6.2209605742717841235e-16",
            "-5.7, 5.9903714010635344298e-9",
            "-5.65, 8.0223918506635141792e-9",
            "-3, 0.0013498980316300945267",
            "-1, 0.15865525393145705141",
            "-0.67, 0.25142889509531011429",
            "-0.66, 0.25462691467133614761",
            "-0.3, 0.38208857781104736269",
            "-1e-10, 0.49999999996010577196",
            "0, 0.5",
            "0.2, 0.57925970943910302304",
            "0.66, 0.74537308532866385239",
            "0.7, 0.75803634777692698525",
            "1, 0.84134474606854294859",
            "2.5, 0.99379033467422386483",
            "5, 0.99999971334842812081",
            "8, 0.9999999999999993779",
            // arguments whose square is not exact in binary: these catch an uncompensated exp(-x^2/2)
            "-37.123456789, 5.8782802347808476678e-302",
            "-33.3333333, 6.3522801846280357628e-244",
            "-27.7, 3.4910784528195238484e-169",
            "-19.37, 6.9128781017330946939e-84",
            "-12.345678, 2.5699702582622068413e-35",
            "-7.77777, 3.6907055498619256798e-15",
            "-6.1, 5.3034232629488415248e-10",
            "-4.321, 7.7661836927530269936e-6",
            "-2.2222, 0.013134896235131430426",
            "-0.9876, 0.16167429314689510778",
            "1.2345, 0.89149167663732982636",
            "3.789, 0.99992437254307919363",
    })
    void cdfMatchesReference(double x, double expected) {
        double actual = NormalDistribution.cdf(x);
        if (expected >= Double.MIN_NORMAL) {
            assertThat(Math.abs(actual - expected) / expected).as("relative error").isLessThan(4e-15);
        } else {
            // subnormal results carry fewer significant bits
            assertThat(actual).isCloseTo(expected, within(4 * Math.ulp(expected)));
        }
    }

    @Test
    void cdfLimitsAndSymmetry() {
        assertThat(NormalDistribution.cdf(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(NormalDistribution.cdf(-40)).isZero();
        assertThat(NormalDistribution.cdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(NormalDistribution.cdf(Double.NaN)).isNaN();
        SplittableRandom rnd = new SplittableRandom(5L);
        for (int i = 0; i < 10000; i++) {
            double x = rnd.nextDouble(-9, 9);
            assertThat(NormalDistribution.cdf(x) + NormalDistribution.cdf(-x)).isCloseTo(1.0, within(3e-16));
            double e = NormalDistribution.expHalfSquare(x);
            assertThat(NormalDistribution.cdf(x, e)).isEqualTo(NormalDistribution.cdf(x));
            assertThat(NormalDistribution.pdf(x))
                    .isCloseTo(Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI), within(1e-15));
            double y = Math.abs(x);
            assertThat(NormalDistribution.expHalfSquare(y) * NormalDistribution.scaledTail(y))
                    .isCloseTo(NormalDistribution.cdf(-y), within(2e-15 * NormalDistribution.cdf(-y)));
        }
    }

    @Test
    void tailDensityIsAccurate() {
        // exp(-30^2/2) / sqrt(2 pi) = 1.473646134878547519e-196 (mpmath); the naive formula loses digits
        assertThat(NormalDistribution.pdf(30) / 1.473646134878547519e-196 - 1).isCloseTo(0.0, within(1e-15));
        assertThat(NormalDistribution.pdf(27.7) / 9.6828578465242423468e-168 - 1).isCloseTo(0.0, within(2e-15));
    }

    @Test
    void approximateQuantileInvertsTheCdf() {
        for (double p : new double[] {1e-300, 1e-20, 1e-5, 0.01, 0.02425, 0.1, 0.5, 0.77, 0.99, 1 - 1e-10}) {
            double x = NormalDistribution.inverseCdfApprox(p);
            double q = p < 0.5 ? NormalDistribution.cdf(x) : 1 - NormalDistribution.cdf(x);
            double target = p < 0.5 ? p : 1 - p;
            // Acklam: relative error of x below 1.15e-9, i.e. about |x|^2 * 1.15e-9 relative in p
            assertThat(Math.abs(q - target) / target).as("p=%s", p).isLessThan(1e-9 + 1.5e-9 * x * x);
        }
        assertThat(NormalDistribution.inverseCdfApprox(0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(NormalDistribution.inverseCdfApprox(1.0)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
