package io.upm.market;

import static io.upm.market.MarketSnapshotTest.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.product.ExpiryCodes;
import io.upm.product.Perpetual;
import io.upm.product.Settlement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A partial snapshot: each leaf checked on its own as the snapshot checks it, the cross-references left to
 * {@link MarketFields#toSnapshot}, and FORMATS.md's merge rule (leaf by leaf, vols by underlying).
 */
class MarketFieldsTest {
    static final Instant T = Instant.parse("2025-11-25T08:00:00Z");

    static MarketFields.Builder at() {
        return MarketFields.builder(T);
    }

    @Test
    void checksEachLeafAsTheSnapshotDoesButNotTheCrossReferences() {
        // a forward, a mark, vols and an ADV with no price: fine for a partial snapshot
        MarketFields f = at().forward("BTC", "27MAR26", 92100).mark("BTC-PERPETUAL", 90040).flatVol("ETH", 0.7)
            .adv("SOL", 1e9).correlation("BTC/ETH", 0.5).correlation("ETH/SOL", 0.5).build();
        assertThat(f.prices()).isEmpty();
        assertThat(f.isEmpty()).isFalse();
        // ... but not for a snapshot
        rejected(() -> f.toSnapshot(T), "forwards.BTC", "no index price for BTC");
        MarketFields priced = at().price("BTC", 90000).price("ETH", 3000).price("SOL", 140).build().mergedWith(f);
        MarketSnapshot s = priced.toSnapshot(T);
        assertThat(s.forward("BTC", ExpiryCodes.parse("27MAR26", "x"))).isEqualTo(92100);
        assertThat(s.perpetualMark(new Perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE))).isEqualTo(90040);
        assertThat(s.correlations().get("SOL", "ETH")).isEqualTo(0.5);

        rejected(() -> at().price("BTC", -1), "prices.BTC", "price must be positive");
        rejected(() -> at().price("btc", 1), "prices.btc", "is not an asset code");
        rejected(() -> at().forward("BTC", "27MAR25", 1), "forwards.BTC.27MAR25", "before the snapshot time");
        rejected(() -> at().forward("BTC", "27MAR26", 1).forward("BTC", "027MAR26", 2), "forwards.BTC.027MAR26",
            "is not DMMMYY");
        rejected(() -> at().forward("BTC", "4DEC26", 1).forward("BTC", "04DEC26", 2), "forwards.BTC.04DEC26",
            "expiry given twice");
        rejected(() -> at().mark("BTC-27MAR26", 1), "marks.BTC-27MAR26", "only perpetuals take a mark");
        rejected(() -> at().flatVol("BTC", 21), "vols.BTC.flat", "(0, 20]");
        rejected(() -> at().vol("BTC", "27MAR26", "x", 0.5), "vols.BTC.27MAR26.x", "is not a number");
        rejected(() -> at().flatVol("BTC", 0.5).vol("BTC", "27MAR26", "90000", 0.5).build(), "vols.BTC",
            "give either \"flat\" or expiries, not both");
        rejected(() -> at().correlation("BTC/ETH", 1.1).build(), "correlations.BTC/ETH", "in [-1, 1]");
        rejected(() -> at().correlation("BTC/ETH", 0.1).correlation("ETH/BTC", 0.1).build(),
            "correlations.ETH/BTC", "pair given twice");
        rejected(() -> at().correlation("BTCETH", 0.1).build(), "correlations.BTCETH", "\"A/B\"");
        rejected(() -> at().adv("BTC", 0), "adv.BTC", "must be positive");
        rejected(() -> at().rate(1.5), "rate", "[-1, 1]");
    }

    @Test
    void aPartialSnapshotIsNotCheckedAsAWholeCorrelationMatrix() {
        // BTC/ETH and ETH/SOL at 0.9 with BTC/SOL at 0 is not positive semi-definite ...
        MarketFields first = at().price("BTC", 1).price("ETH", 1).price("SOL", 1).correlation("BTC/ETH", 0.9)
            .correlation("ETH/SOL", 0.9).build();
        rejected(() -> first.toSnapshot(T), "correlations", "not positive semi-definite");
        // ... but a later command may give BTC/SOL, and the merged matrix is
        MarketFields merged = first.mergedWith(at().correlation("SOL/BTC", 0.8).build());
        assertThat(merged.toSnapshot(T).correlations().get("BTC", "SOL")).isEqualTo(0.8);
    }

    @Test
    void mergesLeafByLeafAndVolsByUnderlying() {
        MarketFields before = at().price("BTC", 90000).price("ETH", 3000)
            .forward("BTC", "4DEC26", 91000).forward("BTC", "27MAR26", 92000)
            .mark("BTC-PERPETUAL", 90040)
            .vol("BTC", "26DEC25", "90000", 0.55).vol("BTC", "26DEC25", "100000", 0.53).flatVol("ETH", 0.7)
            .correlation("BTC/ETH", 0.8).adv("BTC", 2e10).rate(0.01).build();
        MarketFields update = at().price("ETH", 3100)
            .forward("BTC", "04DEC26", 91500)
            .vol("BTC", "27MAR26", "90000", 0.6)
            .correlation("ETH/BTC", 0.7).build();
        MarketFields merged = before.mergedWith(update);

        assertThat(merged.prices()).isEqualTo(Map.of("BTC", 90000.0, "ETH", 3100.0));
        // the same expiry, however spelt, is one leaf
        assertThat(merged.forwards()).isEqualTo(Map.of("BTC", Map.of("04DEC26", 91500.0, "27MAR26", 92000.0)));
        assertThat(merged.marks()).isEqualTo(before.marks());
        // BTC's vols replaced as a whole: the 26DEC25 slice is gone; ETH's untouched
        assertThat(merged.vols().get("BTC")).isEqualTo(MarketFields.VolFields.byExpiry(
            Map.of("27MAR26", Map.of("90000", 0.6))));
        assertThat(merged.vols().get("ETH")).isEqualTo(MarketFields.VolFields.flat(0.7));
        // B/A replaces A/B
        assertThat(merged.correlations()).isEqualTo(Map.of("ETH/BTC", 0.7));
        assertThat(merged.adv()).isEqualTo(Map.of("BTC", 2e10));
        assertThat(merged.rate()).hasValue(0.01);
        assertThat(merged.mergedWith(at().rate(0).build()).rate()).hasValue(0.0);
        assertThat(merged.toSnapshot(T).correlations().get("BTC", "ETH")).isEqualTo(0.7);
        // neither operand changed; merging nothing changes nothing
        assertThat(before.prices()).containsEntry("ETH", 3000.0);
        assertThat(before.mergedWith(MarketFields.empty())).isEqualTo(before);
        assertThat(MarketFields.empty().mergedWith(before)).isEqualTo(before);
    }

    @Test
    void toSnapshotChecksTheExpiriesAgainstItsOwnTime() {
        MarketFields f = at().price("BTC", 90000).forward("BTC", "26DEC25", 90500).build();
        assertThat(f.toSnapshot(T).forwards()).hasSize(1);
        rejected(() -> f.toSnapshot(Instant.parse("2025-12-27T00:00:00Z")), "forwards.BTC.26DEC25",
            "before the snapshot time");
    }

    @Test
    void volFieldsAreFlatOrByExpiry() {
        assertThatThrownBy(() -> MarketFields.VolFields.byExpiry(Map.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarketFields.VolFields(java.util.OptionalDouble.of(0.5),
            Map.of("27MAR26", Map.of("1", 0.5)))).isInstanceOf(IllegalArgumentException.class);
    }
}
