package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.TreeFields.Range;
import org.junit.jupiter.api.Test;

/** The optional-key readers: the fallback for an absent key, and the usual errors, named by path, otherwise. */
class TreeFieldsTest {
    private static final JsonNode NODE = DocumentParser.parseJson(
        "{\"n\": 2.5, \"i\": 7, \"b\": true, \"s\": \"x\", \"z\": null}");

    @Test
    void anAbsentKeyGivesTheFallbackAndAPresentOneItsValue() {
        assertThat(TreeFields.optionalNumber(NODE, "n", "p", 1)).isEqualTo(2.5);
        assertThat(TreeFields.optionalNumber(NODE, "m", "p", 1)).isEqualTo(1);
        assertThat(TreeFields.optionalNumber(NODE, "n", "p", 1, Range.closed(0, 3))).isEqualTo(2.5);
        assertThat(TreeFields.optionalInteger(NODE, "i", "p", 1, 0, 10)).isEqualTo(7);
        assertThat(TreeFields.optionalInteger(NODE, "j", "p", 99, 0, 10)).isEqualTo(99);
        assertThat(TreeFields.optionalBool(NODE, "b", "p", false)).isTrue();
        assertThat(TreeFields.optionalBool(NODE, "c", "p", false)).isFalse();
        assertThat(TreeFields.optionalString(NODE, "s", "p", "y")).isEqualTo("x");
        assertThat(TreeFields.optionalString(NODE, "t", "p", "y")).isEqualTo("y");
    }

    @Test
    void aPresentKeyIsCheckedAndNamedByItsPath() {
        assertThatThrownBy(() -> TreeFields.optionalNumber(NODE, "z", "p", 1))
            .hasMessage("p.z: expected a number, got null");
        assertThatThrownBy(() -> TreeFields.optionalNumber(NODE, "n", "", 1, Range.aboveTo(0, 1)))
            .hasMessage("n: must be in (0, 1], got 2.5");
        assertThatThrownBy(() -> TreeFields.optionalInteger(NODE, "n", "p", 1, 0, 10))
            .hasMessage("p.n: expected an integer, got 2.5");
        assertThatThrownBy(() -> TreeFields.optionalInteger(NODE, "i", "p", 1, 0, 5))
            .hasMessage("p.i: must be an integer in [0, 5], got 7");
        assertThatThrownBy(() -> TreeFields.optionalBool(NODE, "s", "p", true))
            .hasMessage("p.s: expected a boolean, got string");
        assertThatThrownBy(() -> TreeFields.optionalString(NODE, "b", "p", "y"))
            .hasMessage("p.b: expected a string, got boolean");
    }
}
