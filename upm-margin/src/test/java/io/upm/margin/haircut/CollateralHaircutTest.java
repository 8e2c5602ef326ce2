package io.upm.margin.haircut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.input.InputException;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.MarginParameters;
import org.junit.jupiter.api.Test;

/** The terms of MODEL.md section 10, against the figures its text gives. */
class CollateralHaircutTest {
    private static final DynamicHaircutParameters MODEL = DynamicHaircutParameters.defaults();

    @Test
    void aDepegOfThreePercentCostsFivePercent() {
        // MODEL.md section 10: depeg = 2 x max(0, 0.995 - p), "a depeg of 3% costs 5%"
        assertThat(CollateralHaircut.depegRate(MODEL, 0.97)).isCloseTo(0.05, within(1e-12));
        assertThat(CollateralHaircut.depegRate(MODEL, 0.995)).isZero();
        assertThat(CollateralHaircut.depegRate(MODEL, 1.01)).isZero();
    }

    @Test
    void theVolatilityTermIsTheOneDay99PercentMove() {
        // 2.33 x 0.5 / sqrt(365) = 0.0609787...
        assertThat(CollateralHaircut.volatilityRate(MODEL, 0.5)).isCloseTo(2.33 * 0.5 / Math.sqrt(365), within(1e-15));
        assertThat(CollateralHaircut.volatilityRate(MODEL, Double.NaN)).isZero();
    }

    @Test
    void theSizeTermIsTheSquareRootImpact() {
        double k = CollateralHaircut.sizeCoefficient(MODEL, 0.8, 1e9);
        double v = 4e7;
        assertThat(k * Math.sqrt(v)).isCloseTo(0.5 * 0.8 * Math.sqrt(v / 1e9) * Math.sqrt(1 / 365.0), within(1e-15));
        assertThat(CollateralHaircut.sizeCoefficient(MODEL, 0.8, Double.NaN)).isZero();
        assertThat(CollateralHaircut.sizeCoefficient(MODEL, Double.NaN, 1e9)).isZero();
    }

    @Test
    void theTierIsTheFloorAndTheHaircutNeverExceedsTheBalance() {
        assertThat(CollateralHaircut.haircutUsd(123.456, 0.0, 0.0, 1e6)).isEqualTo(123.456);
        assertThat(CollateralHaircut.haircutUsd(1000, 0.0005, 0.0, 1e6)).isEqualTo(1000); // 500 < tier
        assertThat(CollateralHaircut.haircutUsd(1000, 0.01, 0.001, 1e6)).isCloseTo(11_000, within(1e-9));
        assertThat(CollateralHaircut.haircutUsd(0, 1.59, 0.0, 5e5)).isEqualTo(5e5);
        assertThat(CollateralHaircut.haircutUsd(10, 0.5, 0.1, -5)).isZero();
    }

    @Test
    void theBindingTermIsTheLargestAboveTheTier() {
        assertThat(CollateralHaircut.bindingTerm(0.0, 0.0, 0.0)).isEqualTo(CollateralHaircut.TIER);
        assertThat(CollateralHaircut.bindingTerm(0.01, 0.01, 0.0)).isEqualTo(CollateralHaircut.TIER);
        assertThat(CollateralHaircut.bindingTerm(0.01, 0.02, 0.015)).isEqualTo(CollateralHaircut.VOLATILITY);
        assertThat(CollateralHaircut.bindingTerm(0.01, 0.02, 0.05)).isEqualTo(CollateralHaircut.DEPEG);
    }

    @Test
    void parametersOutOfRangeAreNamedByTheirPath() {
        assertThatThrownBy(() -> MarginParameters.builder().haircutVolQuantile(-1).build())
            .isInstanceOf(InputException.class).hasMessageContaining("dynamicHaircut.volQuantile");
        assertThatThrownBy(() -> MarginParameters.builder().haircutDepegTolerance(2).build())
            .isInstanceOf(InputException.class).hasMessageContaining("dynamicHaircut.depegTolerance");
        assertThat(MarginParameters.builder().dynamicHaircut(DynamicHaircutParameters.off()).build().dynamicHaircut()
            .isOff()).isTrue();
        assertThat(MarginParameters.defaults().dynamicHaircut()).isEqualTo(MODEL);
    }
}
