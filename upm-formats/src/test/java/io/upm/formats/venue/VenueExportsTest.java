package io.upm.formats.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.product.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each venue's export mapped onto UPM: instrument names, sizes converted to UPM's units, entry prices, balances;
 * on the example exports of {@code examples/venues} and on small exports of our own written here.
 */
class VenueExportsTest {
    static final Path EXAMPLES = Path.of("..", "examples", "venues");

    /** The positions as "name size entry venue" lines, sizes and prices as doubles. */
    static List<String> lines(VenueHoldings h) {
        return h.positions().stream().map(VenueExportsTest::line).toList();
    }

    static String line(Position p) {
        return p.instrument().name() + " " + p.size() + " " + p.entryPrice() + " " + p.venue();
    }

    static InputException rejected(Venue venue, String json, String field, String problemPart) {
        InputException[] caught = new InputException[1];
        assertThatThrownBy(() -> VenueExports.read(venue, json)).isInstanceOfSatisfying(InputException.class, e -> {
            caught[0] = e;
            assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problemPart);
        });
        return caught[0];
    }

    // ---- Deribit

    @Test
    void deribitNamesAreFormatsNamesSizesAreUpmUnitsAndTheSignIsTheDirection() {
        VenueHoldings h = VenueExports.read(Venue.DERIBIT, EXAMPLES.resolve("deribit.json"));
        assertThat(h.venue()).isEqualTo(Venue.DERIBIT);
        assertThat(lines(h)).containsExactly("BTC-26MAR27 -1170000.0 93150.0 deribit");
        assertThat(h.balances()).containsExactly(Map.entry("BTC", 2.5)); // the zero USDC balance is left out
    }

    @Test
    void deribitUsesTheSettlementPriceOnceAFutureWasSettledAndIgnoresOptionPremiums() {
        VenueHoldings h = VenueExports.read(Venue.DERIBIT, """
            {"private/get_positions": [
              {"jsonrpc": "2.0", "result": [
                {"instrument_name": "BTC-PERPETUAL", "kind": "future", "direction": "buy", "size": 30000,
                 "average_price": 88000.5, "settlement_price": 91200.25},
                {"instrument_name": "BTC-25DEC26-100000-C", "kind": "option", "direction": "sell", "size": -2.5,
                 "average_price": 0.021},
                {"instrument_name": "ETH-PERPETUAL", "kind": "future", "direction": "zero", "size": 0, "average_price": 0}
              ]},
              {"jsonrpc": "2.0", "result": [
                {"instrument_name": "ETH_USDC-PERPETUAL", "kind": "future", "direction": "sell", "size": 12.5,
                 "average_price": 3011}
              ]}],
             "private/get_account_summary": {"result": {"currency": "ETH", "balance": -1.25}}}
            """);
        assertThat(lines(h)).containsExactly("BTC-PERPETUAL 30000.0 91200.25 deribit",
            "BTC-25DEC26-100000-C -2.5 NaN deribit", "ETH_USDC-PERPETUAL -12.5 3011.0 deribit");
        assertThat(h.balances()).containsExactly(Map.entry("ETH", -1.25));
    }

    @Test
    void deribitErrorsNameTheField() {
        rejected(Venue.DERIBIT, "{\"private/get_positions\": {\"result\": [{\"instrument_name\": \"BTC-FOO\", "
            + "\"direction\": \"buy\", \"size\": 1, \"average_price\": 1}]}}", "private/get_positions.result[0].instrument_name",
            "expiry \"FOO\"");
        rejected(Venue.DERIBIT, "{\"private/get_positions\": {\"result\": [{\"instrument_name\": \"BTC-PERPETUAL\", "
            + "\"direction\": \"buy\", \"size\": 10}]}}", "private/get_positions.result[0].average_price", "missing required field");
        rejected(Venue.DERIBIT, "{\"private/get_positions\": {\"result\": [{\"instrument_name\": \"BTC-PERPETUAL\", "
            + "\"direction\": \"long\", \"size\": 10, \"average_price\": 1}]}}", "private/get_positions.result[0].direction",
            "none of buy, sell, zero");
        rejected(Venue.DERIBIT, "{\"private/get_positions\": {\"result\": [{\"instrument_name\": \"BTC-FS-PERP\", "
            + "\"kind\": \"future_combo\", \"direction\": \"buy\", \"size\": 10}]}}", "private/get_positions.result[0].kind",
            "combo");
        rejected(Venue.DERIBIT, "{\"private/get_positions\": {\"error\": {\"code\": 13009, \"message\": \"unauthorized\"}}}",
            "private/get_positions.error", "unauthorized");
        rejected(Venue.DERIBIT, "{\"get_positions\": {}}", "get_positions", "unknown field");
        rejected(Venue.DERIBIT, "{}", "", "needs");
        rejected(Venue.DERIBIT, "{\"private/get_positions\": ", "", "invalid JSON");
    }

    // ---- OKX

    @Test
    void okxContractsAreMultipliedByTheContractSize() {
        VenueHoldings h = VenueExports.read(Venue.OKX, EXAMPLES.resolve("okx.json"));
        assertThat(lines(h)).containsExactly("BTC_USDT-PERPETUAL 10.0 91210.4 okx"); // 1000 x 0.01 BTC
        assertThat(h.balances()).containsExactly(Map.entry("USDT", 210000.0));
    }

    @Test
    void okxEveryInstrumentTypeAndPositionSide() {
        VenueHoldings h = VenueExports.read(Venue.OKX, """
            {"/api/v5/account/positions": {"code": "0", "msg": "", "data": [
              {"instType": "SWAP", "instId": "BTC-USD-SWAP", "posSide": "net", "pos": "-25", "avgPx": "91000"},
              {"instType": "SWAP", "instId": "ETH-USD-SWAP", "posSide": "short", "pos": "40", "avgPx": "3000"},
              {"instType": "FUTURES", "instId": "BTC-USD-261225", "posSide": "long", "pos": "7", "avgPx": "92000"},
              {"instType": "FUTURES", "instId": "ETH-USDT-270326", "posSide": "net", "pos": "-30", "avgPx": "3100"},
              {"instType": "OPTION", "instId": "BTC-USD-261225-100000-C", "posSide": "net", "pos": "-150", "avgPx": "0.02"},
              {"instType": "OPTION", "instId": "ETH-USD-261225-3000-P", "posSide": "net", "pos": "20", "avgPx": "0.05"},
              {"instType": "SWAP", "instId": "SOL-USDT-SWAP", "posSide": "net", "pos": "12", "avgPx": "140"},
              {"instType": "SWAP", "instId": "BTC-USDT-SWAP", "posSide": "net", "pos": "0", "avgPx": ""}
            ]},
             "/api/v5/public/instruments": [{"code": "0", "data": [
               {"instId": "SOL-USDT-SWAP", "ctVal": "1", "ctMult": "1"},
               {"instId": "ETH-USD-SWAP", "ctVal": "10", "ctMult": ""}]}],
             "/api/v5/account/balance": {"code": "0", "data": [{"details": [
               {"ccy": "BTC", "cashBal": "0.75"}, {"ccy": "USDC", "cashBal": "-5000.5"}, {"ccy": "ETH", "cashBal": "0"}]}]}}
            """);
        assertThat(lines(h)).containsExactly(
            "BTC-PERPETUAL -2500.0 91000.0 okx",            // 25 x 100 USD
            "ETH-PERPETUAL -400.0 3000.0 okx",              // short side: 40 x 10 USD (instruments answer)
            "BTC-25DEC26 700.0 92000.0 okx",                // 7 x 100 USD
            "ETH_USDT-26MAR27 -3.0 3100.0 okx",             // 30 x 0.1 ETH
            "BTC-25DEC26-100000-C -1.5 NaN okx",            // 150 x 0.01 BTC
            "ETH-25DEC26-3000-P 2.0 NaN okx",               // 20 x 0.1 ETH
            "SOL_USDT-PERPETUAL 12.0 140.0 okx");           // 12 x 1 SOL (instruments answer)
        assertThat(h.balances()).containsExactly(Map.entry("BTC", 0.75), Map.entry("USDC", -5000.5));
    }

    @Test
    void okxErrorsNameTheField() {
        String pos = "{\"/api/v5/account/positions\": {\"code\": \"0\", \"data\": [%s]}}";
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"SWAP\", \"instId\": \"DOGE-USDT-SWAP\", \"pos\": \"1\", "
            + "\"avgPx\": \"0.1\"}"), "/api/v5/account/positions.data[0].instId", "contract size of \"DOGE-USDT-SWAP\" unknown");
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"SWAP\", \"instId\": \"BTC-EUR-SWAP\", \"pos\": \"1\", "
            + "\"avgPx\": \"1\"}"), "/api/v5/account/positions.data[0].instId", "unknown instrument \"BTC-EUR-SWAP\"");
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"MARGIN\", \"instId\": \"BTC-USDT\", \"pos\": \"1\"}"),
            "/api/v5/account/positions.data[0].instType", "not supported");
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"FUTURES\", \"instId\": \"BTC-USD-261345\", \"pos\": \"1\", "
            + "\"avgPx\": \"1\"}"), "/api/v5/account/positions.data[0].instId", "not a calendar date");
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"SWAP\", \"instId\": \"BTC-USD-SWAP\", \"pos\": \"12abc\"}"),
            "/api/v5/account/positions.data[0].pos", "not a decimal number");
        rejected(Venue.OKX, pos.formatted("{\"instType\": \"SWAP\", \"instId\": \"BTC-USD-SWAP\", \"pos\": \"2\", "
            + "\"avgPx\": \"-5\"}"), "/api/v5/account/positions.data[0].avgPx", "entry price must be positive");
        rejected(Venue.OKX, "{\"/api/v5/account/balance\": {\"code\": \"50113\", \"msg\": \"Invalid Sign\", \"data\": []}}",
            "/api/v5/account/balance.code", "Invalid Sign");
    }

    // ---- Binance

    @Test
    void binanceUsdmCoinmOptionsAndBalances() {
        VenueHoldings h = VenueExports.read(Venue.BINANCE, EXAMPLES.resolve("binance.json"));
        assertThat(lines(h)).containsExactly(
            "BTC_USDT-PERPETUAL 2.0 90850.0 binance",
            "ETH_USDT-25DEC26 -15.0 3071.5 binance",
            "BTC-PERPETUAL -30000.0 91800.0 binance",       // 300 COIN-M contracts x 100 USD
            "BTC_USDT-25DEC26-100000-C -1.5 NaN binance");
        // spot BTC 0.4 + 0.1 and COIN-M wallet 0.35; spot USDT 25,000 and USD-M wallet 40,000; BNB 0 left out
        assertThat(h.balances()).containsExactly(Map.entry("BTC", 0.85), Map.entry("USDT", 65000.0));
    }

    @Test
    void binanceCoinMarginedContractsOtherThanBtcAreTenUsd() {
        VenueHoldings h = VenueExports.read(Venue.BINANCE, """
            {"/dapi/v1/positionRisk": [{"symbol": "ETHUSD_270326", "positionAmt": "25", "entryPrice": "3120"}],
             "/fapi/v3/positionRisk": [{"symbol": "SOLUSDC", "positionAmt": "-3.5", "entryPrice": "141"}]}
            """);
        assertThat(lines(h)).containsExactly("SOL_USDC-PERPETUAL -3.5 141.0 binance", "ETH-26MAR27 250.0 3120.0 binance");
    }

    @Test
    void binanceErrorsNameTheField() {
        rejected(Venue.BINANCE, "{\"/fapi/v2/positionRisk\": [{\"symbol\": \"BTCEUR\", \"positionAmt\": \"1\"}]}",
            "/fapi/v2/positionRisk[0].symbol", "unknown instrument \"BTCEUR\"");
        rejected(Venue.BINANCE, "{\"/eapi/v1/position\": [{\"symbol\": \"BTC-261225-100000-C\", \"quantity\": \"1\", "
            + "\"side\": \"BUY\"}]}", "/eapi/v1/position[0].side", "neither LONG nor SHORT");
        rejected(Venue.BINANCE, "{\"/fapi/v2/positionRisk\": {\"code\": -2015, \"msg\": \"Invalid API-key\"}}",
            "/fapi/v2/positionRisk.code", "Invalid API-key");
        rejected(Venue.BINANCE, "{\"/api/v3/account\": {\"balances\": [{\"asset\": \"BTC\", \"free\": \"1\"}]}}",
            "/api/v3/account.balances[0].locked", "missing required field");
        rejected(Venue.BINANCE, "{\"/fapi/v1/positionRisk\": []}", "/fapi/v1/positionRisk", "unknown field");
    }

    // ---- Bybit

    @Test
    void bybitLinearInverseOptionAndWallet() {
        VenueHoldings h = VenueExports.read(Venue.BYBIT, EXAMPLES.resolve("bybit.json"));
        assertThat(lines(h)).containsExactly(
            "ETH_USDT-PERPETUAL -20.0 3040.5 bybit",
            "BTC_USDC-PERPETUAL 0.5 91320.0 bybit",         // USDC perpetual: session average price
            "BTC-PERPETUAL 50000.0 91010.5 bybit",          // inverse: 1 USD contracts
            "BTC-25DEC26 -60000.0 92400.0 bybit",           // Z26: last Friday of December 2026
            "BTC_USDC-25DEC26-80000-P 2.0 NaN bybit");
        assertThat(h.balances()).containsExactly(Map.entry("USDC", 60000.0), Map.entry("BTC", 0.2));
    }

    @Test
    void bybitDatedLinearFuturesAndUsdtOptions() {
        VenueHoldings h = VenueExports.read(Venue.BYBIT, """
            {"/v5/position/list": {"retCode": 0, "result": {"category": "linear", "list": [
               {"symbol": "BTC-26MAR27", "side": "Sell", "size": "1.2", "avgPrice": "93000", "sessionAvgPrice": ""},
               {"symbol": "ETHUSDT-25DEC26", "side": "Buy", "size": "4", "avgPrice": "3060"},
               {"symbol": "BTCUSDC", "side": "Buy", "size": "0", "avgPrice": "0"}]}},
             "/v5/account/wallet-balance": {"retCode": 0, "result": {"list": []}}}
            """);
        assertThat(lines(h)).containsExactly("BTC_USDC-26MAR27 -1.2 93000.0 bybit", "ETH_USDT-25DEC26 4.0 3060.0 bybit");
        VenueHoldings o = VenueExports.read(Venue.BYBIT, """
            {"/v5/position/list": {"retCode": 0, "result": {"category": "option", "list": [
               {"symbol": "ETH-26MAR27-3500-C-USDT", "side": "Sell", "size": "3", "avgPrice": "120"}]}}}
            """);
        assertThat(lines(o)).containsExactly("ETH_USDT-26MAR27-3500-C -3.0 NaN bybit");
        assertThat(VenueInstruments.expiryOfMonthLetter('H', "27", "f")).isEqualTo("26MAR27");
        assertThat(VenueInstruments.expiryOfMonthLetter('M', "26", "f")).isEqualTo("26JUN26");
    }

    @Test
    void bybitErrorsNameTheField() {
        String list = "{\"/v5/position/list\": {\"retCode\": 0, \"result\": {\"category\": \"%s\", \"list\": [%s]}}}";
        rejected(Venue.BYBIT, list.formatted("inverse", "{\"symbol\": \"BTCUSDA26\", \"side\": \"Buy\", \"size\": \"1\"}"),
            "/v5/position/list.result.list[0].symbol", "unknown futures month letter 'A'");
        rejected(Venue.BYBIT, list.formatted("linear", "{\"symbol\": \"BTC/USDT\", \"side\": \"Buy\", \"size\": \"1\"}"),
            "/v5/position/list.result.list[0].symbol", "unknown instrument \"BTC/USDT\"");
        rejected(Venue.BYBIT, list.formatted("spot", "{\"symbol\": \"BTCUSDT\", \"side\": \"Buy\", \"size\": \"1\"}"),
            "/v5/position/list.result.category", "not supported");
        rejected(Venue.BYBIT, list.formatted("linear", "{\"symbol\": \"BTCUSDT\", \"side\": \"Buy\", \"size\": true}"),
            "/v5/position/list.result.list[0].size", "expected a number or a decimal string");
        rejected(Venue.BYBIT, "{\"/v5/position/list\": {\"retCode\": 10003, \"retMsg\": \"API key is invalid.\"}}",
            "/v5/position/list.retCode", "API key is invalid.");
    }

    // ---- venues

    @Test
    void unknownVenueIsNamed() {
        assertThatThrownBy(() -> Venue.of("ftx", "--venue")).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).isEqualTo("--venue");
            assertThat(e.problem()).isEqualTo("unknown venue \"ftx\" (expected one of deribit, okx, binance, bybit)");
        });
        assertThat(Venue.NAMES).containsExactly("deribit", "okx", "binance", "bybit");
    }
}
