package io.upm.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.MarginParameters;
import org.junit.jupiter.api.Test;

/** The {@code dynamicHaircut} block of a parameters file (MODEL.md section 10). */
class DynamicHaircutParametersFileTest {
    @Test
    void overridesOnlyTheValuesItGivesAndRoundTrips() {
        MarginParameters p = ParametersReader.read("dynamicHaircut: { volQuantile: 3.09, impactFactor: 0 }\n"
            + "stablecoins: [USD, USDC, USDT, DAI, UST]\n", "p.yaml");
        DynamicHaircutParameters d = p.dynamicHaircut();
        assertThat(d.volQuantile()).isEqualTo(3.09);
        assertThat(d.impactFactor()).isZero();
        assertThat(d.depegTolerance()).isEqualTo(0.005);
        assertThat(d.depegMultiplier()).isEqualTo(2.0);
        assertThat(p.isStablecoin("UST")).isTrue();
        assertThat(ParametersReader.read(ParametersWriter.toJson(p), "p.json")).isEqualTo(p);
    }

    @Test
    void badValuesAndUnknownKeysAreNamedByTheirPath() {
        assertThatThrownBy(() -> ParametersReader.read("dynamicHaircut: { depegMultiplier: -2 }", "p.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("dynamicHaircut.depegMultiplier");
        assertThatThrownBy(() -> ParametersReader.read("dynamicHaircut: { volQuantil: 2 }", "p.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("volQuantil");
        assertThatThrownBy(() -> ParametersReader.read("dynamicHaircut: 2", "p.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("dynamicHaircut");
    }
}
