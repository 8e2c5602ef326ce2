package io.upm.backtest.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.backtest.PortfolioValuation;
import io.upm.backtest.TestHistories;
import io.upm.margin.MarginCalculator;
import io.upm.margin.params.MarginParameters;
import io.upm.product.EuropeanOption;
import io.upm.product.Future;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each built-in strategy's shape on a synthetic day: legs, sizes, moneyness, tenor, hedges. */
class BuiltInStrategyTest {
    static final int DAY = 150;
    static final DailyHistory HISTORY = TestHistories.randomWalks(9, 200, 0.03);
    static final HistoricalSnapshots SNAPSHOTS = new HistoricalSnapshots(HISTORY);
    static final BacktestDay BACKTEST_DAY = new BacktestDay(DAY, HISTORY.date(DAY), SNAPSHOTS.snapshot(DAY), HISTORY);
    static final double BTC = HISTORY.close("BTC", DAY);
    static final double N = BuiltInStrategy.NOTIONAL_USD;

    static Portfolio holdings(BuiltInStrategy s) {
        return s.holdings(BACKTEST_DAY).orElseThrow();
    }

    static java.util.List<BuiltInStrategy> all() {
        return BuiltInStrategy.all();
    }

    @ParameterizedTest
    @MethodSource("all")
    void everyStrategyIsMarginableNamedCanonicallyAndWorthOnlyItsBalancesAndOptionsAtEntry(BuiltInStrategy s) {
        Portfolio p = holdings(s);
        assertThat(p.account()).isEqualTo(s.name());
        for (Position pos : p.positions()) {
            assertThat(InstrumentNames.parse(pos.instrument().name(), "x")).isEqualTo(pos.instrument());
        }
        double mm = MarginCalculator.report(BACKTEST_DAY.market(), p, MarginParameters.defaults()).maintenanceMargin();
        assertThat(mm).isPositive();
        double options = 0;
        double balances = 0;
        for (Position pos : p.positions()) {
            if (pos.instrument() instanceof EuropeanOption) {
                options += pos.size() * io.upm.pricing.ResolvedInstrument.resolve(pos.instrument(), BACKTEST_DAY.market(), "x")
                    .value(Double.NaN);
            }
        }
        for (Map.Entry<String, Double> b : p.balances().entrySet()) {
            balances += b.getValue() * (b.getKey().equals("USDC") ? 1.0 : BACKTEST_DAY.market().priceOrNaN(b.getKey()));
        }
        assertThat(PortfolioValuation.value(p, BACKTEST_DAY.market(), Set.of("USDC")))
            .isCloseTo(balances + options, within(1e-6));
        assertThat(BuiltInStrategy.byName(s.name())).contains(s);
    }

    @Test
    void theLongPerpHoldsOneMillionOfBtcAtTheMark() {
        Position pos = holdings(BuiltInStrategy.LONG_PERP).positions().get(0);
        assertThat(pos.instrument()).isInstanceOf(Perpetual.class);
        assertThat(pos.instrument().name()).isEqualTo("BTC_USDC-PERPETUAL");
        assertThat(pos.size() * BTC).isCloseTo(N, within(1e-6));
        assertThat(pos.entryPrice()).isEqualTo(BTC);
    }

    @Test
    void optionsAreStruckAtTheirMoneynessOnTheNearestFridayToThirtyDays() {
        Portfolio rr = holdings(BuiltInStrategy.RISK_REVERSAL);
        EuropeanOption call = (EuropeanOption) rr.positions().get(0).instrument();
        EuropeanOption put = (EuropeanOption) rr.positions().get(1).instrument();
        assertThat(call.type().isCall()).isTrue();
        assertThat(call.strike() / BTC).isCloseTo(1.10, within(0.0125));
        assertThat(put.strike() / BTC).isCloseTo(0.90, within(0.0125));
        assertThat(rr.positions().get(0).size()).isPositive();
        assertThat(rr.positions().get(1).size()).isNegative();
        double days = Duration.between(BACKTEST_DAY.market().time(), call.expiry()).toHours() / 24.0;
        assertThat(days).isBetween(26.5, 33.5);
        assertThat(call.name()).startsWith("BTC_USDC-");
        EuropeanOption atm = (EuropeanOption) holdings(BuiltInStrategy.SHORT_STRADDLE).positions().get(0).instrument();
        assertThat(atm.strike() / BTC).isCloseTo(1.0, within(0.0125));
    }

    @Test
    void theHedgedStrangleHasNoNetDelta() {
        Portfolio p = holdings(BuiltInStrategy.SHORT_STRANGLE_HEDGED);
        assertThat(p.positions()).hasSize(3);
        assertThat(p.positions().get(2).instrument()).isInstanceOf(Perpetual.class);
        double delta = MarginCalculator.report(BACKTEST_DAY.market(), p, MarginParameters.defaults()).units().get("BTC")
            .greeks().delta();
        assertThat(delta).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void theBtcEthHedgeIsBetaWeighted() {
        // ETH returns = 0.5 x BTC returns: beta of BTC on ETH = 2, so the ETH short is twice the BTC notional
        int n = 120;
        double[] btc = TestHistories.randomWalk(1, n, 40_000, 0.03);
        double[] eth = new double[n];
        for (int i = 0; i < n; i++) {
            eth[i] = 2_000 * Math.sqrt(btc[i] / btc[0]);
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc, "ETH", eth), Map.of());
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        Portfolio p = BuiltInStrategy.BTC_ETH_HEDGE.holdings(new BacktestDay(100, h.date(100), s.snapshot(100), h))
            .orElseThrow();
        double btcUsd = p.positions().get(0).size() * btc[100];
        double ethUsd = p.positions().get(1).size() * eth[100];
        assertThat(btcUsd).isCloseTo(N, within(1e-6));
        assertThat(ethUsd).isCloseTo(-2 * N, within(1e-3));
    }

    @Test
    void theSpotLoanBuysAThirdOfEachCoinWithBorrowedUsdc() {
        Portfolio p = holdings(BuiltInStrategy.LONG_SPOT_LOAN);
        assertThat(p.positions()).isEmpty();
        assertThat(p.balances().get("USDC")).isEqualTo(-N);
        for (String a : new String[] {"BTC", "ETH", "SOL"}) {
            assertThat(p.balances().get(a) * HISTORY.close(a, DAY)).isCloseTo(N / 3, within(1e-6));
        }
    }

    @Test
    void theCalendarSpreadAndTheCashAndCarryUseQuarterlies() {
        Portfolio cal = holdings(BuiltInStrategy.CALENDAR_SPREAD);
        Future front = (Future) cal.positions().get(0).instrument();
        Future back = (Future) cal.positions().get(1).instrument();
        assertThat(front.expiry()).isBefore(back.expiry());
        assertThat(cal.positions().get(0).size()).isEqualTo(-cal.positions().get(1).size());
        Portfolio cc = holdings(BuiltInStrategy.CASH_AND_CARRY);
        assertThat(cc.balances().get("BTC")).isCloseTo(-cc.positions().get(0).size(), within(1e-12));
        assertThat(cc.positions().get(0).instrument()).isEqualTo(front);
    }

    @Test
    void withoutAVolTheOptionStrategiesWaitAndWithoutEthTheHedgeWaits() {
        Map<String, double[]> closes = new HashMap<>();
        closes.put("BTC", TestHistories.randomWalk(2, 40, 40_000, 0.02));
        DailyHistory h = DailyHistory.of(TestHistories.days(40), closes, Map.of());
        HistoricalSnapshots s = new HistoricalSnapshots(h);
        BacktestDay early = new BacktestDay(5, h.date(5), s.snapshot(5), h);
        assertThat(BuiltInStrategy.SHORT_STRADDLE.holdings(early)).isEmpty();
        assertThat(BuiltInStrategy.LONG_PERP.holdings(early)).isPresent();
        assertThat(BuiltInStrategy.BTC_ETH_HEDGE.holdings(new BacktestDay(35, h.date(35), s.snapshot(35), h))).isEmpty();
        assertThat(BuiltInStrategy.SHORT_STRADDLE.holdings(new BacktestDay(35, h.date(35), s.snapshot(35), h))).isPresent();
    }

    @Test
    void strikesFollowADeribitLikeGridAndNamesUseTheDecimalMark() {
        assertThat(BuiltInStrategy.strike(63_123)).isEqualTo(63_000);
        assertThat(BuiltInStrategy.strike(3_312)).isEqualTo(3_300);
        assertThat(BuiltInStrategy.strike(151.3)).isEqualTo(152.5);
        assertThat(BuiltInStrategy.strike(150.9)).isEqualTo(150.0);
        assertThat(BuiltInStrategy.strike(14.2)).isEqualTo(14.25);
        assertThat(BuiltInStrategy.strikeText(63_000)).isEqualTo("63000");
        assertThat(BuiltInStrategy.strikeText(14.25)).isEqualTo("14d25");
        assertThat(BuiltInStrategy.names()).containsExactly("long-perp", "cash-and-carry", "short-straddle", "covered-call",
            "risk-reversal", "short-strangle-hedged", "btc-eth-hedge", "long-spot-loan", "calendar-spread");
    }
}
