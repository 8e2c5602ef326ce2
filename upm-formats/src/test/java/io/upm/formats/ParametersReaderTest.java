package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.input.InputException;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSanityBands;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The parameters file: every key optional over MODEL.md's defaults, each checked against its range. */
class ParametersReaderTest {
    private static final MarginParameters DEFAULTS = MarginParameters.defaults();

    private static MarginParameters yaml(String text) {
        return ParametersReader.read(text, "params.yaml");
    }

    private static MarginParameters json(String text) {
        return ParametersReader.read(text, "params.json");
    }

    /** The defaults with BTC's scan range replaced. */
    private static MarginParameters defaultsWithBtcScanRange(double r) {
        Map<String, AssetParameters> assets = new HashMap<>(DEFAULTS.assets());
        assets.put("BTC", DEFAULTS.asset("BTC").withScanRange(r));
        return DEFAULTS.toBuilder().assets(assets).build();
    }

    @Test
    void aYamlFileOverridingOneBtcKeyKeepsEveryOtherDefault() {
        MarginParameters p = ParametersReader.read(Fixtures.file("params-btc-scan.yaml"));

        assertThat(p.asset("BTC").scanRange()).isEqualTo(0.2);
        assertThat(p).isEqualTo(defaultsWithBtcScanRange(0.2));
    }

    @Test
    void aJsonFileOverridingOneBtcKeyKeepsEveryOtherDefault() {
        MarginParameters p = ParametersReader.read(Fixtures.file("params-btc-scan.json"));

        assertThat(p).isEqualTo(defaultsWithBtcScanRange(0.2));
    }

    @Test
    void theDocumentedExampleRestatesTheDefaults() {
        assertThat(ParametersReader.read(Fixtures.file("params-full.yaml"))).isEqualTo(DEFAULTS);
    }

    @Test
    void anEmptyObjectMeansAllDefaults() {
        assertThat(json("{}")).isEqualTo(DEFAULTS);
        assertThat(yaml("{}")).isEqualTo(DEFAULTS);
    }

    @Test
    void theWrittenDefaultsReadBackEqual() {
        String text = ParametersWriter.toJson(DEFAULTS);

        assertThat(json(text)).isEqualTo(DEFAULTS);
        assertThat(yaml(text)).isEqualTo(DEFAULTS);
        assertThat(text).endsWith("}\n").contains("\"priceSteps\": 4,");
    }

    @Test
    void everyKeyCanBeChangedAndReadsBack() {
        String text = """
            priceSteps: 6
            volUpFloor: 0.6
            volDownFloor: 0.02
            volShockReferenceDays: 20
            volShockExponentShort: 0.31
            volShockExponentLong: 0.14
            volShockMinDays: 0.5
            extendedMoves: [-0.5, 2]
            shortOptionMinimum: 0.02
            liquidityFactor: 0.2
            correlationStressWeight: 0.6
            offsetCap: 0.4
            jointLossDirections: 5000
            borrowingRate: 0.05
            initialMarginMultiplier: 1.5
            stablecoins: [USDC, PYUSD]
            stablecoinDefaultPrice: 0.99
            standardShortOptionMaintenance: 0.08
            standardShortOptionInitial: 0.16
            standardShortOptionInitialMin: 0.11
            standardLoanMaintenance: 0.12
            standardLoanInitial: 0.22
            assets:
              default: { scanRange: 0.4, haircut: [ {rate: 0.3} ] }
              XRP: { volUpShock: 0.7 }
              BTC:
                scanRange: 0.15
                volUpShock: 0.45
                volDownShock: 0.2
                rollMinMove: 0.011
                rollAnnualMoveRate: 0.08
                haircut:
                  - { upToUsd: 1e6, rate: 0 }
                  - { upToUsd: 2.5e7, rate: 0.01 }
                  - { rate: 0.04 }
                standardFutureInitial: 0.03
                standardFutureMaintenance: 0.015
            marketSanity:
              minPrice: 1e-6
              maxPrice: 5e8
              maxForwardLogBasis: 0.3
              maxForwardLogBasisPerYear: 0.4
              maxPerpetualMarkLogBasis: 0.1
              minAdv: 1e4
              maxAdv: 5e11
              maxAbsRate: 0.2
              maxStrikeRatio: 8
              maxExpiryYears: 2.5
            """;
        MarginParameters p = yaml(text);

        assertThat(p.priceSteps()).isEqualTo(6);
        assertThat(p.volUpFloor()).isEqualTo(0.6);
        assertThat(p.volDownFloor()).isEqualTo(0.02);
        assertThat(p.volShockReferenceDays()).isEqualTo(20.0);
        assertThat(p.volShockExponentShort()).isEqualTo(0.31);
        assertThat(p.volShockExponentLong()).isEqualTo(0.14);
        assertThat(p.volShockMinDays()).isEqualTo(0.5);
        assertThat(p.extendedMoves()).containsExactly(-0.5, 2.0);
        assertThat(p.shortOptionMinimum()).isEqualTo(0.02);
        assertThat(p.liquidityFactor()).isEqualTo(0.2);
        assertThat(p.correlationStressWeight()).isEqualTo(0.6);
        assertThat(p.offsetCap()).isEqualTo(0.4);
        assertThat(p.jointLossDirections()).isEqualTo(5000);
        assertThat(p.borrowingRate()).isEqualTo(0.05);
        assertThat(p.initialMarginMultiplier()).isEqualTo(1.5);
        assertThat(p.stablecoins()).containsExactlyInAnyOrder("USDC", "PYUSD");
        assertThat(p.stablecoinDefaultPrice()).isEqualTo(0.99);
        assertThat(p.standardShortOptionMaintenance()).isEqualTo(0.08);
        assertThat(p.standardShortOptionInitial()).isEqualTo(0.16);
        assertThat(p.standardShortOptionInitialMin()).isEqualTo(0.11);
        assertThat(p.standardLoanMaintenance()).isEqualTo(0.12);
        assertThat(p.standardLoanInitial()).isEqualTo(0.22);
        assertThat(p.asset("BTC")).isEqualTo(new AssetParameters(0.15, 0.45, 0.2, 0.011, 0.08,
            HaircutSchedule.of(1e6, 0, 2.5e7, 0.01, 0.04), 0.03, 0.015));
        // a new asset starts from the file's default, an unnamed asset is the default itself
        AssetParameters other = MarginParameters.DEFAULT_OTHER_ASSET.withScanRange(0.4)
            .withHaircut(HaircutSchedule.of(0.3));
        assertThat(p.otherAsset()).isEqualTo(other);
        assertThat(p.asset("DOGE")).isEqualTo(other);
        assertThat(p.asset("XRP")).isEqualTo(new AssetParameters(0.4, 0.7, other.volDownShock(), other.rollMinMove(),
            other.rollAnnualMoveRate(), other.haircut(), other.standardFutureInitial(), other.standardFutureMaintenance()));
        // built-in assets the file does not name keep their own entries, not the file's default
        assertThat(p.asset("ETH")).isEqualTo(DEFAULTS.asset("ETH"));
        assertThat(p.asset("USDC")).isEqualTo(DEFAULTS.asset("USDC"));
        assertThat(p.marketSanity()).isEqualTo(new MarketSanityBands(1e-6, 5e8, 0.3, 0.4, 0.1, 1e4, 5e11, 0.2, 8, 2.5));

        assertThat(json(ParametersWriter.toJson(p))).isEqualTo(p);
    }

    @Test
    void marketSanityOverridesOnlyTheBandsItGives() {
        MarginParameters p = yaml("marketSanity: { maxStrikeRatio: 20 }");

        assertThat(p.marketSanity()).isEqualTo(MarketSanityBands.defaults().toBuilder().maxStrikeRatio(20).build());
        assertThat(p.toBuilder().marketSanity(MarketSanityBands.defaults()).build()).isEqualTo(DEFAULTS);
        assertThat(ParametersWriter.toJson(DEFAULTS)).contains("\"marketSanity\": {", "\"maxStrikeRatio\": 10.0,",
            "\"minPrice\": 1.0E-8,");
    }

    // ---- the reader is a mapping onto the builder: both give the same parameters and the same errors

    static Stream<Arguments> readerAndBuilder() {
        return Stream.of(
            Arguments.of("offsetCap: 0.3", (UnaryOperator<MarginParameters.Builder>) b -> b.offsetCap(0.3)),
            Arguments.of("priceSteps: 6.0", (UnaryOperator<MarginParameters.Builder>) b -> b.priceSteps(6)),
            Arguments.of("extendedMoves: [-0.5, 2]",
                (UnaryOperator<MarginParameters.Builder>) b -> b.extendedMoves(List.of(-0.5, 2.0))),
            Arguments.of("stablecoins: [USDC, PYUSD]",
                (UnaryOperator<MarginParameters.Builder>) b -> b.stablecoins(List.of("USDC", "PYUSD"))),
            Arguments.of("assets: {default: {scanRange: 0.4}, XRP: {volUpShock: 0.7}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.otherAsset(a -> a.scanRange(0.4))
                    .asset("XRP", a -> a.volUpShock(0.7))),
            Arguments.of("assets: {SOL: {haircut: [{upToUsd: 1e6, rate: 0.1}, {rate: 0.2}]}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.asset("SOL",
                    a -> a.haircut(HaircutSchedule.of(1e6, 0.1, 0.2)))),
            Arguments.of("marketSanity: {minAdv: 100, maxExpiryYears: 5}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.marketSanity(s -> s.minAdv(100).maxExpiryYears(5))),
            // and the same errors
            Arguments.of("offsetCap: 1.01", (UnaryOperator<MarginParameters.Builder>) b -> b.offsetCap(1.01)),
            Arguments.of("priceSteps: 17", (UnaryOperator<MarginParameters.Builder>) b -> b.priceSteps(17)),
            Arguments.of("assets: {BTC: {scanRange: 1.5}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.asset("BTC", a -> a.scanRange(1.5))),
            Arguments.of("assets: {default: {volDownShock: 2}}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.otherAsset(a -> a.volDownShock(2))),
            Arguments.of("stablecoins: [USDC, USDC]",
                (UnaryOperator<MarginParameters.Builder>) b -> b.stablecoins(List.of("USDC", "USDC"))),
            Arguments.of("extendedMoves: [0.5, 0]",
                (UnaryOperator<MarginParameters.Builder>) b -> b.extendedMoves(List.of(0.5, 0.0))),
            Arguments.of("marketSanity: {maxAbsRate: 2}",
                (UnaryOperator<MarginParameters.Builder>) b -> b.marketSanity(s -> s.maxAbsRate(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readerAndBuilder")
    void theReaderAndTheBuilderAgree(String yaml, UnaryOperator<MarginParameters.Builder> change) {
        MarginParameters.Builder builder = change.apply(MarginParameters.builder());
        Object fromBuilder;
        try {
            fromBuilder = builder.build();
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

    @Test
    void anAssetEntryOverridesOnlyTheKeysItGives() {
        MarginParameters p = yaml("assets: { ETH: { volUpShock: 0.45 }, SOL: { haircut: [ {rate: 0.2} ] } }");

        assertThat(p.asset("ETH")).isEqualTo(new AssetParameters(0.18, 0.45, 0.25, 0.005, 0.05,
            DEFAULTS.asset("ETH").haircut(), 0.02, 0.01));
        assertThat(p.asset("SOL").haircut()).isEqualTo(HaircutSchedule.of(0.2));
        assertThat(p.asset("SOL").withHaircut(DEFAULTS.asset("SOL").haircut())).isEqualTo(DEFAULTS.asset("SOL"));
        assertThat(p.asset("BTC")).isEqualTo(DEFAULTS.asset("BTC"));
    }

    @Test
    void theKeysAreTheRecordComponents() {
        List<String> root = new ArrayList<>(Arrays.stream(MarginParameters.class.getRecordComponents())
            .map(RecordComponent::getName).toList());
        root.remove("otherAsset"); // written as assets.default
        List<String> asset = Arrays.stream(AssetParameters.class.getRecordComponents()).map(RecordComponent::getName)
            .toList();
        List<String> bands = Arrays.stream(MarketSanityBands.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

        assertThat(ParametersReader.ROOT_KEYS).containsExactlyInAnyOrderElementsOf(root);
        assertThat(ParametersReader.ASSET_KEYS).containsExactlyElementsOf(asset);
        assertThat(ParametersReader.MARKET_SANITY_KEYS).containsExactlyElementsOf(bands);
    }

    @Test
    void theSyntaxFollowsTheExtensionElseTheFirstCharacter(@TempDir Path dir) throws Exception {
        Path yml = dir.resolve("p.yml");
        Files.writeString(yml, "offsetCap: 0.3\n", StandardCharsets.UTF_8);
        Path noExtension = dir.resolve("params");
        Files.writeString(noExtension, "offsetCap: 0.3\n", StandardCharsets.UTF_8);
        Path jsonNoExtension = dir.resolve("params2");
        Files.writeString(jsonNoExtension, "  {\"offsetCap\": 0.3}", StandardCharsets.UTF_8);
        Path yamlInJson = dir.resolve("p.json");
        Files.writeString(yamlInJson, "offsetCap: 0.3\n", StandardCharsets.UTF_8);

        assertThat(ParametersReader.read(yml).offsetCap()).isEqualTo(0.3);
        assertThat(ParametersReader.read(noExtension).offsetCap()).isEqualTo(0.3);
        assertThat(ParametersReader.read(jsonNoExtension).offsetCap()).isEqualTo(0.3);
        rejected(() -> ParametersReader.read(yamlInJson), "", "invalid JSON");
        // sniffed JSON is parsed as strict JSON
        rejected(() -> ParametersReader.read("{\"offsetCap\": NaN}", "params"), "offsetCap", "NaN");
    }

    // ---- rejections

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "priceStep: 4                                            | priceStep                        | unknown field",
        "otherAsset: {scanRange: 0.3}                            | otherAsset                       | unknown field",
        "assets: {BTC: {scanrange: 0.2}}                         | assets.BTC.scanrange             | unknown field",
        "assets: {BTC: {haircut: [{upTo: 1, rate: 0}, {rate: 0}]}} | assets.BTC.haircut[0].upTo     | unknown field",
        "assets: {btc: {scanRange: 0.2}}                         | assets.btc                       | neither an asset code",
        "priceSteps: 0                                           | priceSteps                       | in [1, 16]",
        "priceSteps: 17                                          | priceSteps                       | in [1, 16]",
        "priceSteps: 4.5                                         | priceSteps                       | expected an integer",
        "priceSteps: 1e12                                        | priceSteps                       | an integer in [1, 16]",
        "priceSteps: '4'                                         | priceSteps                       | expected a number, got string",
        "jointLossDirections: -1                                 | jointLossDirections              | integer in [0, 1000000]",
        "volUpFloor: -0.1                                        | volUpFloor                       | in [0, 10]",
        "volDownFloor: 0                                         | volDownFloor                     | in (0, 10]",
        "volShockReferenceDays: 0                                | volShockReferenceDays            | in (0, 3650]",
        "volShockExponentShort: -1                               | volShockExponentShort            | in [0, 10]",
        "volShockExponentLong: 11                                | volShockExponentLong             | in [0, 10]",
        "volShockMinDays: 0                                      | volShockMinDays                  | in (0, 3650]",
        "shortOptionMinimum: 1.5                                 | shortOptionMinimum               | in [0, 1]",
        "liquidityFactor: -0.1                                   | liquidityFactor                  | in [0, 100]",
        "offsetCap: 1.01                                         | offsetCap                        | in [0, 1]",
        "offsetCap: -0.5                                         | offsetCap                        | in [0, 1]",
        "correlationStressWeight: 2                              | correlationStressWeight          | in [0, 1]",
        "borrowingRate: -0.04                                    | borrowingRate                    | in [0, 1]",
        "initialMarginMultiplier: 0.9                            | initialMarginMultiplier          | in [1, 100]",
        "stablecoinDefaultPrice: 0                               | stablecoinDefaultPrice           | in (0, 1000000000000]",
        "standardShortOptionMaintenance: 2                       | standardShortOptionMaintenance   | in [0, 1]",
        "standardShortOptionInitial: -1                          | standardShortOptionInitial       | in [0, 1]",
        "standardShortOptionInitialMin: 1.1                      | standardShortOptionInitialMin    | in [0, 1]",
        "standardLoanMaintenance: 1.1                            | standardLoanMaintenance          | in [0, 1]",
        "standardLoanInitial: -0.2                               | standardLoanInitial              | in [0, 1]",
        "extendedMoves: []                                       | extendedMoves                    | at least one move",
        "extendedMoves: [0.5, 0]                                 | extendedMoves[1]                 | a move of 0 is no move",
        "extendedMoves: [-1]                                     | extendedMoves[0]                 | in (-1, 100]",
        "extendedMoves: [-1.5, 2]                                | extendedMoves[0]                 | in (-1, 100]",
        "extendedMoves: 0.5                                      | extendedMoves                    | expected an array, got number",
        "extendedMoves: [0.5, x]                                 | extendedMoves[1]                 | expected a number, got string",
        "stablecoins: USDC                                       | stablecoins                      | expected an array, got string",
        "stablecoins: [USDC, USDC]                               | stablecoins[1]                   | given twice",
        "stablecoins: [usdc]                                     | stablecoins[0]                   | not an asset code",
        "assets: []                                              | assets                           | expected an object, got array",
        "assets: {BTC: 0.16}                                     | assets.BTC                       | expected an object, got number",
        "assets: {BTC: {scanRange: 0}}                           | assets.BTC.scanRange             | in (0, 1]",
        "assets: {BTC: {scanRange: 1.5}}                         | assets.BTC.scanRange             | in (0, 1]",
        "assets: {default: {scanRange: -0.3}}                    | assets.default.scanRange         | in (0, 1]",
        "assets: {XRP: {volUpShock: -0.1}}                       | assets.XRP.volUpShock            | in [0, 10]",
        "assets: {ETH: {volDownShock: 1.5}}                      | assets.ETH.volDownShock          | in [0, 1]",
        "assets: {ETH: {rollMinMove: -0.01}}                     | assets.ETH.rollMinMove           | in [0, 1]",
        "assets: {ETH: {rollAnnualMoveRate: 11}}                 | assets.ETH.rollAnnualMoveRate    | in [0, 10]",
        "assets: {ETH: {standardFutureInitial: 1.2}}             | assets.ETH.standardFutureInitial | in [0, 1]",
        "assets: {ETH: {standardFutureMaintenance: -0.01}}       | assets.ETH.standardFutureMaintenance | in [0, 1]",
        "assets: {BTC: {haircut: []}}                            | assets.BTC.haircut               | at least one tier",
        "assets: {BTC: {haircut: {rate: 0}}}                     | assets.BTC.haircut               | expected an array, got object",
        "assets: {BTC: {haircut: [{upToUsd: 5, rate: 1.5}, {rate: 0}]}} | assets.BTC.haircut[0].rate | in [0, 1]",
        "assets: {BTC: {haircut: [{upToUsd: 5, rate: 0}, {rate: -0.1}]}} | assets.BTC.haircut[1].rate | in [0, 1]",
        "assets: {BTC: {haircut: [{upToUsd: 5}, {rate: 0}]}}     | assets.BTC.haircut[0].rate       | missing required field",
        "assets: {BTC: {haircut: [{upToUsd: 0, rate: 0}, {rate: 0}]}} | assets.BTC.haircut[0].upToUsd | in (0, 1000000000000000]",
        "assets: {BTC: {haircut: [{upToUsd: 5, rate: 0}, {upToUsd: 5, rate: 0}, {rate: 0}]}} | assets.BTC.haircut[1].upToUsd | strictly increasing",
        "assets: {BTC: {haircut: [{upToUsd: 5, rate: 0}, {upToUsd: 4, rate: 0}, {rate: 0}]}} | assets.BTC.haircut[1].upToUsd | strictly increasing",
        "assets: {BTC: {haircut: [{rate: 0}, {rate: 0.1}]}}      | assets.BTC.haircut[0].upToUsd    | missing required field",
        "assets: {BTC: {haircut: [{upToUsd: 5, rate: 0}, {upToUsd: 9, rate: 0.1}]}} | assets.BTC.haircut[1].upToUsd | has no upToUsd",
        "assets: {BTC: {haircut: [5]}}                           | assets.BTC.haircut[0]            | expected an object, got number",
        "marketSanity: []                                        | marketSanity                     | expected an object, got array",
        "marketSanity: {minPrise: 1e-6}                          | marketSanity.minPrise            | unknown field",
        "marketSanity: {minAdv: 0}                               | marketSanity.minAdv              | in (0, 1000000000000000]",
        "marketSanity: {maxStrikeRatio: 0.5}                     | marketSanity.maxStrikeRatio      | in (1, 1000000]",
        "marketSanity: {maxExpiryYears: ten}                     | marketSanity.maxExpiryYears      | expected a number, got string",
        "marketSanity: {minPrice: 5e9}                           | marketSanity.maxPrice            | above minPrice",
        "marketSanity: {maxForwardLogBasis: .inf}                | marketSanity.maxForwardLogBasis  | not a finite number",
        "volUpFloor: .nan                                        | volUpFloor                       | not a finite number",
        "volUpFloor: .inf                                        | volUpFloor                       | not a finite number",
        "volUpFloor: 1e400                                       | volUpFloor                       | overflows a double",
        "volUpFloor: null                                        | volUpFloor                       | expected a number, got null",
        "volUpFloor:                                             | volUpFloor                       | expected a number, got empty string",
    })
    void rejectsABadYamlValueNamingItsPath(String yaml, String field, String problem) {
        rejected(() -> yaml(yaml), field, problem);
    }

    @Test
    void rejectsABadJsonValueNamingItsPath() {
        rejected(() -> json("{\"assets\": {\"BTC\": {\"scanRange\": 1.5}}}"), "assets.BTC.scanRange", "in (0, 1], got 1.5");
        rejected(() -> json("{\"priceSteps\": 4, \"priceSteps\": 5}"), "priceSteps", "duplicate key");
        rejected(() -> json("{\"offsetCap\": Infinity}"), "offsetCap", "Infinity");
        rejected(() -> json("{\"offsetCap\": 0.5} []"), "", "unexpected content after the end of the document");
    }

    @Test
    void rejectsBadYamlDocuments() {
        rejected(() -> yaml(""), "", "empty document");
        rejected(() -> yaml("# nothing but a comment\n"), "", "empty document");
        rejected(() -> yaml("- 1\n- 2\n"), "", "expected an object, got array");
        rejected(() -> yaml("offsetCap: 0.5\noffsetCap: 0.4\n"), "offsetCap", "duplicate key \"offsetCap\"");
        rejected(() -> yaml("assets:\n  BTC: {scanRange: 0.2\n"), "", "invalid YAML");
        rejected(() -> yaml("assets:\n  BTC: {scanRange: 0.2\n"), "", "(line ");
        rejected(() -> yaml("offsetCap: 0.5\n---\noffsetCap: 0.4\n"), "", "unexpected content after the end");
        rejected(() -> yaml("offsetCap: &x 0.5\nborrowingRate: *x\n"), "borrowingRate", "expected a number");
    }
}
