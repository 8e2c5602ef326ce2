package io.upm.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A three-source BTC index under attack by one source, on a path like real BTC's: the true price a geometric
 * random walk of 80% annual volatility sampled every second, with a crash inside the attack, 15% down in 30
 * minutes at five times the volatility (BTC lost 39% on 2020-03-12, mostly within a few hours); honest source
 * "a" quotes every second and "b" every two seconds, each with 1 bp of noise; the attacker "c" is honest for
 * 30 minutes, attacks for 6 hours, then is honest again.
 *
 * <p>Two measures: how far the attack moves the index, against the index of the same run in which "c" stays
 * honest (same path, same honest quotes); and how far the index is from the honest median (the mean of a's and
 * b's last quotes). Both must stay below 0.1% outside the crash. In the crash the two honest sources themselves
 * disagree (b's quote is a second older than a's on odd seconds, and a second is up to 0.3% then): there the
 * index must stay within |a - b| of the honest median at every second (the single-source bound of the property
 * test), and the figures are printed for docs/prices.md.
 */
class PriceIndexAttackTest {
    static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static final int WARM_UP = 1800;
    static final int ATTACK = 6 * 3600;
    static final int RECOVERY = 1800;
    static final int SECONDS = WARM_UP + ATTACK + RECOVERY;
    static final int CRASH_FROM = WARM_UP + 3 * 3600;
    static final int CRASH_SECONDS = 1800;
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

    /** The true path and the honest quotes of every second (b's only on even seconds, NaN otherwise). */
    record Path(double[] truth, double[] a, double[] b, double[] cHonest) {
        static Path generate(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double[] truth = new double[SECONDS];
            double[] a = new double[SECONDS];
            double[] b = new double[SECONDS];
            double[] c = new double[SECONDS];
            double p = 95_000;
            double crashDrift = Math.log(0.85) / CRASH_SECONDS;
            for (int s = 0; s < SECONDS; s++) {
                boolean crash = s >= CRASH_FROM && s < CRASH_FROM + CRASH_SECONDS;
                double vol = crash ? 5 * SECOND_VOL : SECOND_VOL;
                p *= Math.exp((crash ? crashDrift : 0) + vol * gaussian(rnd) - 0.5 * vol * vol);
                truth[s] = p;
                a[s] = p * (1 + 1e-4 * gaussian(rnd));
                b[s] = s % 2 == 0 ? p * (1 + 1e-4 * gaussian(rnd)) : Double.NaN;
                c[s] = p * (1 + 1e-4 * gaussian(rnd));
            }
            return new Path(truth, a, b, c);
        }
    }

    /** What one run measured. */
    record Measured(double worstMove, double worstFromHonest, double worstMoveInCrash, double worstFromHonestInCrash,
                    double worstHonestSpreadInCrash, int degradedSeconds, int rejected, double crash) {
    }

    static Measured run(Path path, Attack attack) {
        PriceIndex attacked = new PriceIndex();
        PriceIndex honest = new PriceIndex();
        double lastA = Double.NaN;
        double lastB = Double.NaN;
        double worstMove = 0;
        double worstFromHonest = 0;
        double[] inCrash = new double[3];
        int degraded = 0;
        int rejected = 0;
        for (int s = 0; s < SECONDS; s++) {
            long t = T0 + 1000L * s;
            lastA = path.a()[s];
            attacked.quote(t, "a", "BTC", lastA);
            honest.quote(t, "a", "BTC", lastA);
            if (!Double.isNaN(path.b()[s])) {
                lastB = path.b()[s];
                attacked.quote(t, "b", "BTC", lastB);
                honest.quote(t, "b", "BTC", lastB);
            }
            honest.quote(t, "c", "BTC", path.cHonest()[s]);
            boolean attacking = s >= WARM_UP && s < WARM_UP + ATTACK;
            double c = attacking ? attack.quote(s - WARM_UP, path.truth()[s], path.truth()[WARM_UP]) : path.cHonest()[s];
            if (c == 0.0) {
                assertThatThrownBy(() -> attacked.quote(t, "c", "BTC", 0.0)).isInstanceOfSatisfying(InputException.class,
                    e -> assertThat(e.field()).isEqualTo("price"));
                rejected++;
            } else if (!Double.isNaN(c)) {
                attacked.quote(t, "c", "BTC", c);
            } else {
                attacked.advanceTo(t);
            }
            AssetIndex x = attacked.asset("BTC");
            AssetIndex y = honest.asset("BTC");
            assertThat(x.status()).as("second %d", s).isNotEqualTo(IndexStatus.STALE);
            assertThat(y.status()).as("second %d", s).isEqualTo(IndexStatus.OK);
            if (x.status() == IndexStatus.DEGRADED) {
                degraded++;
            }
            double move = Math.abs(x.price() / y.price() - 1);
            double honestMedian = (lastA + lastB) / 2;
            double fromHonest = Math.abs(x.price() / honestMedian - 1);
            double honestSpread = Math.abs(lastA - lastB);
            assertThat(Math.abs(x.price() - honestMedian)).as("second %d", s)
                .isLessThanOrEqualTo(honestSpread * (1 + 1e-12));
            if (s >= CRASH_FROM && s < CRASH_FROM + CRASH_SECONDS) {
                inCrash[0] = Math.max(inCrash[0], move);
                inCrash[1] = Math.max(inCrash[1], fromHonest);
                inCrash[2] = Math.max(inCrash[2], honestSpread / honestMedian);
            } else {
                worstMove = Math.max(worstMove, move);
                worstFromHonest = Math.max(worstFromHonest, fromHonest);
            }
        }
        double crash = path.truth()[CRASH_FROM + CRASH_SECONDS - 1] / path.truth()[CRASH_FROM - 1] - 1;
        return new Measured(worstMove, worstFromHonest, inCrash[0], inCrash[1], inCrash[2], degraded, rejected, crash);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Attack.class)
    void oneBadSourceMovesTheIndexByLessThanATenthOfAPercent(Attack attack) {
        Path path = Path.generate(20_250_101L);
        Measured m = run(path, attack);
        System.out.printf(Locale.ROOT, "| %s | %.2f bp | %.2f bp | %.2f bp | %.2f bp (honest spread up to %.2f bp) |"
                + " %d | %d |%n", attack.name().toLowerCase(Locale.ROOT), m.worstMove() * 1e4, m.worstFromHonest() * 1e4,
            m.worstMoveInCrash() * 1e4, m.worstFromHonestInCrash() * 1e4, m.worstHonestSpreadInCrash() * 1e4,
            m.degradedSeconds(), m.rejected());
        assertThat(m.crash()).isLessThan(-0.10); // the path did crash (-10.4% in 30 minutes on this seed)
        assertThat(m.worstMove()).isLessThan(0.001);
        assertThat(m.worstFromHonest()).isLessThan(0.001);
        // in the crash: within the honest sources' own disagreement (checked at every second in run)
        assertThat(m.worstFromHonestInCrash()).isLessThanOrEqualTo(m.worstHonestSpreadInCrash() * (1 + 1e-9));
        switch (attack) {
            // the attacker is out of the index for (nearly) the whole attack
            case SPIKE -> assertThat(m.degradedSeconds()).isEqualTo(ATTACK);
            case FREEZE, ZERO -> assertThat(m.degradedSeconds()).isEqualTo(ATTACK - 60);
            // out once 3% away: a drift of 1%/h needs 3 hours, a frozen price a 3% move of the truth
            case DRIFT -> assertThat(m.degradedSeconds()).isBetween(ATTACK / 2 - 1200, ATTACK / 2 + 1200);
            case STUCK -> assertThat(m.degradedSeconds()).isPositive().isLessThan(ATTACK);
            // inside the band it is never cut out, and still cannot move the median beyond the honest quotes
            case EDGE_OF_BAND -> assertThat(m.degradedSeconds()).isZero();
        }
        if (attack == Attack.ZERO) {
            assertThat(m.rejected()).isEqualTo(ATTACK);
        }
    }

    @Test
    void withoutTheAttackTheTwoRunsAreTheSameIndex() {
        // the baseline the attacks are measured against: honest c gives exactly the honest run's index
        Path path = Path.generate(5);
        PriceIndex one = new PriceIndex();
        PriceIndex two = new PriceIndex();
        for (int s = 0; s < 600; s++) {
            long t = T0 + 1000L * s;
            for (PriceIndex x : new PriceIndex[] {one, two}) {
                x.quote(t, "a", "BTC", path.a()[s]);
                if (!Double.isNaN(path.b()[s])) {
                    x.quote(t, "b", "BTC", path.b()[s]);
                }
                x.quote(t, "c", "BTC", path.cHonest()[s]);
            }
            assertThat(one.asset("BTC").price()).isEqualTo(two.asset("BTC").price());
            assertThat(Math.abs(one.asset("BTC").price() / path.truth()[s] - 1)).isLessThan(5e-4);
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
