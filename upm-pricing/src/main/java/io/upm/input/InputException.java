package io.upm.input;

/**
 * Bad input: a value in a portfolio, market snapshot, parameters file or command that UPM refuses.
 *
 * <p>It names the offending field by its path in the document ({@code positions[1].instrument},
 * {@code vols.BTC.27MAR26.90000}) so the caller can print one line such as
 * {@code portfolio.json: positions[1].instrument: unknown expiry month "DEX"}. Nothing that raised it
 * has changed any state: validation happens before anything is applied.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * @param field   the path of the offending field; empty for the document as a whole
     * @param problem what is wrong with it, in a few words
     */
    public InputException(String field, String problem) {
        super(field == null || field.isEmpty() ? problem : field + ": " + problem);
        this.field = field == null ? "" : field;
        this.problem = problem;
    }

    /** The path of the offending field, e.g. {@code positions[1].size}; empty for the whole document. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field name. */
    public String problem() {
        return problem;
    }

    /** The same problem, with the field path put below {@code parent} (e.g. a document prefix). */
    public InputException under(String parent) {
        String path = field.isEmpty() ? parent : parent + (field.startsWith("[") ? "" : ".") + field;
        return new InputException(path, problem);
    }
}
