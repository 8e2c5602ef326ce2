package io.upm.backtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.vol.SyntheticHistories;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.backtest.vol.VolatilityScanRanges;
import io.upm.margin.MarginCalculator;
import io.upm.margin.params.MarginParameters;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The risk-matrix model equals MarginCalculator's report, with static or volatility-aware scan ranges. */
class RiskMatrixMarginModelTest {
    static final MarginParameters PARAMS = MarginParameters.defaults();
    static final DailyHistory HISTORY = SyntheticHistories.regimeHistory(9L, 1500, 0.7, 900, 600);

    static Portfolio portfolio(int t) {
        String e = FhsMarginModelTest.expiry(t, 30);
        return new Portfolio("a", new LinkedHashMap<>(Map.of("ETH", 2.0, "USDC", -1000.0)), List.of(
            Position.of(InstrumentNames.parse("BTC_USDC-PERPETUAL", "p"), 1.0, HISTORY.close("BTC", t), "p"),
            Position.of(InstrumentNames.parse("ETH_USDC-PERPETUAL", "p"), -2.0, HISTORY.close("ETH", t), "p"),
            Position.of(InstrumentNames.parse("BTC-" + e + "-" + Math.round(HISTORY.close("BTC", t) * 1.2 / 100) * 100
                + "-C", "p"), -1.0, Double.NaN, "p")));
    }

    @Test
    void staticRangesGiveMarginCalculatorsMaintenanceMargin() {
        RiskMatrixMarginModel m = new RiskMatrixMarginModel(PARAMS);
        assertThat(m.name()).isEqualTo("matrix");
        for (int t = 1000; t < 1400; t += 50) {
            BacktestDay d = SyntheticHistories.day(HISTORY, t, 0.7);
            Portfolio p = portfolio(t);
            assertThat(m.maintenanceMargin(d, p)).isCloseTo(MarginCalculator.report(d.market(), p, PARAMS)
                .maintenanceMargin(), within(1e-9));
            assertThat(m.parameters(d)).isSameAs(PARAMS);
        }
    }

    @Test
    void volatilityAwareRangesGiveTheReportUnderThatDaysParameters() {
        RiskMatrixMarginModel m = new RiskMatrixMarginModel(PARAMS, VolatilityScanRangeSettings.defaults());
        assertThat(m.name()).isEqualTo("matrix-vol");
        VolatilityScanRanges ranges = m.scanRanges(HISTORY);
        assertThat(m.scanRanges(HISTORY)).isSameAs(ranges);
        double calm = 0.0;
        double stressed = 0.0;
        for (int t = 650; t < 1400; t += 25) {
            BacktestDay d = SyntheticHistories.day(HISTORY, t, 0.7);
            Portfolio p = portfolio(t);
            MarginParameters dayParams = ranges.parameters(PARAMS, t);
            assertThat(m.parameters(d)).isEqualTo(dayParams);
            assertThat(dayParams.asset("BTC").scanRange()).isEqualTo(ranges.scanRange("BTC", t));
            assertThat(m.maintenanceMargin(d, p)).isCloseTo(MarginCalculator.report(d.market(), p, dayParams)
                .maintenanceMargin(), within(1e-9));
            if (t == 675) {
                calm = dayParams.asset("BTC").scanRange();
            } else if (t == 775) {
                stressed = dayParams.asset("BTC").scanRange();
            }
        }
        assertThat(stressed).isGreaterThan(1.5 * calm);
    }
}
