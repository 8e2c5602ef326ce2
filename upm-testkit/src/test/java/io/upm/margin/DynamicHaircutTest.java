package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.NaiveMarginCalculator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dynamic haircut of MODEL.md section 10 in the risk core, in lock-step with the naive reference over seeded
 * random markets and balances; the tiers stay the floor bit for bit; the report's balance lines; incremental market
 * updates equal a fresh build.
 */
class DynamicHaircutTest {
    private static final Instant TIME = Instant.parse("2025-11-25T08:00:00Z");
    private static final MarginParameters WITH_UST = MarginParameters.builder()
        .stablecoins(List.of("USD", "USDC", "USDT", "DAI", "UST")).build();
    private static final Instrument PERP = InstrumentNames.parse("BTC_USDC-PERPETUAL", "x");

    /** A random market: stablecoins off their peg or not, with or without a vol and an ADV; BTC with a surface. */
    private static MarketSnapshot randomMarket(SplittableRandom rnd) {
        MarketSnapshot.Builder b = MarketSnapshot.builder(TIME).price("BTC", 90_000).mark("BTC_USDC-PERPETUAL", 90_020)
            .vol("BTC", "26DEC25", "80000", 0.62).vol("BTC", "26DEC25", "90000", 0.55)
            .vol("BTC", "27MAR26", "90000", 0.58).price("XRP", 2.2);
        if (rnd.nextBoolean()) {
            b.adv("BTC", 1e9 + rnd.nextDouble() * 3e10);
        }
        if (rnd.nextBoolean()) {
            b.flatVol("XRP", 0.3 + rnd.nextDouble());
            b.adv("XRP", 1e7 + rnd.nextDouble() * 1e9);
        }
        for (String coin : List.of("USDC", "USDT", "UST")) {
            double r = rnd.nextDouble();
            double price = r < 0.4 ? 1.0 + (rnd.nextDouble() - 0.7) * 0.01 : r < 0.8 ? 0.3 + 0.7 * rnd.nextDouble()
                : 0.02 + 0.1 * rnd.nextDouble();
            b.price(coin, price);
            if (rnd.nextBoolean()) {
                b.flatVol(coin, 0.005 + 3 * rnd.nextDouble());
            }
            if (rnd.nextBoolean()) {
                b.adv(coin, 1e6 + rnd.nextDouble() * 1e10);
            }
        }
        return b.build();
    }

    private static Portfolio randomPortfolio(SplittableRandom rnd, int i) {
        Map<String, Double> balances = new LinkedHashMap<>();
        for (String coin : List.of("USDC", "USDT", "UST", "DAI")) {
            if (rnd.nextInt(4) > 0) {
                double magnitude = Math.pow(10, 3 + 6 * rnd.nextDouble()); // 1e3 to 1e9, across the 50M tier
                balances.put(coin, rnd.nextInt(10) == 0 ? -magnitude / 100 : magnitude);
            }
        }
        if (rnd.nextBoolean()) {
            balances.put("BTC", (rnd.nextDouble() - 0.2) * 2_000); // across the 5M and 50M tiers
        }
        if (rnd.nextBoolean()) {
            balances.put("XRP", rnd.nextDouble() * 1e7);
        }
        List<Position> positions = rnd.nextBoolean() ? List.of(Position.of(PERP, -(1 + rnd.nextInt(50)), 88_000, "p"))
            : List.of();
        return new Portfolio("h" + i, balances, positions);
    }

    @Test
    void equityAndEachBalanceHaircutAgreeWithTheNaiveReference() {
        SplittableRandom rnd = new SplittableRandom(20220509L);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        int dynamicBinding = 0;
        for (int m = 0; m < 60; m++) {
            MarketSnapshot market = randomMarket(rnd);
            for (int k = 0; k < 10; k++) {
                Portfolio p = randomPortfolio(rnd, k);
                RiskArrays arrays = MarginCalculator.arraysFor(market, WITH_UST, List.of(p));
                MarginReport report = MarginCalculator.report(arrays, ResolvedPortfolio.resolve(p, arrays), calc);
                NaiveMarginCalculator.Result naive = new NaiveMarginCalculator().compute(market, p, WITH_UST);
                String what = "market " + m + " account " + k;
                assertThat(report.equity()).as(what + " equity")
                    .isCloseTo(naive.equity(), within(1e-9 * Math.abs(naive.equity()) + 1e-6));
                for (MarginReport.BalanceLine line : report.balances()) {
                    double price = line.price();
                    double expected = line.amount() > 0 ? NaiveMarginCalculator.dynamicHaircut(line.value(),
                        line.asset(), price, market, WITH_UST, p) : 0.0;
                    assertThat(line.haircutUsd()).as(what + " " + line.asset())
                        .isCloseTo(expected, within(1e-9 * Math.abs(line.value()) + 1e-9));
                    assertThat(line.haircut()).isBetween(0.0, 1.0);
                    assertThat(line.haircut()).isGreaterThanOrEqualTo(line.tierHaircut() - 1e-15);
                    if (!line.haircutTerm().equals("tier")) {
                        dynamicBinding++;
                    }
                }
            }
        }
        assertThat(dynamicBinding).as("cases where a dynamic term set the haircut").isGreaterThan(100);
    }

    @Test
    void withTheDynamicTermsOffTheTierFigureIsKeptBitForBit() {
        MarginParameters off = WITH_UST.toBuilder().dynamicHaircut(DynamicHaircutParameters.off()).build();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int m = 0; m < 20; m++) {
            MarketSnapshot market = randomMarket(rnd);
            RiskArrays arrays = RiskArrays.build(market, off, List.of(PERP), List.of("p"));
            for (int a = 0; a < arrays.assetCount(); a++) {
                for (int k = 0; k < 20; k++) {
                    double v = Math.pow(10, 2 + 8 * rnd.nextDouble());
                    assertThat(Double.doubleToLongBits(arrays.haircutUsd(a, v)))
                        .isEqualTo(Double.doubleToLongBits(arrays.assetParams(a).haircut().haircutUsd(v)));
                }
            }
        }
    }

    @Test
    void aStablecoinWithoutVolOrAdvKeepsItsTierAtThePeg() {
        // today's figures: a USDC balance at 1.0 with no USDC vol and no ADV has only its tier (0 up to 50M, 1% above)
        MarketSnapshot market = MarketSnapshot.builder(TIME).price("BTC", 90_000).price("USDC", 1.0).build();
        Portfolio p = new Portfolio("t", Map.of("USDC", 60e6), List.of());
        MarginReport r = MarginCalculator.report(market, p, MarginParameters.defaults());
        MarginReport.BalanceLine line = r.balances().get(0);
        assertThat(line.haircutUsd()).isEqualTo(0.01 * 10e6);
        assertThat(line.haircutTerm()).isEqualTo("tier");
        assertThat(line.sigma()).isNull();
        assertThat(r.equity()).isEqualTo(60e6 - 0.01 * 10e6);
    }

    @Test
    void aCollapsedStablecoinCountsForNothing() {
        MarketSnapshot market = MarketSnapshot.builder(TIME).price("BTC", 90_000).price("UST", 0.2).build();
        Portfolio p = new Portfolio("t", Map.of("UST", 1e6), List.of());
        MarginReport r = MarginCalculator.report(market, p, WITH_UST);
        assertThat(r.balances().get(0).haircut()).isEqualTo(1.0);
        assertThat(r.balances().get(0).haircutTerm()).isEqualTo("depeg");
        assertThat(r.equity()).isZero();
    }

    @Test
    void anUpdatedMarketGivesTheSameHaircutsAsAFreshBuild() {
        SplittableRandom rnd = new SplittableRandom(11);
        MarketSnapshot market = randomMarket(rnd);
        RiskArrays arrays = RiskArrays.build(market, WITH_UST, List.of(PERP), List.of("p"));
        for (int step = 0; step < 30; step++) {
            MarketSnapshot next = randomMarket(rnd);
            RiskArrays updated = arrays.withMarket(next);
            RiskArrays fresh = RiskArrays.build(next, WITH_UST, List.of(PERP), List.of("p"));
            for (int a = 0; a < fresh.assetCount(); a++) {
                int b = updated.assetIndex(fresh.asset(a));
                assertThat(bits(updated.haircutSigma(b))).isEqualTo(bits(fresh.haircutSigma(a)));
                assertThat(bits(updated.haircutVolatilityRate(b))).isEqualTo(bits(fresh.haircutVolatilityRate(a)));
                assertThat(bits(updated.haircutDepegRate(b))).isEqualTo(bits(fresh.haircutDepegRate(a)));
                for (double v : new double[] {1e3, 7.7e6, 6e7}) {
                    assertThat(bits(updated.haircutUsd(b, v))).isEqualTo(bits(fresh.haircutUsd(a, v)));
                }
            }
            arrays = updated;
        }
    }

    @Test
    void aChangeOfAStablecoinsVolAloneMarksTheAssetChanged() {
        MarketSnapshot calm = MarketSnapshot.builder(TIME).price("BTC", 90_000).price("USDC", 1.0)
            .flatVol("USDC", 0.01).build();
        MarketSnapshot stressed = MarketSnapshot.builder(TIME).price("BTC", 90_000).price("USDC", 1.0)
            .flatVol("USDC", 0.9).build();
        RiskArrays before = RiskArrays.build(calm, MarginParameters.defaults(), List.of(), List.of());
        RiskArrays after = before.withMarket(stressed);
        int usdc = after.assetIndex("USDC");
        assertThat(after.assetChanged(usdc)).isTrue();
        assertThat(after.assetChanged(after.assetIndex("BTC"))).isFalse();
        assertThat(after.haircutVolatilityRate(usdc)).isCloseTo(2.33 * 0.9 / Math.sqrt(365), within(1e-15));
    }

    private static long bits(double x) {
        return Double.doubleToLongBits(x);
    }
}
