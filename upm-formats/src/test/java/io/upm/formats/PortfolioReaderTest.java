package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.product.EuropeanOption;
import io.upm.product.ExpiryCodes;
import io.upm.product.OptionType;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Settlement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FORMATS.md's portfolio document, and every way it can be wrong. */
class PortfolioReaderTest {

    /** A portfolio with one position whose JSON members are {@code positionBody}. */
    private static String onePosition(String positionBody) {
        return "{\"account\": \"a\", \"positions\": [{" + positionBody + "}]}";
    }

    private static Portfolio read(String json) {
        return PortfolioReader.read(json, "portfolio.json");
    }

    @Test
    void readsTheFormatsExample() {
        Portfolio p = PortfolioReader.read(Fixtures.file("portfolio.json"));

        assertThat(p.account()).isEqualTo("acct-7");
        assertThat(p.balances()).containsExactly(java.util.Map.entry("BTC", 2.5), java.util.Map.entry("USDC", 150000.0),
            java.util.Map.entry("ETH", -10.0));
        assertThat(p.positions()).hasSize(3);
        assertThat(p.positions().get(0).instrument()).isEqualTo(new Perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE));
        assertThat(p.positions().get(0).size()).isEqualTo(-100000.0);
        assertThat(p.positions().get(0).entryPrice()).isEqualTo(91000.0);
        assertThat(p.positions().get(1).instrument()).isEqualTo(new EuropeanOption("BTC-26DEC25-100000-C", "BTC",
            Settlement.INVERSE, ExpiryCodes.parse("26DEC25", "x"), 100000.0, OptionType.CALL));
        assertThat(p.positions().get(1).size()).isEqualTo(-3.0);
        assertThat(p.positions().get(1).entryPrice()).isNaN();
        assertThat(p.positions().get(2).instrument().name()).isEqualTo("ETH_USDC-26DEC25-3500-P");
        assertThat(p.positions().get(2).instrument().settlement()).isEqualTo(Settlement.LINEAR);
        assertThat(p.positions().get(2).size()).isEqualTo(20.0);
    }

    @Test
    void balancesAndPositionsAreOptional() {
        Portfolio p = read("{\"account\": \"acct-1\"}");

        assertThat(p.balances()).isEmpty();
        assertThat(p.positions()).isEmpty();
    }

    @Test
    void emptyBalancesAndPositionsAreAccepted() {
        Portfolio p = read("{\"account\": \"acct-1\", \"balances\": {}, \"positions\": []}");

        assertThat(p.balances()).isEmpty();
        assertThat(p.positions()).isEmpty();
    }

    @Test
    void futuresNeedAndKeepTheirEntryPrice() {
        Portfolio p = read(onePosition("\"instrument\": \"BTC_USDC-27MAR26\", \"size\": 2, \"entryPrice\": 92000.5"));

        assertThat(p.positions().get(0).entryPrice()).isEqualTo(92000.5);
        assertThat(p.positions().get(0).instrument().expiry()).isEqualTo(ExpiryCodes.parse("27MAR26", "x"));
    }

    @Test
    void aByteOrderMarkIsIgnored(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.write(f, ("\uFEFF{\"account\": \"a\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(PortfolioReader.read(f).account()).isEqualTo("a");
    }

    // ---- structure: unknown, missing and mistyped fields

    @Test
    void rejectsAnUnknownTopLevelField() {
        rejected(() -> read("{\"account\": \"a\", \"acount\": \"b\"}"), "acount", "unknown field");
    }

    @Test
    void rejectsAnUnknownPositionFieldNamingIt() {
        String json = """
            {"account": "a", "positions": [
              {"instrument": "BTC-26DEC25-100000-C", "size": 1},
              {"instrument": "BTC-26DEC25-100000-C", "sise": 1}
            ]}""";
        rejected(() -> read(json), "positions[1].sise", "unknown field");
    }

    @Test
    void rejectsAMissingAccount() {
        rejected(() -> read("{\"balances\": {}}"), "account", "missing required field");
    }

    @Test
    void rejectsABlankAccount() {
        rejected(() -> read("{\"account\": \"  \"}"), "account", "blank");
    }

    @Test
    void rejectsAMissingInstrument() {
        rejected(() -> read(onePosition("\"size\": 1")), "positions[0].instrument", "missing required field");
    }

    @Test
    void rejectsAMissingSize() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-26DEC25-100000-C\"")), "positions[0].size",
            "missing required field");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"account\": 7}                                                               | account           | expected a string, got number",
        "{\"account\": null}                                                            | account           | expected a string, got null",
        "{\"account\": \"a\", \"balances\": []}                                         | balances          | expected an object, got array",
        "{\"account\": \"a\", \"balances\": {\"BTC\": \"1\"}}                           | balances.BTC      | expected a number, got string",
        "{\"account\": \"a\", \"balances\": {\"BTC\": true}}                            | balances.BTC      | expected a number, got boolean",
        "{\"account\": \"a\", \"positions\": {}}                                        | positions         | expected an array, got object",
        "{\"account\": \"a\", \"positions\": [5]}                                       | positions[0]      | expected an object, got number",
        "{\"account\": \"a\", \"positions\": [{\"instrument\": 5, \"size\": 1}]}        | positions[0].instrument | expected a string, got number",
        "{\"account\": \"a\", \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", \"size\": \"3\", \"entryPrice\": 1}]} | positions[0].size | expected a number, got string",
        "{\"account\": \"a\", \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", \"size\": 3, \"entryPrice\": null}]} | positions[0].entryPrice | expected a number, got null",
        "[]                                                                             | ''                | expected an object, got array",
        "\"acct\"                                                                       | ''                | expected an object, got string",
    })
    void rejectsWrongTypesNamingTheField(String json, String field, String problem) {
        rejected(() -> read(json), field, problem);
    }

    // ---- numbers

    @Test
    void rejectsANaNLiteral() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-26DEC25-100000-C\", \"size\": NaN")),
            "positions[0].size", "NaN");
    }

    @Test
    void rejectsAnInfinityLiteral() {
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"BTC\": -Infinity}}"), "balances.BTC", "Infinity");
    }

    @Test
    void rejectsANumberThatOverflowsADouble() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-26DEC25-100000-C\", \"size\": 1e400")),
            "positions[0].size", "overflows a double");
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"ETH\": -1e400}}"), "balances.ETH",
            "overflows a double");
        String hugeInteger = "1" + "0".repeat(400);
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"BTC\": " + hugeInteger + "}}"), "balances.BTC",
            "overflows a double");
    }

    @Test
    void rejectsAnAbsurdSizeOrBalance() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-26DEC25-100000-C\", \"size\": 1e13")),
            "positions[0].size", "beyond the largest");
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"BTC\": 1e16}}"), "balances.BTC", "at most");
    }

    @Test
    void rejectsABalanceOfSomethingThatIsNotAnAssetCode() {
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"btc\": 1}}"), "balances.btc", "not an asset code");
    }

    // ---- instruments

    @Test
    void rejectsAnUnknownExpiryMonth() {
        String json = """
            {"account": "a", "positions": [
              {"instrument": "BTC-PERPETUAL", "size": 1, "entryPrice": 90000},
              {"instrument": "BTC-26DEX25-100000-C", "size": 1}
            ]}""";
        var e = rejected(() -> read(json), "positions[1].instrument", "unknown expiry month \"DEX\"");
        assertThat(ErrorLine.format("portfolio.json", e))
            .isEqualTo("portfolio.json: positions[1].instrument: unknown expiry month \"DEX\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "BTC-31FEB26-100000-C   | not a calendar date",
        "BTC-26DEC25-0-C        | strike must be positive",
        "BTC-26DEC25-100000-X   | neither C nor P",
        "BTC-FOO-BAR            | unrecognised instrument name",
        "BTC_EUR-PERPETUAL      | unknown settlement currency",
        "btc-PERPETUAL          | bad underlying",
        "BTC-2612-100000-C      | not DMMMYY",
        "''                     | instrument name is empty",
    })
    void rejectsABadInstrumentName(String name, String problem) {
        rejected(() -> read(onePosition("\"instrument\": \"" + name + "\", \"size\": 1, \"entryPrice\": 1")),
            "positions[0].instrument", problem);
    }

    @Test
    void rejectsAPerpetualOrFutureWithoutEntryPrice() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-PERPETUAL\", \"size\": -100000")),
            "positions[0].entryPrice", "required for perpetuals and futures");
        rejected(() -> read(onePosition("\"instrument\": \"ETH_USDC-27MAR26\", \"size\": 1")),
            "positions[0].entryPrice", "required for perpetuals and futures");
    }

    @Test
    void rejectsANonPositiveEntryPrice() {
        rejected(() -> read(onePosition("\"instrument\": \"BTC-PERPETUAL\", \"size\": 1, \"entryPrice\": 0")),
            "positions[0].entryPrice", "must be positive");
    }

    // ---- document level

    @Test
    void rejectsADuplicateKeyNamingIt() {
        rejected(() -> read("{\"account\": \"a\", \"account\": \"b\"}"), "account", "duplicate key \"account\"");
        rejected(() -> read(onePosition("\"instrument\": \"BTC-26DEC25-100000-C\", \"size\": 1, \"size\": 2")),
            "positions[0].size", "duplicate key \"size\"");
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"BTC\": 1, \"BTC\": 2}}"), "balances.BTC",
            "duplicate key");
    }

    @Test
    void rejectsTrailingGarbage() {
        rejected(() -> read("{\"account\": \"a\"} x"), "", "unexpected content after the end of the document");
        rejected(() -> read("{\"account\": \"a\"}\n{}"), "", "(line 2, column 1)");
        rejected(() -> read("{\"account\": \"a\"}}"), "", "unexpected content after the end of the document");
    }

    @Test
    void rejectsAnEmptyDocument() {
        rejected(() -> read(""), "", "empty document");
        rejected(() -> read(" \n\t "), "", "empty document");
    }

    @Test
    void reportsInvalidJsonWithLineAndColumn() {
        rejected(() -> read("{\n  \"account\": \"a\",\n}"), "", "(line 3, column 1)");
        rejected(() -> read("{\"account\": \"a\""), "", "invalid JSON");
        rejected(() -> read("{'account': 'a'}"), "", "invalid JSON");
        rejected(() -> read("{\"account\": \"a\", \"balances\": {\"BTC\": nan}}"), "", "line 1");
    }

    @Test
    void rejectsAFileThatIsMissingOrNotUtf8(@TempDir Path dir) throws Exception {
        rejected(() -> PortfolioReader.read(dir.resolve("nope.json")), "", "no such file");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"account\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        rejected(() -> PortfolioReader.read(latin1), "", "UTF-8");
    }
}
