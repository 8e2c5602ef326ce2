package io.upm.backtest.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.backtest.TestHistories;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The simulator on the real 2021-05-19 crash (skipped with a message when ../shared/data/market is absent): the finest
 * file of each underlying is used, the path passes through every bar's open, low, high and close, the crash liquidates
 * and the run is deterministic.
 */
class RealCrashSimulationTest {
    @Test
    void may19th2021() {
        Path dir = TestHistories.realData().orElse(null);
        Assumptions.assumeTrue(dir != null, TestHistories.NO_REAL_DATA);
        LocalDate day = LocalDate.of(2021, 5, 19);
        MarketPaths paths = MarketPaths.load(dir, day, day);
        assertThat(paths.sources()).containsEntry("BTC", "btc_usdt_binance_1h.csv")
            .containsEntry("ETH", "eth_usdt_binance_2h.csv").containsEntry("SOL", "sol_usdt_binance_4h.csv");
        assertThat(paths.minutes()).isEqualTo(1440);
        OhlcBars btc = OhlcBars.read(dir.resolve("btc_usdt_binance_1h.csv"));
        int first = btc.firstAtOrAfter(paths.startMinute());
        double low = Double.POSITIVE_INFINITY;
        for (int h = 0; h < 24; h++) {
            int i = first + h;
            assertThat(paths.price("BTC", 60 * h)).isEqualTo(btc.open(i));
            assertThat(paths.price("BTC", 60 * h + 20)).isIn(btc.low(i), btc.high(i));
            assertThat(paths.price("BTC", 60 * h + 40)).isIn(btc.low(i), btc.high(i));
            low = Math.min(low, btc.low(i));
        }
        assertThat(paths.price("BTC", 1440)).isEqualTo(btc.close(first + 23));
        assertThat(low).as("the day's low, about 30,000").isBetween(29_000.0, 31_500.0);
        SimulationSettings s = SimulationSettings.defaults(120, 1);
        List<SimulationResult> r = CrashSimulator.run(paths, s, List.of(LiquidationPolicy.values()));
        for (SimulationResult x : r) {
            assertThat(x.steps()).as(x.policy().wireName()).isNotEmpty();
        }
        assertThat(SimulationReportWriter.toJson(CrashSimulator.run(paths, s, List.of(LiquidationPolicy.values()))))
            .isEqualTo(SimulationReportWriter.toJson(r));
    }
}
