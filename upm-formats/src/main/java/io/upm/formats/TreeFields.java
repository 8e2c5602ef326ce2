package io.upm.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.input.InputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict, typed access to the nodes of a document parsed by {@link DocumentParser}, every error an
 * {@link InputException} whose field is the value's path ({@code positions[1].size}): wrong JSON types, missing
 * required fields, unknown fields, and numbers that are not finite doubles (a literal such as {@code 1e400}
 * overflows to infinity when parsed). The readers of this package and those of other modules (the backtest
 * settings, for one) read their trees with it, so that every UPM document words the same problem the same way.
 *
 * <p>A wrong type is reported as {@code expected <type>, got <type of the node>}, the latter from
 * {@link #typeName(JsonNode)}. The {@code optional...} methods read a key that may be absent, giving a fallback
 * then; a key present with the value {@code null} is a wrong type, not an absent key.
 *
 * <p>Stateless and thread-safe.
 */
public final class TreeFields {
    private TreeFields() {
    }

    /**
     * The path of {@code key} below {@code parent}: {@code parent.key}, or {@code key} at the root.
     *
     * @param parent the parent's path; "" for the root
     * @param key    the key
     * @return the key's path
     */
    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /**
     * The path of element {@code index} of the array at {@code parent}: {@code parent[index]}.
     *
     * @param parent the array's path
     * @param index  the element's index
     * @return the element's path
     */
    public static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /**
     * The node as an object.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return the node
     * @throws InputException {@code expected an object, got <type>} if it is not an object
     */
    public static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw wrongType(node, "an object", path);
        }
        return node;
    }

    /**
     * The node as an array.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return the node
     * @throws InputException {@code expected an array, got <type>} if it is not an array
     */
    public static JsonNode array(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw wrongType(node, "an array", path);
        }
        return node;
    }

    /**
     * Rejects any key of {@code object} not in {@code allowed}.
     *
     * @param object  an object node
     * @param path    its path
     * @param allowed the keys it may have
     * @throws InputException {@code unknown field}, its field the path of the first such key
     */
    public static void onlyKeys(JsonNode object, String path, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InputException(child(path, key), "unknown field");
            }
        }
    }

    /**
     * Rejects any key of {@code object} not in {@code allowed}: {@link #onlyKeys(JsonNode, String, Set)}.
     *
     * @param object  an object node
     * @param path    its path
     * @param allowed the keys it may have
     * @throws InputException {@code unknown field}, its field the path of the first such key
     */
    public static void onlyKeys(JsonNode object, String path, List<String> allowed) {
        onlyKeys(object, path, Set.copyOf(allowed));
    }

    /**
     * The value of a required key.
     *
     * @param object an object node
     * @param key    the key
     * @param path   the object's path
     * @return the key's value, possibly a null node
     * @throws InputException {@code missing required field}, its field the key's path, if the key is absent
     */
    public static JsonNode required(JsonNode object, String key, String path) {
        JsonNode v = object.get(key);
        if (v == null) {
            throw new InputException(child(path, key), "missing required field");
        }
        return v;
    }

    /**
     * The node as a string.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return its text
     * @throws InputException {@code expected a string, got <type>} if it is not a string
     */
    public static String string(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw wrongType(node, "a string", path);
        }
        return node.textValue();
    }

    /**
     * The node as an instant: a string in ISO-8601 ({@code 2025-11-25T08:00:00Z}, as {@link Instant#parse} reads
     * it).
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return the instant
     * @throws InputException {@code expected a string, got <type>} if it is not a string, or
     *                        {@code "x" is not an ISO-8601 instant such as 2025-11-25T08:00:00Z}
     */
    public static Instant instant(JsonNode node, String path) {
        String text = string(node, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new InputException(path, "\"" + text + "\" is not an ISO-8601 instant such as 2025-11-25T08:00:00Z");
        }
    }

    /**
     * The node as a boolean.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return its value
     * @throws InputException {@code expected a boolean, got <type>} if it is not a boolean
     */
    public static boolean bool(JsonNode node, String path) {
        if (node == null || !node.isBoolean()) {
            throw wrongType(node, "a boolean", path);
        }
        return node.booleanValue();
    }

    /**
     * The node as a finite double.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @return its value
     * @throws InputException {@code expected a number, got <type>} if it is not a number,
     *                        {@code NaN is not a number} or {@code number is too large: it overflows a double}
     */
    public static double number(JsonNode node, String path) {
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

    /**
     * The node as a finite double within {@code range}.
     *
     * @param node  the node; may be null
     * @param path  its path, the field of the error
     * @param range the values accepted
     * @return its value
     * @throws InputException as {@link #number(JsonNode, String)}, or {@code must be in (0, 1], got 2} if outside
     *                        the range
     */
    public static double number(JsonNode node, String path, Range range) {
        double v = number(node, path);
        if (!range.contains(v)) {
            throw new InputException(path, "must be " + range + ", got " + node.asText());
        }
        return v;
    }

    /**
     * The node as an integer in [min, max]; an integral floating-point literal such as {@code 4.0} is accepted.
     *
     * @param node the node; may be null
     * @param path its path, the field of the error
     * @param min  the least value accepted
     * @param max  the greatest value accepted
     * @return its value
     * @throws InputException as {@link #number(JsonNode, String)}, {@code expected an integer, got 1.5} if it has
     *                        a fraction, or {@code must be an integer in [min, max], got 99} if outside the bounds
     */
    public static int integer(JsonNode node, String path, int min, int max) {
        double v = number(node, path);
        if (v != Math.rint(v)) {
            throw new InputException(path, "expected an integer, got " + node.asText());
        }
        if (v < min || v > max) {
            throw new InputException(path, "must be an integer in [" + min + ", " + max + "], got " + node.asText());
        }
        return (int) v;
    }

    /**
     * The value of an optional key as a string, or {@code fallback} if the key is absent.
     *
     * @param object   an object node
     * @param key      the key
     * @param path     the object's path ("" for the root); the key's path is the field of an error
     * @param fallback the value of an absent key
     * @return the key's value or the fallback
     * @throws InputException as {@link #string(JsonNode, String)}
     */
    public static String optionalString(JsonNode object, String key, String path, String fallback) {
        JsonNode v = object.get(key);
        return v == null ? fallback : string(v, child(path, key));
    }

    /**
     * The value of an optional key as a boolean, or {@code fallback} if the key is absent.
     *
     * @param object   an object node
     * @param key      the key
     * @param path     the object's path ("" for the root); the key's path is the field of an error
     * @param fallback the value of an absent key
     * @return the key's value or the fallback
     * @throws InputException as {@link #bool(JsonNode, String)}
     */
    public static boolean optionalBool(JsonNode object, String key, String path, boolean fallback) {
        JsonNode v = object.get(key);
        return v == null ? fallback : bool(v, child(path, key));
    }

    /**
     * The value of an optional key as a finite double, or {@code fallback} if the key is absent.
     *
     * @param object   an object node
     * @param key      the key
     * @param path     the object's path ("" for the root); the key's path is the field of an error
     * @param fallback the value of an absent key
     * @return the key's value or the fallback
     * @throws InputException as {@link #number(JsonNode, String)}
     */
    public static double optionalNumber(JsonNode object, String key, String path, double fallback) {
        JsonNode v = object.get(key);
        return v == null ? fallback : number(v, child(path, key));
    }

    /**
     * The value of an optional key as a finite double within {@code range}, or {@code fallback} if the key is
     * absent (the fallback is not checked against the range).
     *
     * @param object   an object node
     * @param key      the key
     * @param path     the object's path ("" for the root); the key's path is the field of an error
     * @param fallback the value of an absent key
     * @param range    the values accepted
     * @return the key's value or the fallback
     * @throws InputException as {@link #number(JsonNode, String, Range)}
     */
    public static double optionalNumber(JsonNode object, String key, String path, double fallback, Range range) {
        JsonNode v = object.get(key);
        return v == null ? fallback : number(v, child(path, key), range);
    }

    /**
     * The value of an optional key as an integer in [min, max], or {@code fallback} if the key is absent (the
     * fallback is not checked against the bounds).
     *
     * @param object   an object node
     * @param key      the key
     * @param path     the object's path ("" for the root); the key's path is the field of an error
     * @param fallback the value of an absent key
     * @param min      the least value accepted
     * @param max      the greatest value accepted
     * @return the key's value or the fallback
     * @throws InputException as {@link #integer(JsonNode, String, int, int)}
     */
    public static int optionalInteger(JsonNode object, String key, String path, int fallback, int min, int max) {
        JsonNode v = object.get(key);
        return v == null ? fallback : integer(v, child(path, key), min, max);
    }

    /**
     * Entries of an object, in document order.
     *
     * @param object an object node
     * @return its keys and values
     */
    public static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        return object.properties();
    }

    /**
     * The JSON type of a node, as a user would name it in an error: {@code object}, {@code array},
     * {@code string}, {@code empty string}, {@code number}, {@code boolean}, {@code null}, or {@code nothing} for
     * no node at all.
     *
     * @param node the node; may be null
     * @return its type's name
     */
    public static String typeName(JsonNode node) {
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
    public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
        /**
         * [min, max].
         *
         * @param min lower bound, accepted
         * @param max upper bound, accepted
         * @return the range
         */
        public static Range closed(double min, double max) {
            return new Range(min, true, max, true);
        }

        /**
         * (min, max].
         *
         * @param min lower bound, not accepted
         * @param max upper bound, accepted
         * @return the range
         */
        public static Range aboveTo(double min, double max) {
            return new Range(min, false, max, true);
        }

        /**
         * Whether the range accepts {@code v}.
         *
         * @param v a value
         * @return true if it is within the bounds
         */
        public boolean contains(double v) {
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
