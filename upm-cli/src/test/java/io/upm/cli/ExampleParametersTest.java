package io.upm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.formats.ParametersReader;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every parameters file in examples/ reads, and each changes what its comment says it changes (and only that). */
class ExampleParametersTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static MarginParameters read(String name) throws Exception {
        return ParametersReader.read(Files.readString(EXAMPLES.resolve(name)), name);
    }

    @Test
    void everyExampleParametersFileReads() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("params-")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            assertThat(read(f.getFileName().toString())).as(f.toString()).isNotEqualTo(MarginParameters.defaults());
        }
    }

    @Test
    void theDailyReplayParametersKeepQuotesFreshBetweenDailyClosesAndChangeNothingElse() throws Exception {
        MarginParameters p = read("params-daily-replay.yaml");
        assertThat(p.index().defaults().staleAfterSeconds()).isEqualTo(36 * 3600.0);
        assertThat(p.index().defaults().twapWindowSeconds()).isEqualTo(86_400.0);
        assertThat(p.index().defaults().outlierBand()).isEqualTo(MarginParameters.defaults().index().defaults().outlierBand());
        assertThat(p.toBuilder().index(MarginParameters.defaults().index()).build()).isEqualTo(MarginParameters.defaults());
    }
}
