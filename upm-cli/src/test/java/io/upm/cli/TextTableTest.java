package io.upm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text table: names, a line of units, right-aligned numbers, left-aligned text, no trailing spaces. */
class TextTableTest {
    @Test
    void numbersLineUpOnTheirDecimalPointsUnderTheirUnits() {
        String t = new TextTable("  ").text("unit").number("W", "USD").number("delta", "coin").text("note")
            .row("BTC", "146,460.80", "10.0042", "")
            .row("SOL", "0.26", "-2,501.0563", "long")
            .render();
        assertThat(t).isEqualTo("""
              unit           W        delta  note
                           USD         coin
              BTC   146,460.80      10.0042
              SOL         0.26  -2,501.0563  long
            """);
    }

    @Test
    void withoutUnitsThereIsOneHeaderLine() {
        assertThat(new TextTable("").text("a").text("b").row("x", "yy").render()).isEqualTo("a  b\nx  yy\n");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new TextTable("").text("a").row("x", "y")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("expected 1 cells, got 2");
    }
}
