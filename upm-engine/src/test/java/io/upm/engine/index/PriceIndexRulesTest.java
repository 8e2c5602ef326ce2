package io.upm.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.input.InputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule of MODEL.md section 9 on hand-checkable quotes. */
class PriceIndexRulesTest {
    static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static final long S = 1000;
    static final long MIN = 60 * S;

    final PriceIndex index = new PriceIndex();

    AssetIndex btc() {
        return index.asset("BTC");
    }

    @Test
    void oneSourceIsAnIndexWithStatusOk() {
        assertThat(index.asset("BTC")).isNull();
        assertThat(index.quote(T0, "binance", "BTC", 90_000)).isEqualTo(1);
        assertThat(index.changed(0)).isSameAs(btc());
        assertThat(btc().price()).isEqualTo(90_000);
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
        assertThat(btc().sources()).containsExactly("binance");
        assertThat(btc().confidenceSpread()).isZero();
        assertThat(btc().confidenceAddOnRate()).isZero();
        assertThat(index.assets()).containsExactly("BTC");
    }

    @Test
    void anOddCountTakesTheMiddleQuote() {
        index.quote(T0, "c", "BTC", 100.9);
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 100.4);
        assertThat(btc().price()).isEqualTo(100.4);
        assertThat(btc().freshMedian()).isEqualTo(100.4);
        assertThat(btc().sources()).containsExactly("a", "b", "c");
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
    }

    @Test
    void anEvenCountTakesTheMeanOfTheTwoMiddleQuotes() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 101.0);
        assertThat(btc().price()).isEqualTo(100.5);
        index.quote(T0, "c", "BTC", 102.0);
        index.quote(T0, "d", "BTC", 100.2);
        assertThat(btc().price()).isEqualTo((100.2 + 101.0) / 2, within(1e-12));
        assertThat(btc().usedSourceCount()).isEqualTo(4);
    }

    @Test
    void aQuoteIsFreshForStaleAfterInclusiveThenStopsCounting() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 101.0);
        index.quote(T0 + 30 * S, "c", "BTC", 102.0);
        assertThat(btc().price()).isEqualTo(101.0);
        assertThat(index.advanceTo(T0 + MIN)).isZero(); // exactly 60 s old: still fresh
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
        assertThat(index.advanceTo(T0 + MIN + 1)).isEqualTo(1); // a and b stale: 1 of 3, no quorum
        assertThat(index.changed(0).asset()).isEqualTo("BTC");
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        assertThat(btc().price()).isEqualTo(101.0); // keeps its last value
        assertThat(btc().sources()).isEmpty();
        assertThat(btc().quotes()).extracting(SourceQuote::state)
            .containsExactly(SourceState.STALE, SourceState.STALE, SourceState.FRESH);
    }

    @Test
    void theExpiryInstantDoesNotDependOnWhenTheEngineLooks() {
        // b expires at T0 + 60.001 s while a is still fresh: the index becomes a's quote at that instant,
        // which the TWAP sees even if the engine only looks 10 minutes later
        PriceIndex late = new PriceIndex();
        PriceIndex early = new PriceIndex();
        for (PriceIndex x : List.of(late, early)) {
            x.quote(T0, "a", "BTC", 100.0);
            x.quote(T0, "b", "BTC", 102.0);
            x.quote(T0, "c", "BTC", 101.0);
            x.quote(T0 + 50 * S, "a", "BTC", 100.0);
            x.quote(T0 + 50 * S, "c", "BTC", 101.0);
        }
        for (long t = T0 + 51 * S; t <= T0 + 11 * MIN; t += 7 * S) {
            early.advanceTo(t);
        }
        early.advanceTo(T0 + 11 * MIN);
        late.advanceTo(T0 + 11 * MIN);
        assertThat(late.asset("BTC").twap()).isEqualTo(early.asset("BTC").twap());
        assertThat(late.snapshot()).isEqualTo(early.snapshot());
    }

    @Test
    void aQuoteFartherThanTheBandFromTheMedianIsAnOutlier() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 100.5);
        index.quote(T0, "c", "BTC", 110.0); // median 100.5; 110 is 9.5% away
        assertThat(btc().price()).isEqualTo(100.25);
        assertThat(btc().status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(btc().sources()).containsExactly("a", "b");
        assertThat(btc().quotes()).extracting(SourceQuote::state)
            .containsExactly(SourceState.FRESH, SourceState.FRESH, SourceState.OUTLIER);
        assertThat(btc().confidenceSpread()).isEqualTo(0.5 / 100.25);
    }

    @Test
    void theBandIsInclusive() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 100.0);
        index.quote(T0, "c", "BTC", 103.0); // exactly 3% from the median 100
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
        index.quote(T0, "c", "BTC", 103.01);
        assertThat(btc().status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(btc().price()).isEqualTo(100.0);
    }

    @Test
    void twoSourcesMoreThanSixPercentApartAreBothOutliers() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 101.0);
        index.quote(T0 + S, "b", "BTC", 107.0); // median 103.5: both 3.4% away
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        assertThat(btc().price()).isEqualTo(100.5);
    }

    @Test
    void anAssetWhoseFirstQuotesDisagreeHasNoIndexYet() {
        index.quote(T0, "a", "BTC", 100.0);
        assertThat(index.quote(T0, "b", "BTC", 110.0)).isEqualTo(1);
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        assertThat(btc().price()).isNaN();
        assertThat(btc().twap()).isNaN();
        index.advanceTo(T0 + S);
        assertThat(btc().twap()).isNaN();
        assertThat(index.quote(T0 + S, "c", "BTC", 101.0)).isEqualTo(1); // median 101: a and c agree
        assertThat(btc().status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(btc().price()).isEqualTo(100.5);
        index.advanceTo(T0 + 11 * S);
        assertThat(btc().twap()).isEqualTo(100.5);
    }

    @Test
    void quorumLossMakesTheIndexStaleAndItRecoversWhenTheSourcesReturn() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 101.0);
        index.quote(T0, "c", "BTC", 102.0);
        index.quote(T0 + 30 * S, "b", "BTC", 101.5);
        assertThat(btc().price()).isEqualTo(101.5);
        double spread = btc().confidenceSpread();
        index.quote(T0 + 61 * S, "c", "BTC", 102.0); // a stale: 2 of 3, degraded
        assertThat(btc().status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(btc().price()).isEqualTo(101.75);
        spread = btc().confidenceSpread();
        assertThat(index.advanceTo(T0 + 91 * S)).isEqualTo(1); // b stale too: 1 of 3
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        assertThat(btc().price()).isEqualTo(101.75);
        assertThat(btc().confidenceSpread()).isEqualTo(spread);
        assertThat(btc().usedSourceCount()).isZero();
        assertThat(index.quote(T0 + 100 * S, "c", "BTC", 120.0)).isZero(); // one source alone moves nothing
        assertThat(btc().price()).isEqualTo(101.75);
        assertThat(index.quote(T0 + 110 * S, "a", "BTC", 119.0)).isEqualTo(1);
        assertThat(btc().status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(btc().price()).isEqualTo(119.5);
        assertThat(index.quote(T0 + 110 * S, "b", "BTC", 119.8)).isEqualTo(1);
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
        assertThat(btc().price()).isEqualTo(119.8);
    }

    @Test
    void theConfidenceSpreadIsTheRangeOverTheIndex() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 100.4);
        index.quote(T0, "c", "BTC", 101.0);
        assertThat(btc().confidenceSpread()).isEqualTo(1.0 / 100.4);
        assertThat(btc().confidenceAddOnRate()).isEqualTo(1.0 / 100.4 - 0.005);
        index.quote(T0, "c", "BTC", 100.45);
        assertThat(btc().confidenceSpread()).isEqualTo((100.45 - 100.0) / 100.4);
        assertThat(btc().confidenceAddOnRate()).isZero();
    }

    @Test
    void theTwapIsTheTimeWeightedAverageOverTheLastThirtyMinutes() {
        index.quote(T0, "a", "BTC", 100.0);
        assertThat(btc().twap()).isEqualTo(100.0); // an empty window: the value now
        index.advanceTo(T0 + 10 * MIN);
        assertThat(btc().twap()).isEqualTo(100.0);
        index.quote(T0 + 10 * MIN, "a", "BTC", 102.0);
        index.quote(T0 + 25 * MIN, "a", "BTC", 101.0);
        index.advanceTo(T0 + 28 * MIN);
        // the index exists from T0 only: (100 x 10 + 102 x 15 + 101 x 3) / 28
        assertThat(btc().twap()).isCloseTo((100.0 * 10 + 102 * 15 + 101 * 3) / 28, within(1e-9));
        index.advanceTo(T0 + 40 * MIN);
        // window [10, 40] min: 102 x 15 + 101 x 15
        assertThat(btc().twap()).isCloseTo(101.5, within(1e-9));
        index.advanceTo(T0 + 100 * MIN);
        assertThat(btc().twap()).isEqualTo(101.0);
    }

    @Test
    void aStaleIndexHoldsItsValueInTheTwap() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 102.0); // 101
        index.quote(T0 + 50 * S, "a", "BTC", 104.0); // b fresh until T0 + 60 s: 103
        index.advanceTo(T0 + 30 * MIN);
        // 101 for 50 s, 103 until b expires at 60.001 s, then a alone (quorum 2 of 2 lost): stale at 103
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        assertThat(btc().twap()).isCloseTo((101.0 * 50 + 103 * (1800 - 50)) / 1800, within(1e-9));
    }

    @Test
    void theTwapBufferMergesItsOldestSegmentsWhenFullKeepingTheIntegral() {
        PriceIndex small = new PriceIndex(IndexParameters.builder().twapCapacity(16).build());
        PriceIndex large = new PriceIndex();
        double exactSum = 0;
        for (int i = 0; i <= 1800; i++) {
            double p = 100 + (i % 7) * 0.1 + i * 0.001;
            small.quote(T0 + i * S, "a", "BTC", p);
            large.quote(T0 + i * S, "a", "BTC", p);
            if (i < 1800) {
                exactSum += p;
            }
        }
        double exact = exactSum / 1800; // each value held one second over [T0, T0 + 30 min]
        assertThat(large.asset("BTC").twap()).isCloseTo(exact, within(1e-9));
        assertThat(small.asset("BTC").twap()).isCloseTo(exact, within(1e-9));
        // a later window cuts into merged segments: close, not exact
        small.advanceTo(T0 + 40 * MIN);
        large.advanceTo(T0 + 40 * MIN);
        assertThat(small.asset("BTC").twap()).isCloseTo(large.asset("BTC").twap(), within(0.5));
    }

    @Test
    void aQuoteThatChangesNothingReportsNothing() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0, "b", "BTC", 101.0);
        index.quote(T0, "c", "BTC", 102.0);
        assertThat(index.quote(T0 + S, "a", "BTC", 100.5)).isZero();
        assertThat(index.changedCount()).isZero();
        assertThat(index.quote(T0 + 2 * S, "b", "BTC", 101.2)).isEqualTo(1);
        assertThat(index.changed(0).price()).isEqualTo(101.2);
        assertThatThrownBy(() -> index.changed(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aQuoteOfOneAssetReportsTheExpiriesOfOthersInNameOrder() {
        index.quote(T0, "c", "BTC", 90_000.0);
        index.quote(T0, "a", "SOL", 150.0);
        index.quote(T0, "a", "ETH", 3000.0);
        index.quote(T0, "b", "ETH", 3001.0);
        index.quote(T0, "c", "ETH", 3003.0);
        index.quote(T0 + 30 * S, "b", "SOL", 151.0);
        index.quote(T0 + 30 * S, "c", "SOL", 152.0);
        index.quote(T0 + 30 * S, "a", "ETH", 3002.0);
        index.quote(T0 + 30 * S, "c", "ETH", 3003.0);
        assertThat(index.asset("ETH").price()).isEqualTo(3002.0);
        assertThat(index.asset("SOL").price()).isEqualTo(151.0);
        // at T0 + 61 s: ETH's b and SOL's a expired (degraded, new prices), BTC's c expired and is quoted again
        assertThat(index.quote(T0 + 61 * S, "c", "BTC", 90_100.0)).isEqualTo(3);
        assertThat(List.of(index.changed(0).asset(), index.changed(1).asset(), index.changed(2).asset()))
            .containsExactly("BTC", "ETH", "SOL");
        assertThat(index.asset("ETH").status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(index.asset("ETH").price()).isEqualTo(3002.5);
        assertThat(index.asset("SOL").status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(index.asset("SOL").price()).isEqualTo(151.5);
        assertThat(index.asset("BTC").price()).isEqualTo(90_100.0);
        assertThat(index.assets()).containsExactly("BTC", "ETH", "SOL");
    }

    @Test
    void parametersMayDifferByAsset() {
        IndexParameters daily = IndexParameters.builder().staleAfter(Duration.ofHours(36)).build();
        PriceIndex x = new PriceIndex(IndexParameters.DEFAULTS, Map.of("BTC", daily));
        x.quote(T0, "a", "BTC", 100.0);
        x.quote(T0, "a", "ETH", 10.0);
        x.quote(T0, "b", "ETH", 10.1);
        x.quote(T0, "b", "BTC", 100.1);
        x.advanceTo(T0 + 35 * 60 * MIN);
        assertThat(x.asset("BTC").status()).isEqualTo(IndexStatus.OK);
        assertThat(x.asset("ETH").status()).isEqualTo(IndexStatus.STALE);
        assertThat(x.parameters("BTC")).isSameAs(daily);
        assertThat(x.asset("ETH").parameters()).isSameAs(IndexParameters.DEFAULTS);
    }

    @Test
    void badInputIsRejectedNamingTheFieldAndChangesNothing() {
        index.quote(T0, "a", "BTC", 100.0);
        index.quote(T0 + S, "b", "BTC", 101.0);
        List<IndexSnapshot> before = index.snapshot();
        int changed = index.changedCount();
        assertRejected(() -> index.quote(T0 + 2 * S, "a", "BTC", Double.NaN), "price");
        assertRejected(() -> index.quote(T0 + 2 * S, "a", "BTC", 0.0), "price");
        assertRejected(() -> index.quote(T0 + 2 * S, "a", "BTC", -100.0), "price");
        assertRejected(() -> index.quote(T0 + 2 * S, "a", "BTC", Double.POSITIVE_INFINITY), "price");
        assertRejected(() -> index.quote(T0 + 2 * S, "", "BTC", 100.0), "source");
        assertRejected(() -> index.quote(T0 + 2 * S, " ", "BTC", 100.0), "source");
        assertRejected(() -> index.quote(T0 + 2 * S, null, "BTC", 100.0), "source");
        assertRejected(() -> index.quote(T0 + 2 * S, "a", "", 100.0), "asset");
        assertRejected(() -> index.quote(T0, "a", "BTC", 100.0), "time");
        assertRejected(() -> index.advanceTo(T0), "time");
        assertRejected(() -> index.quote(PriceIndex.MAX_TIME + 1, "a", "BTC", 100.0), "time");
        assertRejected(() -> index.quote((Instant) null, "a", "BTC", 100.0), "time");
        assertThat(index.snapshot()).isEqualTo(before);
        assertThat(index.timeMillis()).isEqualTo(T0 + S);
        assertThat(index.changedCount()).isEqualTo(changed);
    }

    @Test
    void anAssetHasAtMostSixtyFourSources() {
        for (int i = 0; i < PriceIndex.MAX_SOURCES_PER_ASSET; i++) {
            index.quote(T0, "s" + i, "BTC", 100.0);
        }
        assertRejected(() -> index.quote(T0, "one-too-many", "BTC", 100.0), "source");
        assertThat(btc().knownSourceCount()).isEqualTo(64);
        assertThat(btc().status()).isEqualTo(IndexStatus.OK);
    }

    @Test
    void instantsAreEpochMilliseconds() {
        index.quote(Instant.parse("2025-01-01T00:00:00.000999Z"), "a", "BTC", 100.0);
        assertThat(index.timeMillis()).isEqualTo(T0);
        index.advanceTo(Instant.parse("2025-01-01T00:01:00.001Z"));
        assertThat(btc().status()).isEqualTo(IndexStatus.STALE);
        IndexSnapshot s = btc().snapshot();
        assertThat(s.timeMillis()).isEqualTo(T0 + MIN + 1);
        assertThat(s.quotes()).containsExactly(new SourceQuote("a", 100.0, T0, SourceState.STALE));
    }

    private static void assertRejected(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InputException.class,
            e -> assertThat(e.field()).isEqualTo(field));
    }
}
