package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value of holdings on a snapshot, including instruments that expired inside the horizon. */
class PortfolioValuationTest {
    static final Set<String> STABLE = Set.of("USDC", "USDT");

    static MarketSnapshot market(String time, double btc) {
        return MarketSnapshot.builder(Instant.parse(time)).price("BTC", btc).flatVol("BTC", 0.5).build();
    }

    static Position pos(String name, double size, double entry) {
        return Position.of(InstrumentNames.parse(name, "x"), size, entry, "x");
    }

    @Test
    void balancesPerpsFuturesAndOptionsAreValuedAsModelMdSays() {
        MarketSnapshot m = market("2025-01-10T00:00:00Z", 100_000);
        Portfolio p = new Portfolio("a", Map.of("BTC", 2.0, "USDC", -50_000.0, "USDT", 10.0), List.of(
            pos("BTC_USDC-PERPETUAL", 3, 90_000),
            pos("BTC-PERPETUAL", 10_000, 80_000),
            pos("BTC_USDC-28MAR25-120000-C", -1, Double.NaN)));
        double t = m.yearFraction(Instant.parse("2025-03-28T08:00:00Z"));
        double call = Black76.price(true, 100_000, 120_000, t, 0.5, 0);
        double expected = 200_000 - 50_000 + 10 + 3 * 10_000 + 10_000 * (1 / 80_000.0 - 1 / 100_000.0) * 100_000 - call;
        assertThat(PortfolioValuation.value(p, m, STABLE)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void anInstrumentThatExpiredInsideTheHorizonIsWorthItsSettlementAtTheIndex() {
        MarketSnapshot after = market("2025-03-29T00:00:00Z", 130_000);
        Portfolio p = new Portfolio("a", Map.of(), List.of(
            pos("BTC_USDC-28MAR25-120000-C", -1, Double.NaN),
            pos("BTC_USDC-28MAR25-120000-P", 2, Double.NaN),
            pos("BTC_USDC-28MAR25", 1, 110_000)));
        assertThat(PortfolioValuation.value(p, after, STABLE)).isCloseTo(-10_000 + 0 + 20_000, within(1e-9));
    }

    @Test
    void anUnpricedAssetIsNamed() {
        Portfolio p = new Portfolio("a", Map.of("XRP", 5.0), List.of());
        assertThatThrownBy(() -> PortfolioValuation.value(p, market("2025-01-10T00:00:00Z", 1), STABLE))
            .isInstanceOf(InputException.class).hasMessageStartingWith("balances.XRP");
    }
}
