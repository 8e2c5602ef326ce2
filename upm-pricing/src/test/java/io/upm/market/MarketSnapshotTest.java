package io.upm.market;

import static io.upm.market.MarketSanityBandsTest.realistic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The structural rules of {@link MarketSnapshot.Builder#build()}: whatever the snapshot gives for an asset
 * needs the asset's index price, else a typo would be read as a new asset and silently unused.
 */
class MarketSnapshotTest {

    static void rejected(ThrowingCallable call, String field, String problemPart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problemPart);
        });
    }

    @Test
    void aCorrelationNamingAnUnpricedAssetIsATypo() {
        rejected(() -> realistic().correlation("BTC/EHT", 0.8).build(), "correlations.BTC/EHT",
            "no index price for EHT");
        rejected(() -> realistic().correlation("XRP/ETH", 0.5).build(), "correlations.XRP/ETH",
            "no index price for XRP");
    }

    @Test
    void aMalformedCorrelationKeyIsStillWordedAsSuch() {
        rejected(() -> realistic().correlation("BTCETH", 0.8).build(), "correlations.BTCETH", "\"A/B\"");
        rejected(() -> realistic().correlation("BTC/", 0.8).build(), "correlations.BTC/", "\"A/B\"");
    }

    @Test
    void volsForAnUnpricedUnderlyingAreRejected() {
        rejected(() -> realistic().flatVol("XRP", 0.9).build(), "vols.XRP", "no index price for XRP");
        rejected(() -> realistic().vol("XRP", "25DEC26", "2", 0.9).build(), "vols.XRP", "no index price for XRP");
    }

    @Test
    void anAdvForAnUnpricedAssetIsRejected() {
        rejected(() -> realistic().adv("BTX", 1e9).build(), "adv.BTX", "no index price for BTX");
    }

    @Test
    void theSameLeavesWithTheirPricesAreAccepted() {
        MarketSnapshot m = realistic().price("XRP", 2.1).flatVol("XRP", 0.9).adv("XRP", 1e9)
            .correlation("XRP/ETH", 0.5).build();

        assertThat(m.volSurface("XRP").isFlat()).isTrue();
        assertThat(m.correlations().get("ETH", "XRP")).isEqualTo(0.5);
    }

    @Test
    void expiryCodesAreKeptAsWrittenThroughAScenario() {
        MarketSnapshot m = realistic().forward("ETH", "04DEC26", 3054.5).build().withPriceMove("ETH", 0.1);

        assertThat(m.expiryCode("ETH", Instant.parse("2026-12-04T08:00:00Z"))).isEqualTo("04DEC26");
        assertThat(m.expiryCode("BTC", Instant.parse("2026-12-25T08:00:00Z"))).isEqualTo("25DEC26");
        assertThat(m.expiryCode("SOL", Instant.parse("2027-03-26T08:00:00Z"))).isEqualTo("26MAR27");
    }
}
