package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.input.InputException;
import io.upm.margin.params.IndexSettings;
import io.upm.margin.params.IndexSettingsTable;
import io.upm.margin.params.MarginParameters;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code index} section of a parameters file (MODEL.md section 9, per asset): {@code default} and per-asset
 * entries over MODEL.md's values, every key checked against its option in {@link IndexSettings}, errors named by
 * their path, and written back by {@link ParametersWriter} so that a journal keeps it.
 */
class ParametersIndexSectionTest {

    private static MarginParameters yaml(String text) {
        return ParametersReader.read(text, "params.yaml");
    }

    @Test
    void withoutTheSectionEveryAssetHasModelMdsValues() {
        IndexSettingsTable t = yaml("offsetCap: 0.5").index();

        assertThat(t).isEqualTo(IndexSettingsTable.DEFAULTS);
        assertThat(t.of("BTC")).isEqualTo(new IndexSettings(60, 0.03, 0.5, 1, 1.0, 0.005, 1800, 4096));
        assertThat(t.of("BTC").staleAfterMillis()).isEqualTo(60_000L);
        assertThat(t.of("BTC").twapWindowMillis()).isEqualTo(1_800_000L);
        assertThat(MarginParameters.defaults().index()).isEqualTo(IndexSettingsTable.DEFAULTS);
    }

    @Test
    void everyKeyCanBeSetForTheDefaultAndPerAssetAndReadsBack() {
        MarginParameters p = yaml("""
            index:
              BTC: { outlierBand: 0.02, twapCapacity: 8192 }
              default:
                staleAfterSeconds: 129600
                outlierBand: 0.04
                quorumFraction: 0.66
                minQuorum: 2
                confidenceFactor: 1.5
                freeSpread: 0.004
                twapWindowSeconds: 900
                twapCapacity: 1024
              USDT: { staleAfterSeconds: 0.25, minQuorum: 1 }
            """);
        IndexSettings def = new IndexSettings(129_600, 0.04, 0.66, 2, 1.5, 0.004, 900, 1024);

        assertThat(p.index().defaults()).isEqualTo(def);
        // an entry overrides only its keys, on top of the file's default, wherever the default is written
        assertThat(p.index().of("BTC")).isEqualTo(def.toBuilder().outlierBand(0.02).twapCapacity(8192).build());
        assertThat(p.index().of("USDT")).isEqualTo(def.toBuilder().staleAfterSeconds(0.25).minQuorum(1).build());
        assertThat(p.index().of("USDT").staleAfterMillis()).isEqualTo(250L);
        assertThat(p.index().of("ETH")).isEqualTo(def);
        assertThat(p.index().assets()).containsOnlyKeys("BTC", "USDT");
        // the rest of the file is untouched
        assertThat(p.toBuilder().index(IndexSettingsTable.DEFAULTS).build()).isEqualTo(MarginParameters.defaults());

        String written = ParametersWriter.toJson(p);
        assertThat(written).contains("\"index\": {", "\"staleAfterSeconds\": 129600", "\"BTC\": {");
        assertThat(ParametersReader.read(written, "p.json")).isEqualTo(p);
        assertThat(ParametersReader.read(ParametersWriter.toJson(MarginParameters.defaults()), "p.json"))
            .isEqualTo(MarginParameters.defaults());
    }

    @Test
    void theKeysAreTheRecordComponentsInOrder() {
        assertThat(ParametersReader.INDEX_KEYS).containsExactlyElementsOf(Arrays.stream(
            IndexSettings.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(ParametersReader.ROOT_KEYS).contains(MarginParameters.INDEX);
    }

    static Stream<Arguments> readerAndBuilder() {
        return Stream.of(
            Arguments.of("index: {default: {outlierBand: 0.05}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.indexDefault(s -> s.outlierBand(0.05))),
            Arguments.of("index: {default: {minQuorum: 2}, SOL: {freeSpread: 0.01}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.indexDefault(s -> s.minQuorum(2))
                    .indexAsset("SOL", s -> s.freeSpread(0.01))),
            Arguments.of("index: {BTC: {outlierBand: 1.5}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.indexAsset("BTC", s -> s.outlierBand(1.5))),
            Arguments.of("index: {default: {twapCapacity: 8}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.indexDefault(s -> s.twapCapacity(8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readerAndBuilder")
    void theReaderAndTheBuilderAgree(String yaml, UnaryOperator<MarginParameters.Builder> change) {
        Object fromBuilder;
        try {
            fromBuilder = change.apply(MarginParameters.builder()).build();
        } catch (InputException e) {
            fromBuilder = e.getMessage();
        }
        Object fromFile;
        try {
            fromFile = yaml(yaml);
        } catch (InputException e) {
            fromFile = e.getMessage();
        }
        assertThat(fromFile).isEqualTo(fromBuilder);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "index: []                                      | index                          | expected an object, got array",
        "index: {BTC: 0.02}                             | index.BTC                      | expected an object, got number",
        "index: {btc: {outlierBand: 0.02}}              | index.btc                      | neither an asset code",
        "index: {BTC: {outlierband: 0.02}}              | index.BTC.outlierband          | unknown field",
        "index: {BTC: {staleAfter: 60}}                 | index.BTC.staleAfter           | unknown field",
        "index: {default: {staleAfterSeconds: 0}}       | index.default.staleAfterSeconds | in [0.001, 315360000]",
        "index: {default: {staleAfterSeconds: -60}}     | index.default.staleAfterSeconds | in [0.001, 315360000]",
        "index: {ETH: {staleAfterSeconds: 4e8}}         | index.ETH.staleAfterSeconds    | in [0.001, 315360000]",
        "index: {ETH: {staleAfterSeconds: '60s'}}       | index.ETH.staleAfterSeconds    | expected a number, got string",
        "index: {BTC: {outlierBand: 0}}                 | index.BTC.outlierBand          | in (0, 1)",
        "index: {BTC: {outlierBand: 1}}                 | index.BTC.outlierBand          | in (0, 1)",
        "index: {BTC: {outlierBand: .nan}}              | index.BTC.outlierBand          | not a finite number",
        "index: {BTC: {quorumFraction: 1}}              | index.BTC.quorumFraction       | in [0, 1)",
        "index: {BTC: {quorumFraction: -0.1}}           | index.BTC.quorumFraction       | in [0, 1)",
        "index: {BTC: {minQuorum: 0}}                   | index.BTC.minQuorum            | an integer in [1, 1000]",
        "index: {BTC: {minQuorum: 2.5}}                 | index.BTC.minQuorum            | expected an integer",
        "index: {BTC: {minQuorum: 1e12}}                | index.BTC.minQuorum            | an integer in [1, 1000]",
        "index: {BTC: {confidenceFactor: -1}}           | index.BTC.confidenceFactor     | in [0, 1000]",
        "index: {BTC: {freeSpread: 1}}                  | index.BTC.freeSpread           | in [0, 1)",
        "index: {default: {twapWindowSeconds: 0}}       | index.default.twapWindowSeconds | in [0.001, 315360000]",
        "index: {default: {twapCapacity: 15}}           | index.default.twapCapacity     | an integer in [16, 16777216]",
        "index: {default: {twapCapacity: 16777217}}     | index.default.twapCapacity     | an integer in [16, 16777216]",
    })
    void aBadEntryIsRejectedNamingItsPath(String yaml, String field, String problem) {
        rejected(() -> yaml(yaml), field, problem);
    }

    @Test
    void aBadDefaultIsNamedOnceEvenWhenAnAssetStartsFromIt() {
        rejected(() -> yaml("index: {default: {outlierBand: 2}, BTC: {minQuorum: 2}}"), "index.default.outlierBand",
            "in (0, 1)");
        assertThat(new IndexSettingsTable(IndexSettings.DEFAULTS, Map.of("XRP", IndexSettings.DEFAULTS)).of("XRP"))
            .isEqualTo(IndexSettings.DEFAULTS);
        rejected(() -> new IndexSettingsTable(IndexSettings.DEFAULTS, Map.of("default", IndexSettings.DEFAULTS)),
            "index.default", "neither an asset code");
    }
}
