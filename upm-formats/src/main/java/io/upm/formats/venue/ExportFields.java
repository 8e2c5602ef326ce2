package io.upm.formats.venue;

import static io.upm.formats.TreeFields.child;
import static io.upm.formats.TreeFields.element;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.TreeFields;
import io.upm.input.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Field access for venue exports. The venues send most numbers as JSON strings ({@code "pos": "-12"}), Deribit as
 * JSON numbers: both are read, strictly (a string must be a plain decimal number), every error naming the field.
 * Only the fields UPM uses are read; the venues' other fields are ignored, since their APIs add fields over time.
 */
final class ExportFields {
    private ExportFields() {
    }

    /** A node located in the export: the node and its path. */
    record Located(JsonNode node, String path) {
    }

    /**
     * The responses under a key of the export: one response object, or an array of them (one per currency or
     * category, as the venue pages them).
     */
    static List<Located> responses(JsonNode node, String path) {
        List<Located> out = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Located(TreeFields.object(node.get(i), element(path, i)), element(path, i)));
            }
        } else {
            out.add(new Located(TreeFields.object(node, path), path));
        }
        return out;
    }

    /** The elements of the array at {@code key} of {@code object}, each an object. */
    static List<Located> objects(JsonNode object, String key, String path) {
        String p = child(path, key);
        JsonNode a = TreeFields.array(TreeFields.required(object, key, path), p);
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(new Located(TreeFields.object(a.get(i), element(p, i)), element(p, i)));
        }
        return out;
    }

    /** A required string. */
    static String string(JsonNode object, String key, String path) {
        return TreeFields.string(TreeFields.required(object, key, path), child(path, key));
    }

    /** A required number, given as a JSON number or a decimal string. */
    static double number(JsonNode object, String key, String path) {
        double v = optionalNumber(object, key, path);
        if (Double.isNaN(v)) {
            throw new InputException(child(path, key), object.has(key) ? "empty: a number is required"
                : "missing required field");
        }
        return v;
    }

    /** An optional number, given as a JSON number or a decimal string; NaN when absent, null or an empty string. */
    static double optionalNumber(JsonNode object, String key, String path) {
        JsonNode v = object.get(key);
        String p = child(path, key);
        if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return TreeFields.number(v, p);
        }
        if (!v.isTextual()) {
            throw new InputException(p, "expected a number or a decimal string, got " + TreeFields.typeName(v));
        }
        String t = v.textValue();
        if (!t.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new InputException(p, "\"" + t + "\" is not a decimal number");
        }
        double d = Double.parseDouble(t);
        if (!Double.isFinite(d)) {
            throw new InputException(p, "number is too large: it overflows a double");
        }
        return d;
    }
}
