package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --params file with and without a backtest section. */
class BacktestParametersFileTest {
    @TempDir
    Path dir;

    @Test
    void withoutABacktestSectionItIsAPlainParametersFile() throws IOException {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "assets:\n  BTC: { scanRange: 0.12 }\n");
        BacktestParametersFile.Contents c = BacktestParametersFile.read(f);
        assertThat(c.settings()).isNull();
        assertThat(c.margin().asset("BTC").scanRange()).isEqualTo(0.12);
    }

    @Test
    void theBacktestSectionSelectsTheModelAndTheRestAreMarginParameters() throws IOException {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "offsetCap: 0.4\nbacktest:\n  model: max\n  scanRanges: { model: garch }\n");
        BacktestParametersFile.Contents c = BacktestParametersFile.read(f);
        assertThat(c.settings().model()).isEqualTo("max");
        assertThat(c.settings().scanRanges()).isNotNull();
        assertThat(c.margin().offsetCap()).isEqualTo(0.4);
        assertThat(c.margin().asset("BTC")).isEqualTo(MarginParameters.defaults().asset("BTC"));
        Path j = dir.resolve("p.json");
        Files.writeString(j, "{\"backtest\": {\"model\": \"fhs\"}}");
        assertThat(BacktestParametersFile.read(j).settings().model()).isEqualTo("fhs");
    }

    @Test
    void errorsNameTheirFieldUnderTheSection() throws IOException {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "backtest:\n  model: nope\n");
        assertThatThrownBy(() -> BacktestParametersFile.read(f)).isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo("backtest.model"));
        Files.writeString(f, "backtest:\n  model: fhs\nscanRange: 3\n");
        assertThatThrownBy(() -> BacktestParametersFile.read(f)).isInstanceOf(InputException.class)
            .hasMessageContaining("scanRange");
        assertThatThrownBy(() -> BacktestParametersFile.read(dir.resolve("missing.yaml")))
            .hasMessageContaining("no such file");
        Files.writeString(f, "backtest:\n  model: fhs\n  model: max\n");
        assertThatThrownBy(() -> BacktestParametersFile.read(f)).isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo("backtest.model"))
            .hasMessageContaining("duplicate key \"model\"");
    }
}
