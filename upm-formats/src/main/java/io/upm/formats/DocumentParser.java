package io.upm.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.upm.input.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns the text of a document into a Jackson tree, strictly: duplicate keys, NaN and Infinity literals,
 * trailing content after the document and an empty document are all rejected as {@link InputException}s,
 * and a syntax error is reported with its line and column. Numbers that overflow a double are caught
 * later, by {@link TreeFields}, where the field is known.
 *
 * <p>This is the one strict document reader of UPM: the readers of this package and those of other modules
 * (the backtest settings, for one) parse with it, so that every UPM document rejects the same things with
 * the same messages. The usual sequence is {@link #readText(Path)}, {@link #sniff(String, String)}, then
 * {@link #parse(String, Syntax)} (or {@link #parseOptional(String, Syntax)} where an empty document means
 * "all defaults"), and {@link TreeFields} to read the fields of the tree.
 *
 * <p>Thread-safe: the factories and mappers are configured once and never changed.
 */
public final class DocumentParser {
    /** The document syntaxes UPM reads. */
    public enum Syntax {
        /** JSON (RFC 8259). */
        JSON,
        /** YAML 1.1, as SnakeYAML reads it. */
        YAML
    }

    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final YAMLFactory YAML_FACTORY = YAMLFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper(JSON_FACTORY);
    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(YAML_FACTORY);

    private DocumentParser() {
    }

    /**
     * The text of a file, decoded as UTF-8 (a leading byte-order mark is dropped).
     *
     * @param file the file to read
     * @return its text
     * @throws InputException with field "" and the problem {@code cannot read the file: no such file},
     *                        {@code cannot read the file: permission denied}, {@code cannot read the file: <reason>}
     *                        or {@code the file is not valid UTF-8 text}
     */
    public static String readText(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException("", "cannot read the file: no such file");
        } catch (AccessDeniedException e) {
            throw new InputException("", "cannot read the file: permission denied");
        } catch (IOException e) {
            throw new InputException("", "cannot read the file: " + oneLine(String.valueOf(e.getMessage())));
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InputException("", "the file is not valid UTF-8 text");
        }
    }

    /**
     * The root of a JSON document: {@link #parse(String, Syntax)} with {@link Syntax#JSON}.
     *
     * @param text the document
     * @return its root, any JSON value
     * @throws InputException as {@link #parse(String, Syntax)}
     */
    public static JsonNode parseJson(String text) {
        return parse(text, Syntax.JSON);
    }

    /**
     * The root of a document in the given syntax: any JSON value (the caller checks its type).
     *
     * @param text   the document
     * @param syntax its syntax, e.g. from {@link #sniff(String, String)}
     * @return its root, never null (a document {@code null} gives a null node)
     * @throws InputException with field "" and the problem {@code empty document} for no text, only blanks or
     *                        only comments; for everything else as {@link #parseOptional(String, Syntax)}
     */
    public static JsonNode parse(String text, Syntax syntax) {
        return parseOptional(text, syntax).orElseThrow(() -> new InputException("", "empty document"));
    }

    /**
     * The root of a document in the given syntax, or nothing for an empty document: for a document every key
     * of which is optional, where an empty file means "all defaults". Strict otherwise, as
     * {@link #parse(String, Syntax)}.
     *
     * @param text   the document; null, blanks only or comments only make an empty document
     * @param syntax its syntax, e.g. from {@link #sniff(String, String)}
     * @return its root, any JSON value (a document {@code null} gives a null node), or empty
     * @throws InputException for a syntax error (field "", {@code invalid JSON: ...} or {@code invalid YAML: ...}
     *                        with line and column); a duplicate key ({@code duplicate key "k"}), a NaN or Infinity
     *                        literal ({@code NaN is not a number: JSON has no NaN or Infinity}, or for YAML
     *                        {@code .nan is not a finite number}), each naming the field; content after the end
     *                        of the document (field "", {@code unexpected content after the end of the document})
     */
    public static Optional<JsonNode> parseOptional(String text, Syntax syntax) {
        if (text == null) {
            return Optional.empty();
        }
        JsonFactory factory = syntax == Syntax.JSON ? JSON_FACTORY : YAML_FACTORY;
        ObjectMapper mapper = syntax == Syntax.JSON ? JSON_MAPPER : YAML_MAPPER;
        try (JsonParser parser = factory.createParser(text)) {
            JsonNode root;
            try {
                if (parser.nextToken() == null) {
                    return Optional.empty();
                }
                root = mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                throw syntaxError(e);
            }
            JsonLocation end = parser.currentLocation();
            JsonToken next;
            try {
                next = parser.nextToken();
            } catch (JsonProcessingException e) {
                next = JsonToken.NOT_AVAILABLE;
                end = e.getLocation() == null ? end : e.getLocation();
            }
            if (next != null) {
                JsonLocation at = next == JsonToken.NOT_AVAILABLE ? end : parser.currentTokenLocation();
                throw new InputException("", "unexpected content after the end of the document" + where(at));
            }
            return root == null || root.isMissingNode() ? Optional.empty() : Optional.of(root);
        } catch (IOException e) {
            // a String source does no I/O; anything else Jackson raises here is a malformed document
            throw new InputException("", "unreadable document: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Which syntax a document is in: JSON for a name ending in {@code .json}, YAML for {@code .yaml} or
     * {@code .yml} (in any case), else JSON if its first character other than blanks is an opening brace or
     * bracket, else YAML. Never throws.
     *
     * @param text       the document; may be null
     * @param sourceName its file name or path; may be null or empty
     * @return the syntax to parse it with
     */
    public static Syntax sniff(String text, String sourceName) {
        String name = sourceName == null ? "" : sourceName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return Syntax.JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Syntax.YAML;
        }
        if (text != null) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!Character.isWhitespace(c) && c != '\uFEFF') {
                    return c == '{' || c == '[' ? Syntax.JSON : Syntax.YAML;
                }
            }
        }
        return Syntax.JSON;
    }

    private static InputException syntaxError(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String field = "";
        if (e.getProcessor() instanceof JsonParser p) {
            field = pathOf(p.getParsingContext());
        }
        String at = where(e.getLocation());
        if (message.startsWith("Non-standard token '")) {
            String token = between(message, "'", "'");
            return new InputException(field, token + " is not a number: JSON has no NaN or Infinity" + at);
        }
        if (message.startsWith("Malformed numeric value '")) {
            // YAML's .nan and .inf
            String token = between(message, "'", "'");
            return new InputException(field, token + " is not a finite number" + at);
        }
        if (message.startsWith("Duplicate field '")) {
            String key = between(message, "'", "'");
            return new InputException(field, "duplicate key \"" + key + "\"" + at);
        }
        if (e.getCause() instanceof MarkedYAMLException y) {
            String context = y.getContext() == null ? "" : y.getContext() + ": ";
            message = context + (y.getProblem() == null ? "" : y.getProblem());
        } else {
            int hint = message.indexOf(": was expecting");
            if (message.startsWith("Unrecognized token") && hint > 0) {
                message = message.substring(0, hint);
            }
            message = message.replaceAll(" \\(code -?\\d+\\)", "");
            int marker = message.indexOf(" (start marker at");
            if (marker > 0) {
                message = message.substring(0, marker);
            }
        }
        return new InputException("", "invalid " + (e.getProcessor() instanceof com.fasterxml.jackson.dataformat.yaml
            .YAMLParser ? "YAML" : "JSON") + ": " + oneLine(message) + at);
    }

    /** The field path of a parser context, e.g. {@code positions[1].size}. */
    static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        parts.forEach(sb::append);
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String between(String s, String open, String close) {
        int a = s.indexOf(open);
        int b = s.indexOf(close, a + 1);
        return a >= 0 && b > a ? s.substring(a + 1, b) : s;
    }

    /** A message on one line: each line break, with the blanks around it, becomes one space. */
    static String oneLine(String s) {
        return s.replaceAll("[ \\t]*[\\r\\n]+[ \\t]*", " ").trim();
    }
}
