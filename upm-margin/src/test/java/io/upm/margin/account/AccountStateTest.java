package io.upm.margin.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's account state: changes, canonical resolution, and the same margin as the equivalent portfolio. */
class AccountStateTest {
    static final MarketSnapshot MARKET = MarketSnapshot.builder(Instant.parse("2026-11-25T08:00:00Z"))
        .price("BTC", 90_000).price("ETH", 3_000).price("USDC", 1).flatVol("BTC", 0.5).flatVol("ETH", 0.7)
        .correlation("BTC/ETH", 0.8).build();
    static final List<Instrument> UNIVERSE = List.of(InstrumentNames.parse("BTC-PERPETUAL", "x"),
        InstrumentNames.parse("ETH_USDC-PERPETUAL", "x"), InstrumentNames.parse("BTC_USDC-25DEC26-100000-C", "x"));
    static final RiskArrays ARRAYS = RiskArrays.build(MARKET, MarginParameters.defaults(), UNIVERSE,
        UNIVERSE.stream().map(Instrument::name).toList());

    @Test
    void positionsAndBalancesChangeAndVanish() {
        AccountState a = new AccountState("a");
        int usdc = ARRAYS.assetIndex("USDC");
        a.addBalance(usdc, 1_000);
        a.addBalance(usdc, -1_000);
        assertThat(a.balanceCount()).isZero();
        a.setPosition(0, -50_000, 88_000);
        a.setPosition(1, 10, 2_900);
        assertThat(a.positionSize(0)).isEqualTo(-50_000);
        assertThat(a.entryPrice(1)).isEqualTo(2_900);
        a.setPosition(0, 0, 0);
        assertThat(a.positionCount()).isEqualTo(1);
        assertThat(a.positionSize(0)).isZero();
        assertThat(a.entryPrice(0)).isNaN();
    }

    @Test
    void itMarginsLikeTheEquivalentPortfolioInAnyOrderOfChanges() {
        AccountState x = new AccountState("x");
        AccountState y = new AccountState("x");
        x.addBalance(ARRAYS.assetIndex("USDC"), 50_000);
        x.setPosition(0, -50_000, 88_000);
        x.setPosition(2, -1, Double.NaN);
        x.addBalance(ARRAYS.assetIndex("ETH"), 3);
        y.addBalance(ARRAYS.assetIndex("ETH"), 3);
        y.setPosition(2, -1, Double.NaN);
        y.setPosition(0, -50_000, 88_000);
        y.addBalance(ARRAYS.assetIndex("USDC"), 50_000);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double mx = calc.compute(ARRAYS, x.resolve(ARRAYS), -1);
        double my = calc.compute(ARRAYS, y.resolve(ARRAYS), -1);
        double mp = calc.compute(ARRAYS, ResolvedPortfolio.resolve(x.toPortfolio(ARRAYS), ARRAYS), -1);
        assertThat(Double.doubleToLongBits(my)).isEqualTo(Double.doubleToLongBits(mx));
        assertThat(Double.doubleToLongBits(mp)).isEqualTo(Double.doubleToLongBits(mx));
        assertThat(MarginCalculator.report(ARRAYS, x.resolve(ARRAYS), calc).account()).isEqualTo("x");
        // the resolution is cached until a change
        assertThat(x.resolve(ARRAYS)).isSameAs(x.resolve(ARRAYS));
        ResolvedPortfolio before = x.resolve(ARRAYS);
        x.addBalance(ARRAYS.assetIndex("USDC"), 1);
        assertThat(x.resolve(ARRAYS)).isNotSameAs(before);
        // a copy is independent
        AccountState c = x.copy();
        c.setPosition(1, 5, 3_000);
        assertThat(x.positionSize(1)).isZero();
    }
}
