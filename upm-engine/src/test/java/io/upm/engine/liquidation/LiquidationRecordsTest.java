package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Parameters, journal lines and ranking: a bad parameter names its field; journal lines round-trip bit for bit over
 * random values and a broken line names its field; a step that does not reduce a position changes nothing and says
 * so; auto-deleveraging ranks by the documented profit x leverage, computed here from the definitions.
 */
class LiquidationRecordsTest {
    @Test
    void badParametersNameTheirField() {
        assertThatThrownBy(() -> new LiquidationParameters(0.001, 0.5, Double.NaN, 0.25, 1000, 0.5, 0.1, 2, 1 / 24.0))
            .isInstanceOf(InputException.class).hasMessageContaining("feeRate");
        assertThatThrownBy(() -> new LiquidationParameters(0.001, 0.5, 0.005, 0.0, 1000, 0.5, 0.1, 2, 1 / 24.0))
            .isInstanceOf(InputException.class).hasMessageContaining("maxSliceFraction");
        assertThatThrownBy(() -> new LiquidationParameters(0.001, 0.5, 0.005, 0.25, 1000, 0.5, 2, 2, 1 / 24.0))
            .isInstanceOf(InputException.class).hasMessageContaining("guardAdvFraction");
        assertThat(LiquidationParameters.defaults().guardBudgetPerMinute(1_440_000)).isEqualTo(100.0);
    }

    @Test
    void journalLinesRoundTripBitForBit() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n = 0; n < 500; n++) {
            Instant t = Instant.ofEpochMilli(1_700_000_000_000L + rnd.nextLong(1_000_000_000L));
            LiquidationStep s = new LiquidationStep(t, "a" + n, "BTC-PERPETUAL", -rnd.nextDouble() * 1e6 - 1e-9,
                rnd.nextDouble() * 1e5, rnd.nextDouble() * 100, rnd.nextDouble() * 1e7, "BTC");
            assertThat(LiquidationCommandCodec.read(LiquidationCommandCodec.toJsonLine(s))).isEqualTo(s);
            List<AdlTransfer> ts = new ArrayList<>();
            for (int k = 0; k < rnd.nextInt(4); k++) {
                ts.add(new AdlTransfer(k == 2 ? null : "c" + k, "ETH-PERPETUAL", rnd.nextDouble() + 1e-6,
                    rnd.nextDouble() * 4000, k == 2 ? 0.0 : rnd.nextDouble() * 1e4));
            }
            BankruptcyResolution r = new BankruptcyResolution(t, "b" + n, ts,
                List.of(new BalanceTakeover("USDC", -rnd.nextDouble() * 1e6), new BalanceTakeover("BTC", rnd.nextDouble())),
                rnd.nextDouble());
            assertThat(LiquidationCommandCodec.read(LiquidationCommandCodec.toJsonLine(r))).isEqualTo(r);
        }
        assertThatThrownBy(() -> LiquidationCommandCodec.read("{\"type\":\"liquidation-step\",\"time\":\"2025-11-25T08:00:00Z\","
            + "\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\",\"size\":\"1\",\"price\":1,\"fee\":0,\"notional\":1,"
            + "\"underlying\":\"BTC\"}")).isInstanceOf(InputException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> LiquidationCommandCodec.read("{\"type\":\"bankruptcy\",\"time\":\"2025-11-25T08:00:00Z\","
            + "\"account\":\"a\",\"deleveraging\":[{\"instrument\":\"X\",\"size\":1,\"price\":1,\"cash\":0}],"
            + "\"takeover\":[],\"uncovered\":0}")).isInstanceOf(InputException.class)
            .hasMessageContaining("deleveraging[0].counterparty");
    }

    @Test
    void aStepThatDoesNotReduceAPositionChangesNothing() {
        AccountState s = new AccountState("a");
        int perp = ARRAYS.instrumentIndex("BTC_USDC-PERPETUAL");
        s.setPosition(perp, 2.0, 90_000);
        s.addBalance(ARRAYS.assetIndex("USDC"), 10_000);
        String before = LiquidationFixtures.dump(s, ARRAYS);
        InsuranceFund fund = new InsuranceFund();
        LiquidationStep grows = new LiquidationStep(Instant.EPOCH, "a", "BTC_USDC-PERPETUAL", 1.0, 90_000, 5, 90_000, "BTC");
        LiquidationStep tooBig = new LiquidationStep(Instant.EPOCH, "a", "BTC_USDC-PERPETUAL", -3.0, 90_000, 5, 270_000, "BTC");
        for (LiquidationStep bad : List.of(grows, tooBig)) {
            assertThatThrownBy(() -> bad.applyTo(s, ARRAYS, fund, MoneyFlows.NONE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not reduce");
        }
        assertThat(LiquidationFixtures.dump(s, ARRAYS)).isEqualTo(before);
        assertThat(fund.holdings()).isEmpty();
    }

    @Test
    void deleveragingRanksByProfitTimesLeverage() {
        int perp = ARRAYS.instrumentIndex("BTC_USDC-PERPETUAL");
        double mark = ARRAYS.instrument(perp).mark();
        List<AccountState> accounts = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(9);
        for (int n = 0; n < 12; n++) {
            AccountState s = new AccountState(String.format("s%02d", n));
            double size = -(0.5 + rnd.nextInt(8) * 0.5);
            s.setPosition(perp, n == 11 ? 1.0 : size, mark * (0.9 + 0.2 * rnd.nextDouble())); // s11 is on the same side
            s.addBalance(ARRAYS.assetIndex("USDC"), n == 10 ? -1e6 : 20_000 + rnd.nextInt(200_000)); // s10: equity < 0
            accounts.add(s);
        }
        AccountMarginCalculator calc = new AccountMarginCalculator();
        List<AutoDeleveraging.Ranked> ranked = new AutoDeleveraging(calc).rank(ARRAYS, perp, 3.0, "bankrupt", accounts);
        assertThat(ranked).extracting(AutoDeleveraging.Ranked::account).doesNotContain("s10", "s11").hasSize(10);
        for (AutoDeleveraging.Ranked r : ranked) {
            AccountState s = accounts.stream().filter(x -> x.account().equals(r.account())).findFirst().orElseThrow();
            double q = s.positionSize(perp);
            double notional = Math.abs(q) * mark;
            double profit = q * (mark - s.entryPrice(perp)) / notional;
            double equity = LiquidationFixtures.figures(calc, s)[0];
            double leverage = notional / equity;
            assertThat(r.profitRatio()).isCloseTo(profit, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(r.leverage()).isCloseTo(leverage, org.assertj.core.data.Offset.offset(1e-9 * leverage));
            assertThat(r.score()).isEqualTo(profit > 0 ? r.profitRatio() * r.leverage() : r.profitRatio() / r.leverage());
        }
        for (int k = 1; k < ranked.size(); k++) {
            assertThat(ranked.get(k).score()).isLessThanOrEqualTo(ranked.get(k - 1).score());
        }
    }
}
