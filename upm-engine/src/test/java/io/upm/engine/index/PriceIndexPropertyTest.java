package io.upm.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants over seeded random quote streams: several assets and sources, bursts of quotes at one instant,
 * noisy honest quotes, wild ones, silences long enough to go stale, and a small TWAP buffer that has to merge.
 */
class PriceIndexPropertyTest {
    static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static final IndexParameters PARAMS = IndexParameters.builder().staleAfter(Duration.ofSeconds(10))
        .twapWindow(Duration.ofSeconds(60)).twapCapacity(16).build();
    static final List<String> ASSETS = List.of("BTC", "ETH", "USDC");

    record Quote(long time, String source, String asset, double price) {
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 24);
    }

    /** Groups of quotes, each group at one instant with distinct (source, asset) pairs, instants increasing. */
    static List<List<Quote>> stream(long seed, int groups) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Integer> sourceCount = new HashMap<>();
        Map<String, Double> truth = new HashMap<>();
        for (String a : ASSETS) {
            sourceCount.put(a, 1 + rnd.nextInt(6));
            truth.put(a, a.equals("USDC") ? 1.0 : 1000 * Math.exp(4 * rnd.nextDouble()));
        }
        List<List<Quote>> out = new ArrayList<>();
        long t = T0;
        for (int g = 0; g < groups; g++) {
            double u = rnd.nextDouble();
            t += u < 0.6 ? 1 + rnd.nextInt(3000) : u < 0.9 ? 3000 + rnd.nextInt(10_000) : 10_000 + rnd.nextInt(60_000);
            List<Quote> group = new ArrayList<>();
            for (String a : ASSETS) {
                double p = truth.get(a) * Math.exp(0.003 * gaussian(rnd));
                truth.put(a, p);
                for (int s = 0; s < sourceCount.get(a); s++) {
                    if (rnd.nextDouble() < 0.35) {
                        double noise = rnd.nextDouble() < 0.08 ? (rnd.nextBoolean() ? 1 : -1) * (0.02 + 0.3 * rnd.nextDouble())
                            : 0.004 * gaussian(rnd);
                        group.add(new Quote(t, "src" + s, a, p * (1 + noise)));
                    }
                }
            }
            if (!group.isEmpty()) {
                out.add(group);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theIndexIsTheMedianOfTheFreshNonOutliersAndWithinTheirRange(long seed) {
        PriceIndex index = new PriceIndex(PARAMS);
        Map<String, Map<String, Quote>> last = new HashMap<>();
        int checked = 0;
        for (List<Quote> group : stream(seed, 1500)) {
            for (Quote q : group) {
                index.quote(q.time(), q.source(), q.asset(), q.price());
                last.computeIfAbsent(q.asset(), k -> new HashMap<>()).put(q.source(), q);
                for (String asset : index.assets()) {
                    checked += checkAgainstNaive(index.asset(asset), last.get(asset), q.time());
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    /** Recomputes the index from the last quotes by the rules' text; returns 1 when the quorum held. */
    private static int checkAgainstNaive(AssetIndex x, Map<String, Quote> quotes, long now) {
        double[] fresh = quotes.values().stream().filter(q -> now - q.time() <= PARAMS.staleAfterMillis())
            .mapToDouble(Quote::price).sorted().toArray();
        int known = quotes.size();
        if (fresh.length == 0) {
            assertThat(x.status()).isEqualTo(IndexStatus.STALE);
            return 0;
        }
        double m = medianOf(fresh);
        double[] good = Arrays.stream(fresh).filter(p -> Math.abs(p - m) <= PARAMS.outlierBand() * m).toArray();
        boolean quorum = good.length >= PARAMS.requiredQuorum(known);
        assertThat(x.freshMedian()).isCloseTo(m, within(1e-12 * m));
        if (!quorum) {
            assertThat(x.status()).isEqualTo(IndexStatus.STALE);
            assertThat(x.sources()).isEmpty();
            return 0;
        }
        double min = good[0];
        double max = good[good.length - 1];
        assertThat(x.price()).isCloseTo(medianOf(good), within(1e-12 * m)).isBetween(min, max);
        assertThat(x.status()).isEqualTo(good.length == known ? IndexStatus.OK : IndexStatus.DEGRADED);
        assertThat(x.usedSourceCount()).isEqualTo(good.length);
        assertThat(x.sources()).hasSize(good.length);
        assertThat(x.confidenceSpread()).isCloseTo((max - min) / x.price(), within(1e-12));
        for (SourceQuote q : x.quotes()) {
            if (q.state() == SourceState.FRESH) {
                assertThat(q.price()).isBetween(min, max);
            }
        }
        return 1;
    }

    private static double medianOf(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quotesAtOneInstantGiveTheSameStateInAnyOrderAndWhateverTheTimeAdvancesBetween(long seed) {
        List<List<Quote>> groups = stream(seed, 1500);
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        PriceIndex inOrder = new PriceIndex(PARAMS);
        PriceIndex shuffled = new PriceIndex(PARAMS);
        PriceIndex withAdvances = new PriceIndex(PARAMS);
        long previous = T0;
        for (List<Quote> group : groups) {
            long t = group.get(0).time();
            for (int k = rnd.nextInt(4); k > 0; k--) {
                previous += (long) (rnd.nextDouble() * (t - previous));
                withAdvances.advanceTo(previous);
            }
            previous = t;
            List<Quote> permuted = new ArrayList<>(group);
            for (int i = permuted.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Quote tmp = permuted.get(i);
                permuted.set(i, permuted.get(j));
                permuted.set(j, tmp);
            }
            for (Quote q : group) {
                inOrder.quote(q.time(), q.source(), q.asset(), q.price());
                withAdvances.quote(q.time(), q.source(), q.asset(), q.price());
            }
            for (Quote q : permuted) {
                shuffled.quote(q.time(), q.source(), q.asset(), q.price());
            }
            List<IndexSnapshot> expected = inOrder.snapshot();
            assertThat(shuffled.snapshot()).isEqualTo(expected);
            assertThat(withAdvances.snapshot()).isEqualTo(expected);
            for (String asset : inOrder.assets()) {
                long bits = Double.doubleToRawLongBits(inOrder.asset(asset).twap());
                assertThat(Double.doubleToRawLongBits(shuffled.asset(asset).twap())).isEqualTo(bits);
                assertThat(Double.doubleToRawLongBits(withAdvances.asset(asset).twap())).isEqualTo(bits);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void oneSourceCannotMoveAThreeSourceIndexByMoreThanTheSpreadOfTheOtherTwo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        PriceIndex index = new PriceIndex();
        double truth = 50_000;
        long t = T0;
        int checked = 0;
        for (int step = 0; step < 20_000; step++) {
            t += 1000;
            truth *= Math.exp(0.0015 * gaussian(rnd));
            double a = truth * (1 + 0.02 * gaussian(rnd));
            double b = truth * (1 + 0.02 * gaussian(rnd));
            // the third source says anything from a half to twice the price, or close to the others
            double c = rnd.nextBoolean() ? truth * Math.exp(Math.log(2) * (2 * rnd.nextDouble() - 1))
                : truth * (1 + 0.03 * gaussian(rnd));
            index.quote(t, "a", "BTC", a);
            index.quote(t, "b", "BTC", b);
            index.quote(t, "c", "BTC", c);
            AssetIndex x = index.asset("BTC");
            if (x.status() != IndexStatus.STALE) {
                double withoutC = (a + b) / 2;
                assertThat(Math.abs(x.price() - withoutC)).as("a %s b %s c %s index %s", a, b, c, x.price())
                    .isLessThanOrEqualTo(Math.abs(a - b) * (1 + 1e-12));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    /**
     * The same bound measured literally: the three-source index against an index fed only the two others, on
     * random cadences (each honest source quotes at a step with probability 0.7, quotes go stale after 3 s), the
     * third source anything from a half to twice the price. Whenever the two-source index is not stale (both
     * fresh and within the band of each other), adding the third moves it by at most |a - b|. (When one of the
     * two is stale, the third and the other fresh one make the quorum of 2 of 3 and the third can move the index
     * by up to 2 x outlierBand: the bound needs both others fresh.)
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aThirdSourceMovesTheIndexOfTheOtherTwoByAtMostTheirSpread(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919);
        IndexParameters p = IndexParameters.builder().staleAfter(Duration.ofSeconds(3)).build();
        PriceIndex three = new PriceIndex(p);
        PriceIndex two = new PriceIndex(p);
        double truth = 3_000;
        double a = Double.NaN;
        double b = Double.NaN;
        long t = T0;
        int checked = 0;
        int moved = 0;
        for (int step = 0; step < 20_000; step++) {
            t += 1000;
            truth *= Math.exp(0.002 * gaussian(rnd));
            if (rnd.nextDouble() < 0.7) {
                a = truth * (1 + 0.015 * gaussian(rnd));
                three.quote(t, "a", "ETH", a);
                two.quote(t, "a", "ETH", a);
            }
            if (rnd.nextDouble() < 0.7) {
                b = truth * (1 + 0.015 * gaussian(rnd));
                three.quote(t, "b", "ETH", b);
                two.quote(t, "b", "ETH", b);
            }
            if (rnd.nextDouble() < 0.9) {
                three.quote(t, "c", "ETH", truth * Math.exp(Math.log(2) * (2 * rnd.nextDouble() - 1)));
            }
            three.advanceTo(t);
            two.advanceTo(t);
            AssetIndex withC = three.asset("ETH");
            AssetIndex withoutC = two.asset("ETH");
            if (withoutC == null || withoutC.knownSourceCount() < 2 || withoutC.status() == IndexStatus.STALE
                || withC.status() == IndexStatus.STALE) {
                continue;
            }
            double move = Math.abs(withC.price() - withoutC.price());
            assertThat(move).as("step %d: a %s b %s, index %s without c %s", step, a, b, withC.price(),
                withoutC.price()).isLessThanOrEqualTo(Math.abs(a - b) * (1 + 1e-12));
            checked++;
            if (move > 0) {
                moved++;
            }
        }
        assertThat(checked).isGreaterThan(5_000);
        assertThat(moved).isPositive(); // c does move the index at times, within the bound
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
