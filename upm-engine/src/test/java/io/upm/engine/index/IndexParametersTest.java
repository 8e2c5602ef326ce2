package io.upm.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.margin.params.IndexSettings;
import io.upm.margin.params.IndexSettingsTable;
import io.upm.margin.params.MarginParameters;
import java.util.Map;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The index parameters: MODEL.md's defaults, the quorum rule, and a builder that names a bad field. */
class IndexParametersTest {

    @Test
    void theDefaultsAreModelMdSectionNine() {
        IndexParameters p = IndexParameters.DEFAULTS;
        assertThat(p.staleAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.staleAfterMillis()).isEqualTo(60_000L);
        assertThat(p.outlierBand()).isEqualTo(0.03);
        assertThat(p.quorumFraction()).isEqualTo(0.5);
        assertThat(p.minQuorum()).isEqualTo(1);
        assertThat(p.confidenceFactor()).isEqualTo(1.0);
        assertThat(p.freeSpread()).isEqualTo(0.005);
        assertThat(p.twapWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.twapWindowMillis()).isEqualTo(1_800_000L);
        assertThat(p.twapCapacity()).isEqualTo(4096);
        assertThat(IndexParameters.builder().build()).isEqualTo(p);
        assertThat(p.toBuilder().outlierBand(0.05).build().outlierBand()).isEqualTo(0.05);
    }

    @ParameterizedTest(name = "{0} sources ever seen: quorum {1}")
    @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "6,4", "7,4"})
    void theQuorumIsMoreThanHalfOfTheSourcesEverSeen(int known, int quorum) {
        assertThat(IndexParameters.DEFAULTS.requiredQuorum(known)).isEqualTo(quorum);
    }

    @Test
    void aMinimumQuorumAndAnotherFractionApply() {
        IndexParameters p = IndexParameters.builder().minQuorum(3).quorumFraction(0.0).build();
        assertThat(p.requiredQuorum(1)).isEqualTo(3);
        assertThat(p.requiredQuorum(5)).isEqualTo(3);
        IndexParameters twoThirds = IndexParameters.builder().quorumFraction(0.66).build();
        assertThat(twoThirds.requiredQuorum(3)).isEqualTo(2);
        assertThat(twoThirds.requiredQuorum(6)).isEqualTo(4);
    }

    @Test
    void theAddOnRateIsTheSpreadAboveTheFreePart() {
        IndexParameters p = IndexParameters.DEFAULTS;
        assertThat(p.confidenceAddOnRate(0.004)).isZero();
        assertThat(p.confidenceAddOnRate(0.005)).isZero();
        assertThat(p.confidenceAddOnRate(0.012)).isEqualTo(0.012 - 0.005);
        assertThat(p.confidenceAddOnRate(Double.NaN)).isZero();
        assertThat(p.toBuilder().confidenceFactor(2).build().confidenceAddOnRate(0.015)).isEqualTo(2 * (0.015 - 0.005));
    }

    static Stream<Arguments> badFields() {
        return Stream.of(
            bad("staleAfterSeconds", b -> b.staleAfter(null)),
            bad("staleAfterSeconds", b -> b.staleAfter(Duration.ZERO)),
            bad("staleAfterSeconds", b -> b.staleAfter(Duration.ofSeconds(-1))),
            bad("staleAfterSeconds", b -> b.staleAfter(Duration.ofNanos(1_500_000))),
            bad("staleAfterSeconds", b -> b.staleAfter(Duration.ofDays(3651))),
            bad("outlierBand", b -> b.outlierBand(0)),
            bad("outlierBand", b -> b.outlierBand(1)),
            bad("outlierBand", b -> b.outlierBand(Double.NaN)),
            bad("quorumFraction", b -> b.quorumFraction(-0.1)),
            bad("quorumFraction", b -> b.quorumFraction(1)),
            bad("minQuorum", b -> b.minQuorum(0)),
            bad("minQuorum", b -> b.minQuorum(1001)),
            bad("confidenceFactor", b -> b.confidenceFactor(-1)),
            bad("confidenceFactor", b -> b.confidenceFactor(Double.POSITIVE_INFINITY)),
            bad("confidenceFactor", b -> b.confidenceFactor(Double.NaN)),
            bad("freeSpread", b -> b.freeSpread(-0.001)),
            bad("freeSpread", b -> b.freeSpread(Double.NaN)),
            bad("twapWindowSeconds", b -> b.twapWindow(Duration.ZERO)),
            bad("twapCapacity", b -> b.twapCapacity(15)),
            bad("twapCapacity", b -> b.twapCapacity((1 << 24) + 1)));
    }

    private static Arguments bad(String field, UnaryOperator<IndexParameters.Builder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFields")
    void aBadValueIsRejectedNamingItsField(String field, UnaryOperator<IndexParameters.Builder> change) {
        assertThatThrownBy(() -> change.apply(IndexParameters.builder()).build())
            .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void theParametersFileEntryAndTheIndexParametersConvertBothWays() {
        assertThat(IndexParameters.DEFAULTS.toSettings()).isEqualTo(IndexSettings.DEFAULTS);
        IndexSettings s = new IndexSettings(129_600, 0.02, 0.66, 2, 1.5, 0.004, 0.25, 1024);
        IndexParameters p = IndexParameters.of(s);
        assertThat(p).isEqualTo(new IndexParameters(Duration.ofHours(36), 0.02, 0.66, 2, 1.5, 0.004,
            Duration.ofMillis(250), 1024));
        assertThat(p.toSettings()).isEqualTo(s);
        // a time is rounded to the millisecond, and converts back to the same milliseconds
        IndexParameters rounded = IndexParameters.of(s.toBuilder().staleAfterSeconds(1.0004).build());
        assertThat(rounded.staleAfterMillis()).isEqualTo(1000L);
        assertThat(IndexParameters.of(rounded.toSettings())).isEqualTo(rounded);
    }

    @Test
    void anIndexBuiltFromAParametersFileSectionUsesEachAssetsEntry() {
        MarginParameters file = MarginParameters.builder().indexDefault(d -> d.staleAfterSeconds(10))
            .indexAsset("BTC", b -> b.outlierBand(0.02)).build();
        PriceIndex index = new PriceIndex(file.index());
        assertThat(index.parameters("BTC")).isEqualTo(IndexParameters.DEFAULTS.toBuilder()
            .staleAfter(Duration.ofSeconds(10)).outlierBand(0.02).build());
        assertThat(index.parameters("ETH")).isEqualTo(IndexParameters.DEFAULTS.toBuilder()
            .staleAfter(Duration.ofSeconds(10)).build());
        // the same three quotes, 2.5% apart at the ends: an outlier for BTC's 2% band, not for ETH's 3%
        for (String asset : new String[] {"BTC", "ETH"}) {
            index.quote(1_000, "a", asset, 100);
            index.quote(1_000, "b", asset, 100.1);
            index.quote(1_000, "c", asset, 102.6);
        }
        assertThat(index.asset("BTC").usedSourceCount()).isEqualTo(2);
        assertThat(index.asset("BTC").status()).isEqualTo(IndexStatus.DEGRADED);
        assertThat(index.asset("ETH").usedSourceCount()).isEqualTo(3);
        assertThat(index.asset("ETH").status()).isEqualTo(IndexStatus.OK);
        // and ETH's quotes go stale after the file's 10 s, not MODEL.md's 60 s
        index.advanceTo(11_001);
        assertThat(index.asset("ETH").status()).isEqualTo(IndexStatus.STALE);
        assertThat(new PriceIndex(IndexSettingsTable.DEFAULTS).parameters("XRP")).isEqualTo(IndexParameters.DEFAULTS);
        assertThat(new PriceIndex(new IndexSettingsTable(IndexSettings.DEFAULTS, Map.of("SOL",
            IndexSettings.DEFAULTS.toBuilder().minQuorum(3).build()))).parameters("SOL").minQuorum()).isEqualTo(3);
    }
}
