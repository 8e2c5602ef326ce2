package io.upm.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A three-source BTC index under attack by one source, on a realistic path: the true price a geometric random
 * walk of 80% annual volatility, sampled every second; honest source "a" quotes it every second and "b" every
 * two seconds, each with 1 bp of noise; the attacker "c" is honest for 30 minutes, attacks for 6 hours, then
 * is honest again. The honest median is the median of a's and b's last quotes. Prints what it measured.
 */
class PriceIndexAttackTest {
    static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static final int WARM_UP = 1800;
    static final int ATTACK = 6 * 3600;
    static final int RECOVERY = 1800;
    static final double SECOND_VOL = 0.80 / Math.sqrt(365.0 * 86400);

    /** What the third source does during the attack. */
    enum Attack {
        /** Quotes 50% above the truth. */
        SPIKE,
        /** Stops quoting. */
        FREEZE,
        /** Keeps quoting the price it had when the attack began. */
        STUCK,
        /** Drifts away from the truth by 1% an hour. */
        DRIFT,
        /** Stays just inside the outlier band: 2.9% above. */
        EDGE_OF_BAND,
        /** Quotes 0, which the index rejects as bad input. */
        ZERO;

        /** The attacker's quote, NaN for silence. */
        double quote(int secondIntoAttack, double truth, double priceAtStart) {
            return switch (this) {
                case SPIKE -> truth * 1.5;
                case FREEZE -> Double.NaN;
                case STUCK -> priceAtStart;
                case DRIFT -> truth * (1 + 0.01 * secondIntoAttack / 3600.0);
                case EDGE_OF_BAND -> truth * 1.029;
                case ZERO -> 0.0;
            };
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Attack.class)
    void oneBadSourceMovesTheIndexByLessThanATenthOfAPercentFromTheHonestMedian(Attack attack) {
        SplittableRandom rnd = new SplittableRandom(20_250_101L);
        PriceIndex index = new PriceIndex();
        double truth = 95_000;
        double a = Double.NaN;
        double b = Double.NaN;
        double cAtStart = Double.NaN;
        double worst = 0;
        int degradedSeconds = 0;
        int rejected = 0;
        for (int s = 0; s < WARM_UP + ATTACK + RECOVERY; s++) {
            long t = T0 + 1000L * s;
            truth *= Math.exp(SECOND_VOL * gaussian(rnd) - 0.5 * SECOND_VOL * SECOND_VOL);
            a = truth * (1 + 1e-4 * gaussian(rnd));
            index.quote(t, "a", "BTC", a);
            if (s % 2 == 0) {
                b = truth * (1 + 1e-4 * gaussian(rnd));
                index.quote(t, "b", "BTC", b);
            }
            boolean attacking = s >= WARM_UP && s < WARM_UP + ATTACK;
            if (s == WARM_UP) {
                cAtStart = truth;
            }
            double c = attacking ? attack.quote(s - WARM_UP, truth, cAtStart) : truth * (1 + 1e-4 * gaussian(rnd));
            if (c == 0.0) {
                double bad = c;
                assertThatThrownBy(() -> index.quote(t, "c", "BTC", bad)).isInstanceOfSatisfying(InputException.class,
                    e -> assertThat(e.field()).isEqualTo("price"));
                rejected++;
            } else if (!Double.isNaN(c)) {
                index.quote(t, "c", "BTC", c);
            } else {
                index.advanceTo(t);
            }
            AssetIndex x = index.asset("BTC");
            assertThat(x.status()).as("second %d", s).isNotEqualTo(IndexStatus.STALE);
            if (x.status() == IndexStatus.DEGRADED) {
                degradedSeconds++;
            }
            double honest = (a + b) / 2;
            worst = Math.max(worst, Math.abs(x.price() - honest) / honest);
        }
        System.out.printf(Locale.ROOT, "attack %-12s largest |index - honest median| %.2f bp; degraded %d s of %d;"
            + " quotes rejected %d%n", attack, worst * 1e4, degradedSeconds, WARM_UP + ATTACK + RECOVERY, rejected);
        assertThat(worst).isLessThan(0.001);
        assertThat(index.asset("BTC").status()).isEqualTo(IndexStatus.OK);
        if (attack == Attack.ZERO) {
            assertThat(rejected).isEqualTo(ATTACK);
        }
    }

    @Test
    void twoOfThreeSourcesDarkMakeTheIndexStaleAndItRecoversWhenTheyReturn() {
        SplittableRandom rnd = new SplittableRandom(7);
        PriceIndex index = new PriceIndex();
        double truth = 3_000;
        int darkFrom = 600;
        int darkTo = 1200;
        double lastGood = Double.NaN;
        int changes = 0;
        for (int s = 0; s < 1800; s++) {
            long t = T0 + 1000L * s;
            truth *= Math.exp(SECOND_VOL * gaussian(rnd));
            boolean dark = s >= darkFrom && s < darkTo;
            if (!dark) {
                index.quote(t, "a", "ETH", truth * (1 + 1e-4 * gaussian(rnd)));
                changes += index.quote(t, "b", "ETH", truth * (1 + 1e-4 * gaussian(rnd)));
            }
            changes += index.quote(t, "c", "ETH", truth * (1 + 1e-4 * gaussian(rnd)));
            AssetIndex x = index.asset("ETH");
            if (s < darkFrom + 60) {
                assertThat(x.status()).as("second %d", s).isEqualTo(IndexStatus.OK);
                lastGood = x.price();
            } else if (s < darkTo) {
                assertThat(x.status()).as("second %d", s).isEqualTo(IndexStatus.STALE);
                assertThat(x.price()).isEqualTo(lastGood);
                assertThat(x.sources()).isEmpty();
            } else {
                assertThat(x.status()).as("second %d", s).isEqualTo(IndexStatus.OK);
                assertThat(Math.abs(x.price() / truth - 1)).isLessThan(0.001);
            }
        }
        assertThat(changes).isGreaterThan(1000);
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
