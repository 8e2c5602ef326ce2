package io.upm.cli;

/** Output formats of the CLI. */
enum OutputFormat {
    /** A readable table. */
    table,
    /** JSON (FORMATS.md). */
    json
}
