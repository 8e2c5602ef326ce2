package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test fixtures (under src/test/resources/io/upm/formats) and an assertion for rejected input. */
final class Fixtures {
    private Fixtures() {
    }

    /** The path of a fixture file. */
    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that {@code call} throws an {@link InputException} naming {@code field} whose problem
     * contains {@code problemPart}, and returns it.
     */
    static InputException rejected(ThrowingCallable call, String field, String problemPart) {
        InputException[] caught = new InputException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(InputException.class, e -> {
            caught[0] = e;
            assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problemPart);
        });
        return caught[0];
    }
}
