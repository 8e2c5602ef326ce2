package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.market.Correlations;
import io.upm.market.MarketSnapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot of a historical day: time, prices, the vol and its fallback, the correlations. */
class HistoricalSnapshotsTest {

    @Test
    void aDaysSnapshotIsAtItsCloseWithTheClosesAndUsdcAtOne() {
        DailyHistory h = TestHistories.randomWalks(1, 60, 0.02);
        MarketSnapshot s = new HistoricalSnapshots(h).snapshot(40);
        assertThat(s.time()).isEqualTo(Instant.parse("2020-02-11T00:00:00Z"));
        assertThat(h.date(40)).hasToString("2020-02-10");
        assertThat(s.priceOrNaN("BTC")).isEqualTo(h.close("BTC", 40));
        assertThat(s.priceOrNaN("SOL")).isEqualTo(h.close("SOL", 40));
        assertThat(s.priceOrNaN("USDC")).isEqualTo(1.0);
        assertThat(s.rate()).isZero();
        assertThat(s.forwards()).isEmpty();
        assertThat(s.adv()).isEmpty();
    }

    @Test
    void theVolIsDvolWhereThereIsOne() {
        DailyHistory h = TestHistories.randomWalks(2, 60, 0.02);
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        assertThat(s.isImpliedVol("BTC", 50)).isTrue();
        assertThat(s.vol("BTC", 50)).isCloseTo(0.02 * Math.sqrt(365), within(1e-12));
        assertThat(s.snapshot(50).volSurface("ETH").vol(3000, 0, 0)).isCloseTo(0.02 * Math.sqrt(365), within(1e-12));
    }

    @Test
    void withoutDvolTheVolIsTheRealisedVolTimesTheMedianPremiumOfEarlierDays() {
        int n = 120;
        double[] btc = TestHistories.randomWalk(3, n, 50_000, 0.03);
        double[] sol = TestHistories.randomWalk(4, n, 100, 0.05);
        double[] dvol = new double[n];
        Arrays.fill(dvol, Double.NaN);
        for (int i = 60; i < 90; i++) {
            dvol[i] = 1.0; // 100 vol, far above BTC's realised ~57: a premium above 1
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc, "SOL", sol), Map.of("BTC", dvol));
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        // before any DVOL: premium at its floor
        assertThat(s.premium(59)).isEqualTo(HistoricalSnapshots.PREMIUM_FLOOR);
        assertThat(s.vol("SOL", 59)).isCloseTo(s.realisedVol("SOL", 59), within(1e-12));
        // realised: zero-mean, 30 returns, sqrt(365)
        double ss = 0;
        for (int k = 30; k <= 59; k++) {
            ss += h.logReturn("SOL", k) * h.logReturn("SOL", k);
        }
        assertThat(s.realisedVol("SOL", 59)).isCloseTo(Math.sqrt(ss / 30 * 365), within(1e-12));
        // after 30 DVOL days: the median of DVOL / realised of the days before
        double[] ratios = new double[30];
        for (int i = 60; i < 90; i++) {
            ratios[i - 60] = 1.0 / s.realisedVol("BTC", i);
        }
        Arrays.sort(ratios);
        double median = 0.5 * (ratios[14] + ratios[15]);
        assertThat(median).isGreaterThan(1.2);
        assertThat(s.premium(100)).isCloseTo(median, within(1e-12));
        assertThat(s.isImpliedVol("SOL", 100)).isFalse();
        assertThat(s.vol("SOL", 100)).isCloseTo(s.realisedVol("SOL", 100) * median, within(1e-12));
        assertThat(s.vol("BTC", 100)).isCloseTo(s.realisedVol("BTC", 100) * median, within(1e-12));
        // too little history: no vol at all, and the snapshot has no surface
        assertThat(s.vol("SOL", 10)).isNaN();
        assertThat(s.snapshot(10).volSurface("SOL")).isNull();
    }

    @Test
    void correlationsAreRolledRoundedToTwoDecimalsAndPositiveSemiDefinite() {
        int n = 200;
        double[] btc = TestHistories.randomWalk(5, n, 50_000, 0.03);
        double[] eth = btc.clone();
        double[] noise = TestHistories.randomWalk(6, n, 1, 0.01);
        for (int i = 0; i < n; i++) {
            eth[i] = btc[i] / 20 * noise[i];
        }
        double[] sol = TestHistories.randomWalk(7, n, 100, 0.03);
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc, "ETH", eth, "SOL", sol), Map.of());
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        double raw = s.rawCorrelation("BTC", "ETH", 150);
        assertThat(raw).isBetween(0.9, 1.0);
        Map<String, Double> pairs = s.correlationPairs(List.of("BTC", "ETH", "SOL"), 150);
        assertThat(pairs.get("BTC/ETH")).isCloseTo(Math.round(raw * 100) / 100.0, within(1e-9));
        assertThat(pairs.get("BTC/SOL")).isBetween(-0.4, 0.4);
        Correlations c = s.snapshot(150).correlations();
        assertThat(Correlations.minEigenvalue(c.matrix(List.of("BTC", "ETH", "SOL")))).isGreaterThanOrEqualTo(-1e-9);
        // fewer than 30 common returns: pair left out (0)
        assertThat(s.correlationPairs(List.of("BTC", "ETH"), 20)).isEmpty();
    }

    @Test
    void anInconsistentRoundedMatrixIsShrunkTowardTheIdentity() {
        // a = b, b = -c in returns: rho(a,b) = 1, rho(b,c) = -1, rho(a,c) = -1 is PSD; perturb c so rounding breaks it
        int n = 100;
        double[] a = TestHistories.randomWalk(8, n, 100, 0.03);
        double[] b = a.clone();
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 1e4 / a[i];
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", a, "ETH", b, "SOL", c), Map.of());
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        Map<String, Double> pairs = s.correlationPairs(List.of("BTC", "ETH", "SOL"), 99);
        double[][] m = {
            {1, pairs.get("BTC/ETH"), pairs.get("BTC/SOL")},
            {pairs.get("BTC/ETH"), 1, pairs.get("ETH/SOL")},
            {pairs.get("BTC/SOL"), pairs.get("ETH/SOL"), 1}};
        assertThat(Correlations.minEigenvalue(m)).isGreaterThanOrEqualTo(-Correlations.PSD_TOLERANCE);
        assertThat(pairs.get("BTC/ETH")).isGreaterThan(0.95);
        assertThat(pairs.get("BTC/SOL")).isLessThan(-0.95);
    }
}
