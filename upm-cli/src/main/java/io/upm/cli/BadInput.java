package io.upm.cli;

/**
 * Bad input already formatted as the one line the CLI prints on stderr
 * ({@code portfolio.json: positions[1].instrument: unknown expiry month "DEX"}).
 */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String line) {
        super(line, null, false, false);
    }
}
