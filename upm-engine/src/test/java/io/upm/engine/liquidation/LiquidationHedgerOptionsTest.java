package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.core.Ledger;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.testkit.SyntheticVenue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hedge first with listed options ({@link LiquidationHedger} built with {@code listedOptions}) on the synthetic venue's
 * accounts in liquidation (seeded): the option candidates are linear, of the account's underlyings, within the scan
 * range and of at most two expiries; a hedge taken reaches the target on a full compute of the account after its trades
 * (the figures it announces are that compute's), costs less than closing, and is the same bit for bit on a second run;
 * and on these accounts the options find at least one hedge that perpetuals and futures alone do not, or a cheaper one.
 */
class LiquidationHedgerOptionsTest {
    private static final LiquidationParameters PARAMS = LiquidationParameters.defaults();

    @Test
    void optionCandidatesAreLinearNearTheMoneyOfTwoExpiriesOfTheAccountsUnderlyings() {
        int withOptions = 0;
        for (AccountState s : LiquidationFixtures.accounts(60, 21)) {
            var p = s.toPortfolio(ARRAYS);
            List<Instrument> all = LiquidationHedger.candidates(ARRAYS, p, true);
            List<Instrument> plain = LiquidationHedger.candidates(ARRAYS, p, false);
            assertThat(all).containsAll(plain);
            assertThat(plain).noneMatch(i -> i instanceof EuropeanOption);
            var expiries = new java.util.TreeMap<String, java.util.TreeSet<java.time.Instant>>();
            for (Instrument i : all) {
                assertThat(i.isLinear()).as(i.name()).isTrue();
                assertThat(p.positions().stream().anyMatch(x -> x.instrument().underlying().equals(i.underlying()))
                    || p.balances().getOrDefault(i.underlying(), 0.0) != 0.0).as(i.name()).isTrue();
                if (i instanceof EuropeanOption o) {
                    withOptions++;
                    int a = ARRAYS.assetIndex(o.underlying());
                    assertThat(Math.abs(o.strike() / ARRAYS.assetPrice(a) - 1)).isLessThanOrEqualTo(ARRAYS.scanRange(a));
                    assertThat(o.expiry()).isAfter(SyntheticVenue.TIME);
                    expiries.computeIfAbsent(o.underlying(), k -> new java.util.TreeSet<>()).add(o.expiry());
                }
            }
            expiries.values().forEach(e -> assertThat(e).hasSizeLessThanOrEqualTo(LiquidationHedger.OPTION_EXPIRIES));
        }
        assertThat(withOptions).as("the venue lists options").isPositive();
    }

    @Test
    void hedgesWithOptionsReachTheTargetCostLessThanClosingAndRepeat() {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        AccountMarginCalculator check = new AccountMarginCalculator();
        LiquidationPlanner planner = new LiquidationPlanner(PARAMS, calc);
        LiquidationHedger withOptions = new LiquidationHedger(PARAMS, planner, calc, true);
        LiquidationHedger plain = new LiquidationHedger(PARAMS, planner, calc, false);
        double[] unlimited = new double[ARRAYS.assetCount()];
        Arrays.fill(unlimited, Double.POSITIVE_INFINITY);
        int inLiquidation = 0;
        int hedged = 0;
        int optionTrades = 0;
        int betterWithOptions = 0;
        for (AccountState s : LiquidationFixtures.accounts(300, 11)) {
            double[] f = LiquidationFixtures.figures(check, s);
            if (!(f[0] < f[1]) || f[0] <= 0) {
                continue;
            }
            inLiquidation++;
            AccountState before = s.copy();
            LiquidationHedger.Decision d = withOptions.decide(ARRAYS, s, SyntheticVenue.TIME, VOL, unlimited);
            LiquidationHedger.Decision again = withOptions.decide(ARRAYS, s, SyntheticVenue.TIME, VOL, unlimited);
            LiquidationHedger.Decision without = plain.decide(ARRAYS, s, SyntheticVenue.TIME, VOL, unlimited);
            assertThat(LiquidationFixtures.dump(s, ARRAYS)).as("the account is not changed")
                .isEqualTo(LiquidationFixtures.dump(before, ARRAYS));
            assertThat(again).as("deterministic").isEqualTo(d);
            if (d.outcome() == LiquidationHedger.Outcome.HEDGE) {
                hedged++;
                assertThat(d.hedgeCostUsd()).isLessThan(d.closingCostUsd());
                // the trades applied to a copy: a full compute gives the announced figures, at or above the target
                AccountState after = s.copy();
                List<Instrument> missing = new java.util.ArrayList<>();
                for (LiquidationHedge.Trade t : d.hedge().trades()) {
                    if (ARRAYS.instrumentIndex(t.instrument()) < 0) {
                        missing.add(io.upm.product.InstrumentNames.parse(t.instrument(), "t"));
                    }
                }
                var universe = missing.isEmpty() ? ARRAYS
                    : ARRAYS.withInstruments(missing, missing.stream().map(Instrument::name).toList());
                boolean anyOption = false;
                for (LiquidationHedge.Trade t : d.hedge().trades()) {
                    anyOption |= universe.instrument(universe.instrumentIndex(t.instrument())).isOption();
                    Ledger.trade(after, universe, universe.instrumentIndex(t.instrument()), t.size(), t.price(),
                        t.feeUsd(), Ledger.NONE);
                }
                optionTrades += anyOption ? 1 : 0;
                double mm = check.compute(universe, after.resolve(universe), -1);
                double equity = check.equity();
                assertThat(mm).isEqualTo(d.mmAfter());
                assertThat(equity).isEqualTo(d.equityAfter());
                double im = universe.params().initialMarginMultiplier() * mm;
                assertThat(equity).isGreaterThanOrEqualTo(mm + PARAMS.targetFraction() * (im - mm));
                if (without.outcome() != LiquidationHedger.Outcome.HEDGE
                    || d.hedgeCostUsd() < without.hedgeCostUsd()) {
                    betterWithOptions++;
                }
            }
        }
        assertThat(inLiquidation).as("the seed gives accounts in liquidation").isGreaterThan(5);
        assertThat(hedged).as("some accounts are hedged").isPositive();
        assertThat(optionTrades).as("some hedges trade options").isPositive();
        assertThat(betterWithOptions).as("options give a hedge, or a cheaper one, somewhere").isPositive();
    }
}
