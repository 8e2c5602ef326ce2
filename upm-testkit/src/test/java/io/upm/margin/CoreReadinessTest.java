package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.margin.joint.GeometryCache;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.ManyCoinVenue;
import io.upm.testkit.SyntheticVenue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the live engine needs of the risk core: any number of units, bit-identical results for any input order, a
 * bounded cache owned by the caller, correct incremental updates of the risk arrays (diffed, expiry, listing) and
 * of one account after one unit moved.
 */
class CoreReadinessTest {
    static final MarginParameters DEFAULTS = MarginParameters.defaults();
    static final ManyCoinVenue COINS = ManyCoinVenue.create(50, 4242L);
    static final RiskArrays COIN_ARRAYS = RiskArrays.build(COINS.market(), DEFAULTS, COINS.universe(),
        COINS.universe().stream().map(Instrument::name).toList());
    static final SyntheticVenue VENUE = SyntheticVenue.create(99L);
    static final RiskArrays VENUE_ARRAYS = RiskArrays.build(VENUE.market(), DEFAULTS, VENUE.universe(),
        VENUE.universe().stream().map(Instrument::name).toList());

    private static long bits(double x) {
        return Double.doubleToLongBits(x);
    }

    @Test
    void accountsOfOneToFiftyUnitsAreMarginedAndNeverBelowTheirSiloedFloor() {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int units = 1; units <= 50; units++) {
            Portfolio p = COINS.account("u" + units, units, rnd);
            MarginReport r = MarginCalculator.report(COIN_ARRAYS, ResolvedPortfolio.resolve(p, COIN_ARRAYS), calc);
            assertThat(r.units()).hasSize(units);
            double sumW = r.units().values().stream().mapToDouble(MarginReport.Unit::worstLoss).sum();
            assertThat(r.crossUnit().charge()).as(units + " units: CU >= floor")
                .isGreaterThanOrEqualTo((1 - DEFAULTS.offsetCap()) * sumW - 1e-6);
            assertThat(r.maintenanceMargin()).isFinite().isPositive();
            assertThat(r.crossUnit().jointLossMethod()).isEqualTo(units <= 3 ? "exact" : r.crossUnit().jointLossMethod());
            if (units <= 3) {
                assertThat(r.crossUnit().jointLossMethod()).isEqualTo("exact");
                assertThat(r.crossUnit().stressedJointLossMethod()).isEqualTo("exact");
            }
            if (units >= 6) {
                // above the exact range J is the certified bound
                assertThat(r.crossUnit().jointLossMethod()).isEqualTo("bounded");
            }
        }
    }

    @Test
    void anyOrderOfPositionsAndBalancesGivesTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(2);
        Random shuffler = new Random(3);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (int t = 0; t < 60; t++) {
            boolean many = t % 2 == 0;
            Portfolio p = many ? COINS.account("a" + t, 1 + rnd.nextInt(25), rnd) : VENUE.randomPortfolio(rnd, 5 + rnd.nextInt(30));
            RiskArrays arrays = many ? COIN_ARRAYS : VENUE_ARRAYS;
            MarginReport a = MarginCalculator.report(arrays, ResolvedPortfolio.resolve(p, arrays), calc);
            for (int s = 0; s < 3; s++) {
                List<Position> ps = new ArrayList<>(p.positions());
                Collections.shuffle(ps, shuffler);
                List<Map.Entry<String, Double>> bs = new ArrayList<>(p.balances().entrySet());
                Collections.shuffle(bs, shuffler);
                Map<String, Double> balances = new LinkedHashMap<>();
                bs.forEach(e -> balances.put(e.getKey(), e.getValue()));
                Portfolio q = new Portfolio(p.account(), balances, ps);
                MarginReport b = MarginCalculator.report(arrays, ResolvedPortfolio.resolve(q, arrays), calc);
                String what = "portfolio #" + t + " shuffle " + s;
                assertThat(bits(b.maintenanceMargin())).as(what + " MM").isEqualTo(bits(a.maintenanceMargin()));
                assertThat(bits(b.equity())).as(what + " equity").isEqualTo(bits(a.equity()));
                assertThat(bits(b.crossUnit().jointLoss())).as(what + " J").isEqualTo(bits(a.crossUnit().jointLoss()));
                assertThat(b.units().keySet()).containsExactlyElementsOf(a.units().keySet());
                for (String u : a.units().keySet()) {
                    assertThat(b.units().get(u).pnl()).as(what + " " + u).isDeepEqualTo(a.units().get(u).pnl());
                }
                // the position lines follow the input order
                for (int k = 0; k < ps.size(); k++) {
                    assertThat(b.positions().get(k).instrument()).isEqualTo(ps.get(k).instrument().name());
                }
            }
        }
    }

    /**
     * A long run of ever-changing correlation matrices (as a live market would send): the caller's cache never
     * holds more than its capacity, each compute builds at most the geometries of its own unit set (no mass
     * eviction, no rebuild of everything), and a calculator with a cold cache gives the same bits.
     */
    @Test
    void theGeometryCacheStaysBoundedUnderChangingCorrelations() {
        GeometryCache cache = new GeometryCache(64);
        AccountMarginCalculator calc = new AccountMarginCalculator(cache, AccountMarginCalculator.DEFAULT_EXACT_UNITS,
            AccountMarginCalculator.DEFAULT_LEAF_BUDGET);
        List<Portfolio> accounts = VENUE.accounts(40, 5);
        MarketSnapshot base = VENUE.market();
        RiskArrays arrays = VENUE_ARRAYS;
        SplittableRandom rnd = new SplittableRandom(6);
        for (int tick = 0; tick < 300; tick++) {
            double rho = 0.5 + 0.4 * rnd.nextDouble();
            MarketSnapshot m = base.withCorrelation("BTC/ETH", rho);
            arrays = arrays.withMarket(m);
            assertThat(arrays.correlationsChanged()).isTrue();
            for (Portfolio p : accounts) {
                long before = cache.builds();
                double mm = calc.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
                // 2 or 3 units: at most one geometry for rho and one for Q_stress
                assertThat(cache.builds() - before).isLessThanOrEqualTo(2);
                assertThat(cache.size()).isLessThanOrEqualTo(cache.capacity());
                if (tick % 100 == 0) {
                    AccountMarginCalculator cold = new AccountMarginCalculator();
                    assertThat(bits(cold.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1))).isEqualTo(bits(mm));
                }
            }
        }
        assertThat(cache.size()).isEqualTo(cache.capacity());
    }

    @Test
    void withMarketRecomputesWhatChangedAndAgreesWithAFreshBuild() {
        MarketSnapshot moved = VENUE.market().withPriceMove("BTC", -0.07);
        RiskArrays after = VENUE_ARRAYS.withMarket(moved);
        RiskArrays fresh = RiskArrays.build(moved, DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        assertSameArrays(after, fresh);
        int btc = after.assetIndex("BTC");
        long btcInstruments = VENUE.universe().stream().filter(i -> i.underlying().equals("BTC")).count();
        assertThat(after.repricedCount()).isEqualTo((int) btcInstruments);
        assertThat(after.assetChanged(btc)).isTrue();
        assertThat(after.assetChanged(after.assetIndex("ETH"))).isFalse();
        // the same market again: nothing to do
        assertThat(after.withMarket(moved).repricedCount()).isZero();
    }

    @Test
    void timePassingRepricesOnlyOptions() {
        MarketSnapshot later = VENUE.market().withTime(VENUE.market().time().plus(Duration.ofMinutes(1)));
        RiskArrays after = VENUE_ARRAYS.withMarket(later);
        long options = VENUE.universe().stream().filter(i -> i instanceof io.upm.product.EuropeanOption).count();
        assertThat(after.repricedCount()).isEqualTo((int) options);
        RiskArrays fresh = RiskArrays.build(later, DEFAULTS, VENUE.universe(),
            VENUE.universe().stream().map(Instrument::name).toList());
        assertSameArrays(after, fresh);
    }

    @Test
    void anExpiredInstrumentIsDroppedNotAnError() {
        Instrument weekly = InstrumentNames.parse("BTC_USDC-28NOV25", "x");
        MarketSnapshot afterExpiry = VENUE.market().withTime(weekly.expiry().plusSeconds(60));
        RiskArrays after = VENUE_ARRAYS.withMarket(afterExpiry);
        int i = VENUE_ARRAYS.instrumentIndex(weekly.name());
        assertThat(after.isExpired(i)).isTrue();
        assertThat(after.instrumentIndex(weekly.name())).isEqualTo(-1);
        assertThat(after.instrumentIndex("BTC_USDC-PERPETUAL")).isEqualTo(VENUE_ARRAYS.instrumentIndex("BTC_USDC-PERPETUAL"));
        Portfolio p = new Portfolio("x", Map.of("USDC", 1e6), List.of(Position.of(weekly, 1, 90_000, "x")));
        assertThatThrownBy(() -> ResolvedPortfolio.resolve(p, after)).isInstanceOf(InputException.class)
            .hasMessageContaining("positions[0].instrument");
    }

    @Test
    void newInstrumentsCanBeListedAndOldIndicesStay() {
        List<Instrument> some = VENUE.universe().subList(0, 100);
        RiskArrays small = RiskArrays.build(VENUE.market(), DEFAULTS, some, some.stream().map(Instrument::name).toList());
        List<Instrument> rest = VENUE.universe().subList(100, VENUE.universe().size());
        RiskArrays listed = small.withInstruments(rest, rest.stream().map(Instrument::name).toList());
        for (Instrument ins : some) {
            assertThat(listed.instrumentIndex(ins.name())).isEqualTo(small.instrumentIndex(ins.name()));
        }
        assertSameArrays(listed, VENUE_ARRAYS);
        // a portfolio resolved on the small universe still resolves and margins the same on the larger one
        Instrument option = some.stream().filter(i -> i instanceof io.upm.product.EuropeanOption).findFirst().orElseThrow();
        Portfolio p = new Portfolio("p", Map.of("USDC", 1e6), List.of(Position.of(option, 2, Double.NaN, "x"),
            Position.of(some.get(0), -1, 90_000, "x")));
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double a = calc.compute(small, ResolvedPortfolio.resolve(p, small), -1);
        double b = calc.compute(listed, ResolvedPortfolio.resolve(p, small), -1);
        assertThat(bits(b)).isEqualTo(bits(a));
    }

    /** Recomputing one moved unit with the others' matrices reused equals a full recompute, bit for bit. */
    @Test
    void recomputingOneMovedUnitEqualsAFullRecompute() {
        SplittableRandom rnd = new SplittableRandom(8);
        AccountMarginCalculator incremental = new AccountMarginCalculator();
        AccountMarginCalculator full = new AccountMarginCalculator();
        List<Portfolio> accounts = COINS.accounts(200, 9);
        List<ResolvedPortfolio> resolved = accounts.stream().map(p -> ResolvedPortfolio.resolve(p, COIN_ARRAYS)).toList();
        List<UnitMatrices> keep = new ArrayList<>();
        for (ResolvedPortfolio p : resolved) {
            UnitMatrices k = new UnitMatrices();
            incremental.compute(COIN_ARRAYS, p, k);
            keep.add(k);
        }
        RiskArrays arrays = COIN_ARRAYS;
        MarketSnapshot market = COINS.market();
        for (int tick = 0; tick < 6; tick++) {
            String coin = ManyCoinVenue.coinCode(rnd.nextInt(COINS.coins()));
            market = market.withPriceMove(coin, (rnd.nextDouble() - 0.5) * 0.1);
            arrays = arrays.withMarket(market);
            int asset = arrays.assetIndex(coin);
            for (int k = 0; k < resolved.size(); k++) {
                double a = incremental.recompute(arrays, resolved.get(k), keep.get(k), asset);
                double ea = incremental.equity();
                double b = full.compute(arrays, resolved.get(k), -1);
                assertThat(bits(a)).as("account " + k + " after " + coin + " moved").isEqualTo(bits(b));
                assertThat(bits(ea)).isEqualTo(bits(full.equity()));
            }
        }
    }

    /**
     * After trades that change some units' positions (as a fill, or a pre-trade check filling resting orders, does),
     * re-summing those units from a copy of the account's store equals a full compute, bit for bit, and leaves the
     * account's own store untouched.
     */
    @Test
    void recomputingTradedUnitsFromACopiedStoreEqualsAFullCompute() {
        SplittableRandom rnd = new SplittableRandom(11);
        AccountMarginCalculator incremental = new AccountMarginCalculator();
        AccountMarginCalculator full = new AccountMarginCalculator();
        UnitMatrices scratch = new UnitMatrices();
        int[] moved = new int[8];
        int checked = 0;
        for (Portfolio p : COINS.accounts(200, 12)) {
            ResolvedPortfolio before = ResolvedPortfolio.resolve(p, COIN_ARRAYS);
            UnitMatrices own = new UnitMatrices();
            double mmBefore = incremental.compute(COIN_ARRAYS, before, own);
            if (p.positions().isEmpty()) {
                continue;
            }
            // scale one or two positions (same instruments: the units stay) and move a balance
            List<Position> changed = new ArrayList<>(p.positions());
            int n = 0;
            for (int t = 0; t < 1 + rnd.nextInt(2); t++) {
                int k = rnd.nextInt(changed.size());
                Position q = changed.get(k);
                changed.set(k, Position.of(q.instrument(), q.size() * (0.5 + rnd.nextDouble()), q.entryPrice(), "x"));
                moved[n++] = COIN_ARRAYS.assetIndex(q.instrument().underlying());
            }
            moved[n++] = -1; // an asset of no unit is ignored
            Portfolio after = new Portfolio(p.account(), p.balances(), changed);
            ResolvedPortfolio resolvedAfter = ResolvedPortfolio.resolve(after, COIN_ARRAYS);
            scratch.copyFrom(own);
            double a = incremental.recompute(COIN_ARRAYS, resolvedAfter, scratch, moved, n);
            double ea = incremental.equity();
            double b = full.compute(COIN_ARRAYS, resolvedAfter, -1);
            assertThat(bits(a)).as(p.account()).isEqualTo(bits(b));
            assertThat(bits(ea)).isEqualTo(bits(full.equity()));
            // the account's own store still gives its own figures
            assertThat(bits(incremental.recompute(COIN_ARRAYS, before, own, -1))).isEqualTo(bits(mmBefore));
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void theResultSaysWhetherMmIsExact() {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        SplittableRandom rnd = new SplittableRandom(10);
        Portfolio three = COINS.account("three", 3, rnd);
        calc.compute(COIN_ARRAYS, ResolvedPortfolio.resolve(three, COIN_ARRAYS), -1);
        MarginResult r = calc.result(COIN_ARRAYS);
        assertThat(r.exact()).isTrue();
        assertThat(r.initialMargin()).isEqualTo(DEFAULTS.initialMarginMultiplier() * r.maintenanceMargin());
        assertThat(r.status()).isEqualTo(AccountStatus.of(r.equity(), r.maintenanceMargin(), r.initialMargin()));
    }

    private static void assertSameArrays(RiskArrays a, RiskArrays b) {
        assertThat(a.instrumentCount()).isEqualTo(b.instrumentCount());
        for (int i = 0; i < a.instrumentCount(); i++) {
            int j = b.instrumentIndex(a.instrument(i).instrument().name());
            for (int c = 0; c < 9; c++) {
                for (int v = 0; v < 3; v++) {
                    assertThat(bits(a.pnl(i, c, v))).as(a.instrument(i).instrument().name()).isEqualTo(bits(b.pnl(j, c, v)));
                }
            }
            for (int g = 0; g < 6; g++) {
                assertThat(bits(a.greek(i, g))).isEqualTo(bits(b.greek(j, g)));
            }
            assertThat(bits(a.rollGroupFactor(a.rollGroup(i)))).isEqualTo(bits(b.rollGroupFactor(b.rollGroup(j))));
        }
    }
}
