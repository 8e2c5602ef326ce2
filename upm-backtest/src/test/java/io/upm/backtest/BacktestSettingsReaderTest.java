package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.backtest.model.BacktestModelSettings;
import io.upm.backtest.model.FhsMarginModel;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest settings document: defaults, overrides, and strict rejection naming the field. */
class BacktestSettingsReaderTest {

    @Test
    void anEmptyDocumentGivesTheDefaults() {
        assertThat(BacktestSettingsReader.parse("{}", "s.json")).isEqualTo(BacktestModelSettings.defaults());
        assertThat(BacktestSettingsReader.parse("", "s.yaml")).isEqualTo(BacktestModelSettings.defaults());
        assertThat(BacktestSettingsReader.parse("# model: fhs\n", "s.yaml"))
            .isEqualTo(BacktestModelSettings.defaults());
        assertThat(BacktestSettingsReader.parse("null", "s.json")).isEqualTo(BacktestModelSettings.defaults());
    }

    @Test
    void readsAYamlFileOverridingOnlyTheKeysGiven(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("backtest.yaml");
        Files.writeString(f, """
            model: max
            fhs:
              lookbackDays: 1000
              horizonScaling: sqrt
              missingHistory: joint
              stressPeriods:
                - {from: 2020-03-01, to: 2020-03-31}
            scanRanges:
              model: garch
              buffer: 0
              floorAtStatic: true
            """);
        BacktestModelSettings s = BacktestSettingsReader.read(f);
        assertThat(s.model()).isEqualTo("max");
        FhsMarginModel.Settings d = FhsMarginModel.Settings.defaults();
        assertThat(s.fhs().lookbackDays()).isEqualTo(1000);
        assertThat(s.fhs().horizonScaling()).isEqualTo(FhsMarginModel.HorizonScaling.SQRT);
        assertThat(s.fhs().missingHistory()).isEqualTo(FhsMarginModel.MissingHistory.JOINT);
        assertThat(s.fhs().stressPeriods()).containsExactly(
            new FhsMarginModel.StressPeriod(LocalDate.of(2020, 3, 1), LocalDate.of(2020, 3, 31)));
        assertThat(s.fhs().confidence()).isEqualTo(d.confidence());
        assertThat(s.scanRanges().model()).isEqualTo(VolatilityScanRangeSettings.Model.GARCH);
        assertThat(s.scanRanges().buffer()).isZero();
        assertThat(s.scanRanges().floorAtStatic()).isTrue();
        assertThat(s.scanRanges().lambda()).isEqualTo(0.94);
    }

    @Test
    void readsJsonAndAnEmptyScanRangesSectionMeansItsDefaults() {
        BacktestModelSettings s = BacktestSettingsReader.parse("{\"model\": \"matrix\", \"scanRanges\": {}}", "x.json");
        assertThat(s.scanRanges()).isEqualTo(VolatilityScanRangeSettings.defaults());
        assertThat(BacktestSettingsReader.parse("{\"scanRanges\": null}", "x.json").scanRanges()).isNull();
    }

    @Test
    void rejectsBadInputNamingTheField() {
        assertThatThrownBy(() -> BacktestSettingsReader.parse("{\"modle\": \"fhs\"}", "x.json"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("modle");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("{\"model\": \"var\"}", "x.json"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("model");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("fhs: {lookbak: 3}", "x.yaml"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("fhs.lookbak");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("fhs: {lookbackDays: 10}", "x.yaml"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("fhs.lookbackDays");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("fhs: {lookbackDays: 1461.5}", "x.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("integer");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("scanRanges: {confidence: 1.5}", "x.yaml"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("scanRanges.confidence");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("scanRanges: {model: arch}", "x.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("ewma");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("scanRanges: {floorAtStatic: yes please}", "x.yaml"))
            .isInstanceOf(InputException.class).hasMessageContaining("boolean");
        assertThatThrownBy(() -> BacktestSettingsReader.parse(
            "fhs: {stressPeriods: [{from: 2020-03-31, to: 2020-03-01}]}", "x.yaml"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("fhs.stressPeriods[0].to");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("{\"model\": \"fhs\", \"model\": \"max\"}", "x.json"))
            .isInstanceOf(InputException.class).hasMessageContaining("model");
        assertThatThrownBy(() -> BacktestSettingsReader.parse("{\"model\": ", "x.json"))
            .isInstanceOf(InputException.class).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> BacktestSettingsReader.read(Path.of("/nonexistent/settings.yaml")))
            .isInstanceOf(InputException.class).hasMessageContaining("no such file");
    }
}
