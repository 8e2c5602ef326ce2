package io.upm.formats;

import io.upm.input.InputException;

/**
 * The two ways UPM reports bad input (FORMATS.md, "Errors"): one line for the CLI's stderr,
 * {@code portfolio.json: positions[1].instrument: unknown expiry month "DEX"}, and the HTTP API's body,
 * {@code {"error":{"field":"positions[1].instrument","message":"unknown expiry month \"DEX\""}}}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorLine {
    private ErrorLine() {
    }

    /**
     * The CLI's error line: source, field (omitted when the problem is with the document as a whole) and
     * problem, separated by {@code ": "}, on one line and without a trailing newline.
     *
     * @param sourceName the file name as given on the command line, e.g. {@code portfolio.json}
     * @param e          the problem
     */
    public static String format(String sourceName, InputException e) {
        StringBuilder sb = new StringBuilder();
        if (sourceName != null && !sourceName.isEmpty()) {
            sb.append(sourceName).append(": ");
        }
        if (!e.field().isEmpty()) {
            sb.append(e.field()).append(": ");
        }
        sb.append(problem(e));
        return DocumentParser.oneLine(sb.toString());
    }

    /**
     * The HTTP API's error body, {@code {"error":{"field":"...","message":"..."}}}, on one line; field is
     * "" for a problem with the document as a whole.
     */
    public static String json(InputException e) {
        return JsonOutput.compact()
            .startObject()
            .startObject("error")
            .string("field", e.field())
            .string("message", DocumentParser.oneLine(problem(e)))
            .endObject()
            .endObject()
            .finish();
    }

    private static String problem(InputException e) {
        return e.problem() == null ? "invalid input" : e.problem();
    }
}
