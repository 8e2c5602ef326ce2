package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.formats.DocumentParser.Syntax;
import io.upm.input.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public strict parser: empty documents, syntax sniffing, and the messages other modules rely on. */
class DocumentParserTest {

    @Test
    void anEmptyDocumentIsAnErrorForParseAndNothingForParseOptional() {
        for (String text : new String[] {null, "", "  \n", "# only a comment\n"}) {
            assertThat(DocumentParser.parseOptional(text, Syntax.YAML)).as(String.valueOf(text)).isEmpty();
            assertThatThrownBy(() -> DocumentParser.parse(text, Syntax.YAML)).isInstanceOf(InputException.class)
                .hasMessage("empty document");
        }
        assertThat(DocumentParser.parseOptional(" ", Syntax.JSON)).isEmpty();
        assertThat(DocumentParser.parseOptional("null", Syntax.JSON)).hasValueSatisfying(n -> assertThat(n.isNull())
            .isTrue());
    }

    @Test
    void parseOptionalIsAsStrictAsParse() {
        assertThatThrownBy(() -> DocumentParser.parseOptional("{\"a\": 1, \"a\": 2}", Syntax.JSON))
            .isInstanceOf(InputException.class).hasMessage("a: duplicate key \"a\" (line 1, column 13)");
        assertThatThrownBy(() -> DocumentParser.parseOptional("{} {}", Syntax.JSON))
            .hasMessageStartingWith("unexpected content after the end of the document");
        assertThatThrownBy(() -> DocumentParser.parseOptional("{\"a\": ", Syntax.JSON))
            .hasMessageStartingWith("invalid JSON: ");
    }

    @Test
    void theSyntaxIsTheNamesExtensionElseTheFirstCharacter() {
        assertThat(DocumentParser.sniff("a: 1", "x.JSON")).isEqualTo(Syntax.JSON);
        assertThat(DocumentParser.sniff("{}", "x.yml")).isEqualTo(Syntax.YAML);
        assertThat(DocumentParser.sniff("  [1]", "")).isEqualTo(Syntax.JSON);
        assertThat(DocumentParser.sniff("a: 1", null)).isEqualTo(Syntax.YAML);
        assertThat(DocumentParser.sniff(null, null)).isEqualTo(Syntax.JSON);
    }

    @Test
    void aMissingFileIsNamedAsSuch() {
        assertThatThrownBy(() -> DocumentParser.readText(Path.of("/nonexistent/x.yaml")))
            .isInstanceOf(InputException.class).hasMessage("cannot read the file: no such file");
    }
}
