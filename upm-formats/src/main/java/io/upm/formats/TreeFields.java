package io.upm.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict, typed access to the nodes of a parsed document, every error naming the field's path
 * ({@code positions[1].size}): wrong JSON types, missing required fields, unknown fields, and numbers
 * that are not finite doubles (a literal such as {@code 1e400} overflows to infinity when parsed).
 *
 * <p>Stateless and thread-safe.
 */
final class TreeFields {
    private TreeFields() {
    }

    /** The path of {@code key} below {@code parent}. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of element {@code index} of the array at {@code parent}. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The node as an object. */
    static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw wrongType(node, "an object", path);
        }
        return node;
    }

    /** The node as an array. */
    static JsonNode array(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw wrongType(node, "an array", path);
        }
        return node;
    }

    /** Rejects any key of {@code object} not in {@code allowed}, naming the first such key. */
    static void onlyKeys(JsonNode object, String path, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InputException(child(path, key), "unknown field");
            }
        }
    }

    /** Rejects any key of {@code object} not in {@code allowed}, naming the first such key. */
    static void onlyKeys(JsonNode object, String path, List<String> allowed) {
        onlyKeys(object, path, Set.copyOf(allowed));
    }

    /** The value of a required key. */
    static JsonNode required(JsonNode object, String key, String path) {
        JsonNode v = object.get(key);
        if (v == null) {
            throw new InputException(child(path, key), "missing required field");
        }
        return v;
    }

    /** The node as a string. */
    static String string(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw wrongType(node, "a string", path);
        }
        return node.textValue();
    }

    /** The node as a boolean. */
    static boolean bool(JsonNode node, String path) {
        if (node == null || !node.isBoolean()) {
            throw wrongType(node, "a boolean", path);
        }
        return node.booleanValue();
    }

    /** The node as a finite double. */
    static double number(JsonNode node, String path) {
        if (node == null || !node.isNumber()) {
            throw wrongType(node, "a number", path);
        }
        double v = node.doubleValue();
        if (Double.isNaN(v)) {
            throw new InputException(path, "NaN is not a number");
        }
        if (Double.isInfinite(v)) {
            throw new InputException(path, "number is too large: it overflows a double");
        }
        return v;
    }

    /** The node as a finite double within {@code range}. */
    static double number(JsonNode node, String path, Range range) {
        double v = number(node, path);
        if (!range.contains(v)) {
            throw new InputException(path, "must be " + range + ", got " + node.asText());
        }
        return v;
    }

    /** The node as an integer in [min, max]; an integral floating-point literal such as {@code 4.0} is accepted. */
    static int integer(JsonNode node, String path, int min, int max) {
        double v = number(node, path);
        if (v != Math.rint(v)) {
            throw new InputException(path, "expected an integer, got " + node.asText());
        }
        if (v < min || v > max) {
            throw new InputException(path, "must be an integer in [" + min + ", " + max + "], got " + node.asText());
        }
        return (int) v;
    }

    /** Entries of an object, in document order. */
    static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        return object.properties();
    }

    /** The JSON type of a node, as a user would name it. */
    static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case NUMBER -> "number";
            case OBJECT, POJO -> "object";
            case STRING -> node.textValue().isEmpty() ? "empty string" : "string";
            case BINARY -> "binary";
            case MISSING -> "nothing";
        };
    }

    private static InputException wrongType(JsonNode node, String expected, String path) {
        return new InputException(path, "expected " + expected + ", got " + typeName(node));
    }

    /**
     * An interval of accepted values, printed as {@code in (0, 1]}.
     *
     * @param min          lower bound
     * @param minInclusive whether the lower bound is accepted
     * @param max          upper bound
     * @param maxInclusive whether the upper bound is accepted
     */
    record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
        /** [min, max]. */
        static Range closed(double min, double max) {
            return new Range(min, true, max, true);
        }

        /** (min, max]. */
        static Range aboveTo(double min, double max) {
            return new Range(min, false, max, true);
        }

        boolean contains(double v) {
            return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        }

        @Override
        public String toString() {
            return "in " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max) + (maxInclusive ? "]" : ")");
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
