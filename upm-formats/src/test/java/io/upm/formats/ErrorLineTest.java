package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.input.InputException;
import org.junit.jupiter.api.Test;

/** The CLI's one-line error and the HTTP API's error body (FORMATS.md, "Errors"). */
class ErrorLineTest {

    @Test
    void formatsSourceFieldAndProblem() {
        InputException e = new InputException("positions[1].instrument", "unknown expiry month \"DEX\"");

        assertThat(ErrorLine.format("portfolio.json", e))
            .isEqualTo("portfolio.json: positions[1].instrument: unknown expiry month \"DEX\"");
    }

    @Test
    void leavesOutAnEmptyField() {
        InputException e = new InputException("", "empty document");

        assertThat(ErrorLine.format("data/market.json", e)).isEqualTo("data/market.json: empty document");
    }

    @Test
    void isAlwaysOneLine() {
        InputException e = new InputException("x", "first\n   second\r\nthird");

        assertThat(ErrorLine.format("p.yaml", e)).isEqualTo("p.yaml: x: first second third");
    }

    @Test
    void formatsWhatAReaderThrows() {
        InputException e = catchThrowableOfType(InputException.class,
            () -> PortfolioReader.read("{\"account\": \"a\", \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", "
                + "\"size\": 1}]}", "portfolio.json"));

        assertThat(ErrorLine.format("portfolio.json", e))
            .isEqualTo("portfolio.json: positions[0].entryPrice: required for perpetuals and futures");
    }

    @Test
    void writesTheHttpErrorBody() throws Exception {
        InputException e = new InputException("positions[1].instrument", "unknown expiry month \"DEX\"");

        String json = ErrorLine.json(e);

        assertThat(json).isEqualTo(
            "{\"error\":{\"field\":\"positions[1].instrument\",\"message\":\"unknown expiry month \\\"DEX\\\"\"}}");
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("error").get("field").textValue()).isEqualTo("positions[1].instrument");
        assertThat(tree.get("error").get("message").textValue()).isEqualTo("unknown expiry month \"DEX\"");
    }

    @Test
    void writesAnEmptyFieldForADocumentProblem() {
        assertThat(ErrorLine.json(new InputException("", "empty document")))
            .isEqualTo("{\"error\":{\"field\":\"\",\"message\":\"empty document\"}}");
    }
}
