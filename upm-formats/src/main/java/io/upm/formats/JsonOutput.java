package io.upm.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A JSON document being written to a string, members in the order they are written: the one deterministic JSON
 * writer of UPM (the margin report, the what-if result, the live engine's commands and events). The same calls
 * always give the same bytes: numbers are written in Java's shortest round-trip form
 * ({@link Double#toString(double)}), never rounded, and negative zero as {@code 0.0}; strings are escaped as
 * Jackson escapes them. A guard makes sure no non-finite number is ever written: NaN or infinity in output is a
 * bug upstream, so it throws {@link IllegalStateException} naming the field instead, as does a null string.
 *
 * <p>Not thread-safe: one instance per document.
 */
public final class JsonOutput {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final StringWriter text = new StringWriter();
    private final JsonGenerator g;
    private final boolean pretty;

    private JsonOutput(boolean pretty) {
        this.pretty = pretty;
        try {
            this.g = FACTORY.createGenerator(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pretty) {
            g.setPrettyPrinter(new ReportPrettyPrinter());
        }
    }

    /** A document indented for people ({@link ReportPrettyPrinter}), ending with a newline. */
    public static JsonOutput pretty() {
        return new JsonOutput(true);
    }

    /** A document on one line, without a trailing newline (a JSON Lines record). */
    public static JsonOutput compact() {
        return new JsonOutput(false);
    }

    /** Starts an object: the document, an array element or the value of the member named just before. */
    public JsonOutput startObject() {
        return io(() -> g.writeStartObject());
    }

    /** Starts an object member. */
    public JsonOutput startObject(String name) {
        return io(() -> g.writeObjectFieldStart(name));
    }

    /** The name of a member whose value is written next (by a nested writer). */
    public JsonOutput fieldName(String name) {
        return io(() -> g.writeFieldName(name));
    }

    /** Ends the current object. */
    public JsonOutput endObject() {
        return io(() -> g.writeEndObject());
    }

    /** Starts an array: an array element or the value of the member named just before. */
    public JsonOutput startArray() {
        return io(() -> g.writeStartArray());
    }

    /** Starts an array member. */
    public JsonOutput startArray(String name) {
        return io(() -> g.writeArrayFieldStart(name));
    }

    /** Ends the current array. */
    public JsonOutput endArray() {
        return io(() -> g.writeEndArray());
    }

    /**
     * A string member.
     *
     * @throws IllegalStateException if {@code value} is null
     */
    public JsonOutput string(String name, String value) {
        return io(() -> {
            if (value == null) {
                throw new IllegalStateException("JSON output: " + path(name) + " is null, which this format does not allow");
            }
            g.writeStringField(name, value);
        });
    }

    /** A string array element. */
    public JsonOutput string(String value) {
        return io(() -> g.writeString(value));
    }

    /** A boolean member. */
    public JsonOutput bool(String name, boolean value) {
        return io(() -> g.writeBooleanField(name, value));
    }

    /**
     * A finite number member.
     *
     * @throws IllegalStateException if {@code value} is NaN or infinite
     */
    public JsonOutput number(String name, double value) {
        return io(() -> {
            check(value, path(name));
            g.writeFieldName(name);
            g.writeNumber(value + 0.0);
        });
    }

    /** An integer member. */
    public JsonOutput integer(String name, long value) {
        return io(() -> g.writeNumberField(name, value));
    }

    /** A finite number member, or {@code null} when {@code value} is null. */
    public JsonOutput numberOrNull(String name, Double value) {
        if (value == null) {
            return io(() -> g.writeNullField(name));
        }
        return number(name, value);
    }

    /**
     * A finite number array element.
     *
     * @throws IllegalStateException if {@code value} is NaN or infinite
     */
    public JsonOutput number(double value) {
        return io(() -> {
            check(value, path(null));
            g.writeNumber(value + 0.0);
        });
    }

    /** The finished document. */
    public String finish() {
        io(() -> g.close());
        return pretty ? text + "\n" : text.toString();
    }

    private static void check(double value, String path) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("JSON output: " + path + " is " + value
                + "; a non-finite number in a report is a bug, refusing to write it");
        }
    }

    /** The path of the member {@code name} (or, in an array, of the next element) about to be written. */
    private String path(String name) {
        JsonStreamContext c = g.getOutputContext();
        String container = DocumentParser.pathOf(c.getParent());
        if (c.inArray()) {
            return container + "[" + c.getEntryCount() + "]";
        }
        return container.isEmpty() ? name : container + "." + name;
    }

    private JsonOutput io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
