package io.upm.hedge;

import static io.upm.hedge.HedgeFixtures.MARKET;
import static io.upm.hedge.HedgeFixtures.PARAMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Goals, the cost model's formula, candidates, bad input and determinism. */
class HedgeInputsTest {
    @Test
    void goalsParseAndSayWhatTheyMean() {
        assertThat(HedgeGoal.parse("healthy", "goal")).isEqualTo(HedgeGoal.HEALTHY);
        assertThat(HedgeGoal.parse("min-mm", "goal")).isEqualTo(HedgeGoal.MIN_MM);
        HedgeGoal r = HedgeGoal.parse("target-ratio:0.5", "goal");
        assertThat(r.targetRatio()).isEqualTo(0.5);
        assertThat(r.wireName()).isEqualTo("target-ratio:0.5");
        // healthy is equity >= 1.25 MM; a target ratio R is equity >= MM / R
        assertThat(HedgeGoal.HEALTHY.isMet(125.0, 100.0, 1.25)).isTrue();
        assertThat(HedgeGoal.HEALTHY.isMet(124.99, 100.0, 1.25)).isFalse();
        assertThat(r.isMet(200.0, 100.0, 1.25)).isTrue();
        assertThat(r.isMet(199.0, 100.0, 1.25)).isFalse();
        assertThat(HedgeGoal.HEALTHY.isMet(0.0, 0.0, 1.25)).as("no equity is never healthy").isFalse();
    }

    @Test
    void badGoalsNameTheField() {
        for (String bad : new String[] {"", "heal", "target-ratio:", "target-ratio:x", "target-ratio:0",
            "target-ratio:1.5", "target-ratio:-0.2"}) {
            assertThatThrownBy(() -> HedgeGoal.parse(bad, "goal")).isInstanceOf(InputException.class)
                .extracting(e -> ((InputException) e).field()).isEqualTo("goal");
        }
    }

    @Test
    void costIsHalfSpreadPlusImpactOfModelSection11() {
        MarketSnapshot m = MarketSnapshot.builder(Instant.parse("2025-11-25T08:00:00Z")).price("BTC", 90_000)
            .price("USDC", 1.0).flatVol("BTC", 0.5).adv("BTC", 25e9).mark("BTC_USDC-PERPETUAL", 90_100).build();
        TradeCostModel c = TradeCostModel.DEFAULT;
        ResolvedInstrument perp = ResolvedInstrument.resolve(InstrumentNames.parse("BTC_USDC-PERPETUAL", "i"), m, "i");
        assertThat(c.volatility(m, "BTC")).isEqualTo(0.5);
        // 10 BTC: notional 900,000 USD at the index; the mark 90,100 moved against the trader by
        // 0.1% + 0.5 x 0.5 x sqrt(900,000 / 25e9) x sqrt(1/365)
        double f = 0.001 + 0.5 * 0.5 * Math.sqrt(900_000.0 / 25e9) * Math.sqrt(1.0 / 365);
        assertThat(c.cost(perp, 10, 0.5, 25e9)).isCloseTo(10 * 90_100 * f, within(1e-9));
        assertThat(c.cost(perp, -10, 0.5, 25e9)).as("either side").isEqualTo(c.cost(perp, 10, 0.5, 25e9));
        // without an ADV: the half-spread only
        assertThat(c.cost(perp, 10, 0.5, Double.NaN)).isCloseTo(10 * 90_100 * 0.001, within(1e-9));
        // inverse perpetual: size is USD notional
        ResolvedInstrument inv = ResolvedInstrument.resolve(InstrumentNames.parse("BTC-PERPETUAL", "i"), m, "i");
        double fi = 0.001 + 0.25 * Math.sqrt(900_000.0 / 25e9) * Math.sqrt(1.0 / 365);
        assertThat(c.cost(inv, 900_000, 0.5, 25e9)).isCloseTo(900_000 * fi, within(1e-9));
        // convex in size: twice the size costs more than twice as much
        assertThat(c.cost(perp, 20, 0.5, 25e9)).isGreaterThan(2 * c.cost(perp, 10, 0.5, 25e9));
        // an option pays the fraction on its underlying notional, at most its premium
        ResolvedInstrument call = ResolvedInstrument.resolve(InstrumentNames.parse("BTC_USDC-26DEC25-90000-C", "i"), m,
            "i");
        assertThat(c.cost(call, 1, 0.5, Double.NaN)).isCloseTo(Math.min(90_000 * 0.001, call.value(0.0)),
            within(1e-9));
        ResolvedInstrument far = ResolvedInstrument.resolve(InstrumentNames.parse("BTC_USDC-26DEC25-130000-C", "i"), m,
            "i");
        assertThat(c.unitCost(far, 1, 0.5, Double.NaN)).isLessThanOrEqualTo(far.value(0.0));
    }

    @Test
    void costModelRejectsBadParameters() {
        assertThatThrownBy(() -> new TradeCostModel(0, 0.5, 1.0 / 365, 1, 30, 1e-4))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("halfSpread");
        assertThatThrownBy(() -> new TradeCostModel(0.001, Double.NaN, 1.0 / 365, 1, 30, 1e-4))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("impactFactor");
    }

    @Test
    void badInputNamesTheFieldAndChangesNothing() {
        Portfolio p = HedgeFixtures.shortAccount(3, 1, 0.6);
        Portfolio copy = new Portfolio(p.account(), p.balances(), p.positions());
        HedgeOptimizer opt = new HedgeOptimizer();
        List<Instrument> good = HedgeFixtures.deltaOneCandidates(p);
        assertThatThrownBy(() -> opt.solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY, good, 0))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("maxTrades");
        // an option on an underlying the snapshot has no vols for
        List<Instrument> bad = List.of(good.get(0), InstrumentNames.parse("DOGE_USDC-26DEC25-1-C", "x"));
        assertThatThrownBy(() -> opt.solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY, bad, 4))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).asString()
            .startsWith("candidates[1]");
        assertThat(p).isEqualTo(copy);
        assertThatThrownBy(() -> HedgeCandidates.parse(List.of("BTC-PERPETUAL", "BTC-PERPETUAL"), "instruments"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("instruments[1]");
        assertThatThrownBy(() -> HedgeCandidates.parse(List.of("BTC-NOPE"), "instruments"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field())
            .isEqualTo("instruments[0]");
    }

    @Test
    void sameInputsSamePlanBitForBitWhateverTheCandidateOrder() {
        Portfolio p = HedgeFixtures.shortAccount(5, 2, 0.5);
        List<Instrument> c = new java.util.ArrayList<>(HedgeFixtures.deltaOneCandidates(p));
        c.addAll(HedgeFixtures.someOptions(p));
        HedgePlan a = new HedgeOptimizer().solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY, c, 4);
        java.util.Collections.reverse(c);
        HedgeOptimizer reused = new HedgeOptimizer();
        reused.solve(MARKET, PARAMS, HedgeFixtures.shortAccount(6, 3, 0.4), HedgeGoal.MIN_MM, c, 2); // other work first
        HedgePlan b = reused.solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY, c, 4);
        assertThat(b.trades()).isEqualTo(a.trades());
        assertThat(Double.doubleToLongBits(b.after().maintenanceMargin()))
            .isEqualTo(Double.doubleToLongBits(a.after().maintenanceMargin()));
        assertThat(b.hedgedPortfolio()).isEqualTo(a.hedgedPortfolio());
        assertThat(a.trades()).isNotEmpty();
    }

    @Test
    void aHealthyAccountNeedsNoTrade() {
        Portfolio p = HedgeFixtures.shortAccount(4, 1, 3.0);
        HedgePlan plan = new HedgeOptimizer().solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY,
            HedgeFixtures.deltaOneCandidates(p), 4);
        assertThat(plan.goalReached()).isTrue();
        assertThat(plan.trades()).isEmpty();
        assertThat(plan.after()).isEqualTo(plan.before());
    }

    @Test
    void listedCandidatesAreTheAccountsPerpetualsFuturesAndQuotedOptions() {
        Portfolio p = new Portfolio("a", Map.of("USDC", 1000.0),
            List.of(io.upm.product.Position.of(InstrumentNames.parse("ETH_USDC-PERPETUAL", "p"), 1, 3000, "p")));
        List<Instrument> c = HedgeCandidates.listed(MARKET, p, Map.of("ETH", Map.of("26DEC25", List.of(3000.0, 3100.5)),
            "BTC", Map.of("26DEC25", List.of(90000.0))), false, PARAMS.stablecoins());
        List<String> names = c.stream().map(Instrument::name).toList();
        assertThat(names).contains("ETH_USDC-26DEC25-3000-C", "ETH_USDC-26DEC25-3100.5-P", "ETH_USDC-26DEC25")
            .noneMatch(n -> n.startsWith("BTC")).isSorted();
        assertThat(names.stream().filter(n -> n.endsWith("PERPETUAL"))).isNotEmpty();
        List<Instrument> all = HedgeCandidates.listed(MARKET, p, Map.of(), true, PARAMS.stablecoins());
        assertThat(all.stream().map(Instrument::underlying).distinct()).containsExactlyInAnyOrder("BTC", "ETH", "SOL");
    }
}
