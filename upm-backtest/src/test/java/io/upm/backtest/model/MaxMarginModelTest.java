package io.upm.backtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.MarginModel;
import io.upm.backtest.vol.SyntheticHistories;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Portfolio;
import org.junit.jupiter.api.Test;

/** The max model, and the factory that builds every model by name. */
class MaxMarginModelTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();

    /** A model that returns a fixed margin. */
    record Fixed(String name, double mm) implements MarginModel {
        @Override
        public double maintenanceMargin(BacktestDay day, Portfolio portfolio) {
            return mm;
        }
    }

    @Test
    void theMaxModelIsTheLargerOfItsTwoModels() {
        MaxMarginModel a = new MaxMarginModel(new Fixed("x", 10.0), new Fixed("y", 25.0));
        assertThat(a.maintenanceMargin(null, null)).isEqualTo(25.0);
        assertThat(a.lastFirst()).isEqualTo(10.0);
        assertThat(a.lastSecond()).isEqualTo(25.0);
        assertThat(new MaxMarginModel(new Fixed("x", 7.0), new Fixed("y", -1.0)).maintenanceMargin(null, null))
            .isEqualTo(7.0);
        assertThat(a.name()).isEqualTo("max");
    }

    @Test
    void theMaxOfMatrixAndFhsEqualsTheLargerOnEachDay() {
        BacktestModelSettings s = BacktestModelSettings.defaults();
        MarginModel max = MarginModels.create("max", PARAMS, s);
        MarginModel matrix = MarginModels.create("matrix", PARAMS, s);
        MarginModel fhs = MarginModels.create("fhs", PARAMS, s);
        assertThat(max).isInstanceOf(MaxMarginModel.class);
        boolean matrixWon = false;
        boolean fhsWon = false;
        for (int t = 1000; t < 1450; t += 15) {
            BacktestDay d = SyntheticHistories.day(RiskMatrixMarginModelTest.HISTORY, t, 0.7);
            Portfolio p = RiskMatrixMarginModelTest.portfolio(t);
            double a = matrix.maintenanceMargin(d, p);
            double b = fhs.maintenanceMargin(d, p);
            assertThat(max.maintenanceMargin(d, p)).isEqualTo(Math.max(a, b));
            matrixWon |= a > b;
            fhsWon |= b > a;
        }
        assertThat(matrixWon || fhsWon).isTrue();
    }

    @Test
    void theFactoryBuildsEveryModelByName() {
        BacktestModelSettings plain = BacktestModelSettings.defaults();
        assertThat(MarginModels.create("matrix", PARAMS, plain).name()).isEqualTo("matrix");
        assertThat(MarginModels.create("matrix-vol", PARAMS, plain).name()).isEqualTo("matrix-vol");
        assertThat(MarginModels.create("fhs", PARAMS, plain).name()).isEqualTo("fhs");
        assertThat(MarginModels.create("max", PARAMS, null).name()).isEqualTo("max");
        BacktestModelSettings vol = new BacktestModelSettings("max", null, VolatilityScanRangeSettings.defaults());
        MaxMarginModel max = (MaxMarginModel) MarginModels.create(PARAMS, vol);
        assertThat(max.first().name()).isEqualTo("matrix-vol");
        assertThat(max.second()).isInstanceOf(FhsMarginModel.class);
        assertThat(MarginModels.create("matrix", PARAMS, vol).name()).isEqualTo("matrix-vol");
        assertThat(MarginModels.NAMES).containsExactly("matrix", "matrix-vol", "fhs", "max");
        assertThatThrownBy(() -> MarginModels.create("var", PARAMS, plain)).isInstanceOf(InputException.class)
            .hasMessageContaining("model").hasMessageContaining("var");
        assertThatThrownBy(() -> plain.withModel("nope")).isInstanceOf(InputException.class);
    }
}
