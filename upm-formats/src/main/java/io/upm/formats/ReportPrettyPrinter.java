package io.upm.formats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;
import java.util.BitSet;

/**
 * Indents JSON for people: one object member per line, two spaces per level, {@code "key": value}; an
 * array of numbers or strings stays on one line ({@code [-0.16, -0.12, ...]}) and an array of arrays or
 * objects puts each element on its own line, so a 9 x 3 risk matrix reads as 9 lines of 3.
 *
 * <p>Not thread-safe: one instance per generator.
 */
final class ReportPrettyPrinter implements PrettyPrinter {
    private static final String INDENT = "  ";

    private int depth;
    /** Bit d: the container open at depth d is an array whose elements are put on their own lines. */
    private final BitSet blockArray = new BitSet();

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        beforeContainer(g);
        g.writeRaw('{');
        open(false);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        newLine(g, depth);
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g, depth);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        close(g, nrOfEntries > 0);
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        beforeContainer(g);
        g.writeRaw('[');
        open(false);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
        // whether the array is a block is known only when its first element starts
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(blockArray.get(depth) ? "," : ", ");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        close(g, blockArray.get(depth) && nrOfValues > 0);
        g.writeRaw(']');
    }

    private void beforeContainer(JsonGenerator g) throws IOException {
        // the generator has already entered the new context; its parent is where this container sits
        JsonStreamContext parent = g.getOutputContext().getParent();
        if (parent != null && parent.inArray()) {
            blockArray.set(depth);
            newLine(g, depth);
        }
    }

    private void open(boolean block) {
        depth++;
        blockArray.set(depth, block);
    }

    private void close(JsonGenerator g, boolean onOwnLine) throws IOException {
        blockArray.clear(depth);
        depth--;
        if (onOwnLine) {
            newLine(g, depth);
        }
    }

    private static void newLine(JsonGenerator g, int level) throws IOException {
        g.writeRaw('\n');
        for (int i = 0; i < level; i++) {
            g.writeRaw(INDENT);
        }
    }
}
