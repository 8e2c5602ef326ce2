package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.market.MarketSnapshot;
import io.upm.product.ExpiryCodes;
import io.upm.product.Perpetual;
import io.upm.product.Settlement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FORMATS.md's market snapshot document, and every way it can be wrong. */
class MarketReaderTest {
    private static final String HEAD = "\"time\": \"2025-11-25T08:00:00Z\", \"prices\": {\"BTC\": 90000, \"ETH\": 3000}";

    /** A snapshot with the standard time and prices plus {@code more} members. */
    private static String with(String more) {
        return "{" + HEAD + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    private static MarketSnapshot read(String json) {
        return MarketReader.read(json, "market.json");
    }

    @Test
    void readsTheFormatsExample() {
        MarketSnapshot m = MarketReader.read(Fixtures.file("market.json"));

        assertThat(m.time()).isEqualTo(Instant.parse("2025-11-25T08:00:00Z"));
        assertThat(m.prices()).containsEntry("BTC", 90000.0).containsEntry("ETH", 3000.0).containsEntry("USDC", 1.0);
        assertThat(m.forward("BTC", ExpiryCodes.parse("27MAR26", "x"))).isEqualTo(92100.0);
        assertThat(m.forward("BTC", ExpiryCodes.parse("26DEC25", "x"))).isEqualTo(90000.0);
        assertThat(m.perpetualMark(new Perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE))).isEqualTo(90040.0);
        assertThat(m.volSurface("ETH").isFlat()).isTrue();
        assertThat(m.volSurface("BTC").isFlat()).isFalse();
        long dec = ExpiryCodes.parse("26DEC25", "x").getEpochSecond();
        assertThat(m.volSurface("BTC").vol(90000.0, dec, m.time().getEpochSecond()))
            .isCloseTo(0.55, within(1e-12));
        assertThat(m.correlations().get("ETH", "BTC")).isEqualTo(0.82);
        assertThat(m.advOrNaN("BTC")).isEqualTo(25e9);
        assertThat(m.rate()).isZero();
    }

    @Test
    void onlyTimeAndPricesAreRequired() {
        MarketSnapshot m = read(with(""));

        assertThat(m.prices()).hasSize(2);
        assertThat(m.vols()).isEmpty();
        assertThat(m.marks()).isEmpty();
        assertThat(m.correlations().pairs()).isEmpty();
        assertThat(m.rate()).isZero();
    }

    @Test
    void acceptsAFlatVolAndStrikesWithDecimals() {
        MarketSnapshot m = read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"90000.5\": 0.5}}, \"ETH\": {\"flat\": 0.7}}"));

        assertThat(m.volSurface("ETH").isFlat()).isTrue();
        assertThat(m.volSurface("BTC").isFlat()).isFalse();
    }

    // ---- structure

    @Test
    void rejectsMissingTimeOrPrices() {
        rejected(() -> read("{\"prices\": {\"BTC\": 1}}"), "time", "missing required field");
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\"}"), "prices", "missing required field");
    }

    @Test
    void rejectsATimeThatIsNotAnInstant() {
        rejected(() -> read("{\"time\": \"2025-11-25\", \"prices\": {}}"), "time", "not an ISO-8601 instant");
        rejected(() -> read("{\"time\": 1764057600, \"prices\": {}}"), "time", "expected a string, got number");
    }

    @Test
    void rejectsUnknownFieldsAtEveryLevel() {
        rejected(() -> read(with("\"price\": {}")), "price", "unknown field");
        // a surface's keys are expiries or "flat": anything else must parse as an expiry
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"flatt\": 0.5}}")), "vols.BTC.flatt",
            "is not DMMMYY or DDMMMYY, nor \"flat\"");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "\"forwards\": {\"BTC\": 92000}                  | forwards.BTC            | expected an object, got number",
        "\"forwards\": {\"BTC\": {\"27MAR26\": \"1\"}}   | forwards.BTC.27MAR26    | expected a number, got string",
        "\"marks\": []                                   | marks                   | expected an object, got array",
        "\"vols\": {\"BTC\": 0.5}                        | vols.BTC                | expected an object, got number",
        "\"vols\": {\"BTC\": {\"26DEC25\": 0.5}}         | vols.BTC.26DEC25        | expected an object, got number",
        "\"vols\": {\"BTC\": {\"flat\": \"0.5\"}}        | vols.BTC.flat           | expected a number, got string",
        "\"correlations\": {\"BTC/ETH\": null}           | correlations.BTC/ETH    | expected a number, got null",
        "\"adv\": {\"BTC\": [1]}                         | adv.BTC                 | expected a number, got array",
        "\"rate\": \"0\"                                 | rate                    | expected a number, got string",
    })
    void rejectsWrongTypesNamingTheField(String member, String field, String problem) {
        rejected(() -> read(with(member)), field, problem);
    }

    // ---- values

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-90000 | price must be positive",
        "0      | price must be positive",
        "1e13   | price must be positive",
        "1e400  | overflows a double",
        "NaN    | NaN",
    })
    void rejectsABadPrice(String value, String problem) {
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\", \"prices\": {\"BTC\": " + value + "}}"), "prices.BTC",
            problem);
    }

    @Test
    void rejectsPricesThatAreNotAnObject() {
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\", \"prices\": [90000]}"), "prices",
            "expected an object, got array");
    }

    @Test
    void rejectsAPriceOfSomethingThatIsNotAnAssetCode() {
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\", \"prices\": {\"Btc\": 1}}"), "prices.Btc",
            "not an asset code");
    }

    @Test
    void rejectsANegativeOrOverflowingVol() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"90000\": -0.5}}}")), "vols.BTC.27MAR26.90000", "vol must be");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"90000\": 1e400}}}")), "vols.BTC.27MAR26.90000",
            "overflows a double");
        rejected(() -> read(with("\"vols\": {\"ETH\": {\"flat\": -0.7}}")), "vols.ETH.flat", "vol must be");
    }

    @Test
    void rejectsVolsBothFlatAndByExpiry() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"flat\": 0.5, \"27MAR26\": {\"90000\": 0.5}}}")), "vols.BTC",
            "either \"flat\" or expiries");
    }

    @Test
    void rejectsAnEmptySurfaceOrSlice() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {}}")), "vols.BTC", "no vols");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {}}}")), "vols.BTC.27MAR26", "no strikes");
    }

    @Test
    void rejectsAnExpiredVolExpiry() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"24NOV25\": {\"90000\": 0.5}}}")), "vols.BTC.24NOV25",
            "before the snapshot time");
    }

    @Test
    void rejectsABadVolExpiryOrStrike() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"26DEX25\": {\"90000\": 0.5}}}")), "vols.BTC.26DEX25",
            "unknown expiry month \"DEX\"");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"31FEB26\": {\"90000\": 0.5}}}")), "vols.BTC.31FEB26",
            "not a calendar date");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"abc\": 0.5}}}")), "vols.BTC.27MAR26.abc",
            "not a number");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"0\": 0.5}}}")), "vols.BTC.27MAR26.0",
            "strike must be positive");
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"90000\": 0.5, \"90000.0\": 0.6}}}")),
            "vols.BTC.27MAR26.90000.0", "strike given twice");
    }

    @Test
    void rejectsAMarkForAFutureOrWithoutAPrice() {
        rejected(() -> read(with("\"marks\": {\"BTC-27MAR26\": 92000}")), "marks.BTC-27MAR26", "only perpetuals");
        rejected(() -> read(with("\"marks\": {\"SOL-PERPETUAL\": 150}")), "marks.SOL-PERPETUAL", "no index price");
        rejected(() -> read(with("\"marks\": {\"BTC-PERP\": 150}")), "marks.BTC-PERP", "not DMMMYY");
    }

    @Test
    void rejectsABadForward() {
        rejected(() -> read(with("\"forwards\": {\"SOL\": {\"27MAR26\": 150}}")), "forwards.SOL", "no index price");
        rejected(() -> read(with("\"forwards\": {\"BTC\": {\"24NOV25\": 90000}}")), "forwards.BTC.24NOV25",
            "before the snapshot time");
        rejected(() -> read(with("\"forwards\": {\"BTC\": {\"27MAR26\": 0}}")), "forwards.BTC.27MAR26",
            "price must be positive");
    }

    @Test
    void rejectsACorrelationOutOfRange() {
        rejected(() -> read(with("\"correlations\": {\"BTC/ETH\": 1.2}")), "correlations.BTC/ETH", "[-1, 1]");
        rejected(() -> read(with("\"correlations\": {\"BTC/ETH\": -1.0000001}")), "correlations.BTC/ETH", "[-1, 1]");
    }

    @Test
    void rejectsCorrelationsThatAreNotPositiveSemiDefinite() {
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\", \"prices\": {\"BTC\": 90000, \"ETH\": 3000, "
                + "\"SOL\": 140}, \"correlations\": {\"BTC/ETH\": 0.9, \"ETH/SOL\": 0.9, \"BTC/SOL\": -0.9}}"),
            "correlations", "not positive semi-definite");
    }

    @Test
    void rejectsLeavesForAnAssetWithoutAPrice() {
        // a misspelt asset code must not be read as a new asset (and then silently unused)
        rejected(() -> read(with("\"correlations\": {\"BTC/EHT\": 0.8}")), "correlations.BTC/EHT",
            "no index price for EHT");
        rejected(() -> read(with("\"vols\": {\"XRP\": {\"flat\": 0.9}}")), "vols.XRP", "no index price for XRP");
        rejected(() -> read(with("\"adv\": {\"BTX\": 1e9}")), "adv.BTX", "no index price for BTX");
    }

    @Test
    void rejectsABadCorrelationKey() {
        rejected(() -> read(with("\"correlations\": {\"BTCETH\": 0.5}")), "correlations.BTCETH", "\"A/B\"");
        rejected(() -> read(with("\"correlations\": {\"BTC/BTC\": 1}")), "correlations.BTC/BTC", "itself");
        rejected(() -> read(with("\"correlations\": {\"BTC/ETH\": 0.5, \"ETH/BTC\": 0.5}")), "correlations.ETH/BTC",
            "given twice");
    }

    @Test
    void rejectsABadAdvOrRate() {
        rejected(() -> read(with("\"adv\": {\"BTC\": 0}")), "adv.BTC", "must be positive");
        rejected(() -> read(with("\"rate\": 2")), "rate", "[-1, 1]");
        rejected(() -> read(with("\"rate\": Infinity")), "rate", "Infinity");
    }

    @Test
    void rejectsDuplicateKeysDeepInside() {
        rejected(() -> read(with("\"vols\": {\"BTC\": {\"27MAR26\": {\"90000\": 0.5, \"90000\": 0.6}}}")),
            "vols.BTC.27MAR26.90000", "duplicate key \"90000\"");
        rejected(() -> read("{\"time\": \"2025-11-25T08:00:00Z\", \"time\": \"2025-11-26T08:00:00Z\", \"prices\": {}}"),
            "time", "duplicate key");
    }

    @Test
    void rejectsTrailingGarbageAndEmptyDocuments() {
        rejected(() -> read(with("") + "\n]"), "", "unexpected content after the end of the document");
        rejected(() -> read(""), "", "empty document");
    }

    @Test
    void readsTheSnapshotFieldsOfAnObjectWithNoneRequired() throws Exception {
        com.fasterxml.jackson.databind.JsonNode command = DocumentParser.parseJson("{\"type\": \"market\","
            + " \"time\": \"2025-11-25T08:00:00Z\", \"marks\": {\"BTC-PERPETUAL\": 90040},"
            + " \"vols\": {\"ETH\": {\"flat\": 0.7}}, \"rate\": 0.02}");
        io.upm.market.MarketFields f = MarketReader.readFields(command, Instant.parse("2025-11-25T08:00:00Z"));

        assertThat(f.prices()).isEmpty();
        assertThat(f.marks()).containsEntry("BTC-PERPETUAL", 90040.0);
        assertThat(f.vols().get("ETH").flat()).hasValue(0.7);
        assertThat(f.rate()).hasValue(0.02);
        rejected(() -> MarketReader.readFields(DocumentParser.parseJson("{\"forwards\": {\"BTC\": {\"27MAR26\": 0}}}"),
            Instant.parse("2025-11-25T08:00:00Z")), "forwards.BTC.27MAR26", "price must be positive");
        assertThat(MarketReader.FIELD_NAMES).contains("time", "prices", "rate").hasSize(8);
    }
}
