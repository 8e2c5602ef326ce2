package io.upm.backtest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.TestHistories;
import io.upm.backtest.feed.SourceAgreementStudy.Observation;
import io.upm.backtest.feed.SourceAgreementStudy.Result;
import io.upm.backtest.feed.SourceAgreementStudy.SourceStats;
import io.upm.engine.index.IndexStatus;
import io.upm.engine.index.SourceQuote;
import io.upm.engine.index.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The source-agreement study: on synthetic closes with planted outliers (always), and on the real 2020-2025
 * history of ../shared/data/market (skipped with a message when it is absent), where every day is checked
 * against a naive recomputation of MODEL.md section 9 from the feed's quotes, independent of the index.
 */
class SourceAgreementStudyTest {
    static final LocalDate FROM = LocalDate.of(2020, 1, 1);
    static final LocalDate TO = LocalDate.of(2025, 2, 28);

    static long midnightAfter(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    @Test
    void plantedOutliersAreCountedAndTheIndexIsTheirMedian() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<FeedQuote> quotes = new ArrayList<>();
        double p = 30_000;
        for (int d = 0; d < 200; d++) {
            LocalDate day = FROM.plusDays(d);
            p *= Math.exp(0.03 * rnd.nextGaussian());
            long t = midnightAfter(day);
            quotes.add(new FeedQuote(t, "a", "BTC", p * (1 + 0.001 * rnd.nextGaussian())));
            quotes.add(new FeedQuote(t, "b", "BTC", p * (1 + 0.001 * rnd.nextGaussian())));
            // c is 8% off every tenth day, and silent on days 100-109 (stale after 36 h)
            if (d < 100 || d >= 110) {
                quotes.add(new FeedQuote(t, "c", "BTC", p * (d % 10 == 0 ? 1.08 : 1 + 0.001 * rnd.nextGaussian())));
            }
        }
        quotes.sort(FeedQuote.ORDER);
        Result r = SourceAgreementStudy.run(quotes, List.of("BTC"), SourceAgreementStudy.DAILY);

        SourceStats c = r.sources().stream().filter(s -> s.source().equals("c")).findFirst().orElseThrow();
        assertThat(c.quotes()).isEqualTo(190);
        assertThat(c.outliers()).isEqualTo(19); // days 0, 10, ..., 190 but not 100
        assertThat(c.max()).isCloseTo(0.08, within(0.01));
        assertThat(r.sources()).filteredOn(s -> !s.source().equals("c")).allSatisfy(s -> {
            assertThat(s.outliers()).isZero();
            assertThat(s.max()).isLessThan(0.01);
        });
        // degraded: the 19 outlier days, and days 101-109 (c stale; on day 100 its last quote is 1 day old)
        assertThat(r.assets().get(0).statuses()).containsEntry(IndexStatus.DEGRADED, 19 + 9)
            .containsEntry(IndexStatus.OK, 200 - 28).doesNotContainKey(IndexStatus.STALE);
        assertThat(c.live()).isEqualTo(190);
        assertThat(SourceAgreementStudy.table(r)).contains("| BTC | c | 2020-01-01 to 2020-07-18 | 190 | 19 | 190 |");
        // deterministic
        assertThat(SourceAgreementStudy.run(quotes, List.of("BTC"), SourceAgreementStudy.DAILY)).isEqualTo(r);
    }

    @Test
    void onTheRealHistoryEveryDayIsTheNaiveIndexAndTheOutliersAreTheNaiveOnes() throws Exception {
        Path dir = TestHistories.realData().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, TestHistories.NO_REAL_DATA);
        for (List<String> assets : List.of(List.of("BTC", "ETH"), List.of("USDT", "USDC", "DAI", "UST"))) {
            FeedRequest request = new FeedRequest(assets, FROM, TO, BarInterval.D1, Set.of());
            List<FeedQuote> quotes = QuoteFeed.load(dir, request);
            Result r = SourceAgreementStudy.run(dir, request);
            System.out.println(SourceAgreementStudy.table(r));
            checkAgainstNaive(quotes, r);
            if (assets.contains("BTC")) {
                // 2020-03-12: Binance 4800 (SOURCES.md), Coinbase 4857.10, CMC 4970.79: the median is Coinbase's
                Observation crash = r.observations().stream()
                    .filter(o -> o.asset().equals("BTC") && o.day().equals(LocalDate.of(2020, 3, 12))).findFirst()
                    .orElseThrow();
                assertThat(crash.index()).isEqualTo(4857.1);
                assertThat(crash.status()).isEqualTo(IndexStatus.OK);
                Path png = Path.of("target", "source-agreement-btc-eth.png");
                Files.createDirectories(png.getParent());
                SourceAgreementStudy.plot(r, png);
                byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
                assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
                assertThat(SourceAgreementStudy.charts(r)).hasSize(2);
            }
        }
    }

    /** Recomputes every observation from the feed by the rules' text and compares; counts outliers the same way. */
    private static void checkAgainstNaive(List<FeedQuote> quotes, Result r) {
        long staleAfter = SourceAgreementStudy.DAILY.staleAfterMillis();
        double band = SourceAgreementStudy.DAILY.outlierBand();
        Map<String, Map<String, FeedQuote>> last = new HashMap<>();
        Map<String, Integer> naiveOutliers = new TreeMap<>();
        Map<String, Integer> naiveQuotes = new TreeMap<>();
        Map<String, Integer> naiveLive = new TreeMap<>();
        Map<String, Double> lastIndex = new HashMap<>();
        int checked = 0;
        int obs = 0;
        int i = 0;
        while (i < quotes.size()) {
            long t = quotes.get(i).timeMillis();
            Map<String, Boolean> quotedNow = new HashMap<>();
            while (i < quotes.size() && quotes.get(i).timeMillis() == t) {
                FeedQuote q = quotes.get(i++);
                last.computeIfAbsent(q.asset(), k -> new TreeMap<>()).put(q.source(), q);
                quotedNow.put(q.asset() + "/" + q.source(), true);
            }
            for (String asset : r.assets().stream().map(SourceAgreementStudy.AssetStats::asset).toList()) {
                Map<String, FeedQuote> l = last.get(asset);
                if (l == null) {
                    continue;
                }
                Observation o = r.observations().get(obs++);
                assertThat(o.asset()).isEqualTo(asset);
                assertThat(o.day()).isEqualTo(LocalDate.ofInstant(Instant.ofEpochMilli(t - 1), ZoneOffset.UTC));
                double[] fresh = l.values().stream().filter(q -> t - q.timeMillis() <= staleAfter)
                    .mapToDouble(FeedQuote::price).sorted().toArray();
                double m = fresh.length == 0 ? Double.NaN : median(fresh);
                double[] good = Arrays.stream(fresh).filter(p -> Math.abs(p - m) <= band * m).toArray();
                int quorum = Math.max(1, l.size() / 2 + 1);
                IndexStatus status = good.length >= quorum ? (good.length == l.size() ? IndexStatus.OK
                    : IndexStatus.DEGRADED) : IndexStatus.STALE;
                assertThat(o.status()).as("%s %s", asset, o.day()).isEqualTo(status);
                if (status != IndexStatus.STALE) {
                    assertThat(o.index()).as("%s %s", asset, o.day()).isCloseTo(median(good), within(1e-12 * m))
                        .isBetween(good[0], good[good.length - 1]);
                    lastIndex.put(asset, o.index());
                    checked++;
                } else if (lastIndex.containsKey(asset)) {
                    assertThat(o.index()).isEqualTo(lastIndex.get(asset));
                }
                for (FeedQuote q : l.values()) {
                    String key = asset + "/" + q.source();
                    if (quotedNow.containsKey(key) && !Double.isNaN(o.index())) {
                        naiveQuotes.merge(key, 1, Integer::sum);
                        naiveLive.merge(key, status == IndexStatus.STALE ? 0 : 1, Integer::sum);
                        boolean outlier = Math.abs(q.price() - m) > band * m;
                        naiveOutliers.merge(key, outlier ? 1 : 0, Integer::sum);
                        SourceQuote sq = o.quotes().stream().filter(x -> x.source().equals(q.source())).findFirst()
                            .orElseThrow();
                        assertThat(sq.state()).isEqualTo(outlier ? SourceState.OUTLIER : SourceState.FRESH);
                    }
                }
            }
        }
        assertThat(obs).isEqualTo(r.observations().size());
        assertThat(checked).isGreaterThan(1000);
        Map<String, Integer> studyOutliers = new TreeMap<>();
        Map<String, Integer> studyQuotes = new TreeMap<>();
        Map<String, Integer> studyLive = new TreeMap<>();
        for (SourceStats s : r.sources()) {
            studyOutliers.put(s.asset() + "/" + s.source(), s.outliers());
            studyQuotes.put(s.asset() + "/" + s.source(), s.quotes());
            studyLive.put(s.asset() + "/" + s.source(), s.live());
        }
        assertThat(studyOutliers).isEqualTo(naiveOutliers);
        assertThat(studyQuotes).isEqualTo(naiveQuotes);
        assertThat(studyLive).isEqualTo(naiveLive);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
