package io.upm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The files a one-account command reads ({@code upm margin}, {@code upm whatif}, {@code upm hedge}): one definition of
 * {@code --market}, {@code --portfolio} and {@code --params}, mixed into each command (picocli {@code @Mixin}).
 */
final class AccountFiles {
    @Option(names = "--market", required = true, paramLabel = "M.json", description = "market snapshot (FORMATS.md)")
    Path market;

    @Option(names = "--portfolio", required = true, paramLabel = "P.json", description = "portfolio (FORMATS.md)")
    Path portfolio;

    @Option(names = "--params", paramLabel = "X.json|X.yaml",
        description = "margin parameters overriding MODEL.md's defaults")
    Path params;
}
