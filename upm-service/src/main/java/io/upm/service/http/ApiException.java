package io.upm.service.http;

/**
 * A request the service refuses, with its HTTP status and the error body's field and message
 * ({@code {"error": {"field": "...", "message": "..."}}}, FORMATS.md "HTTP API").
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;

    /**
     * A refusal.
     *
     * @param status  the HTTP status (400, 401, 403, 404, 413, 429, 503)
     * @param field   the offending field, or "" for the request as a whole
     * @param message what is wrong
     */
    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The offending field, or "". */
    public String field() {
        return field;
    }

    /** 404 for an account the key may not see, whether it exists or not: the same answer for both. */
    public static ApiException noSuchAccount() {
        return new ApiException(404, "account", "no such account");
    }
}
