package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole path over the synthetic venue's accounts (seeded), with a rich fund (bankruptcies closed in the market, the
 * fund takes over what is left) and an empty one (auto-deleveraging): bankrupt accounts end with no positions and an
 * equity of exactly 0; money is conserved exactly (every balance, the fund's included, is the running sum of its flows,
 * and every fee, deleveraging payment and takeover is two flows of one amount with opposite signs); the venue's total
 * value changes by exactly what was paid to the market in impact (to rounding); replaying the journal lines on the
 * initial states reproduces every account and the fund bit for bit, and a second run gives the same journal.
 */
class BankruptcyAndConservationTest {
    private static final int ACCOUNTS = 150;

    /** Records every flow, in order. */
    static final class Recorder implements MoneyFlows {
        final List<Object[]> flows = new ArrayList<>();
        final Map<String, Double> sums = new HashMap<>();

        @Override
        public void flow(String party, String asset, Kind kind, double amount) {
            flows.add(new Object[] {party, asset, kind, amount});
            sums.merge(party + "|" + asset, amount, Double::sum);
        }
    }

    @ParameterizedTest
    @CsvSource({"31, 1e9", "31, 0", "32, 0"})
    void bankruptAccountsEndEmptyMoneyIsConservedAndReplayReproducesEverything(long seed, double fundUsdc) {
        List<AccountState> initial = LiquidationFixtures.accounts(ACCOUNTS, seed);
        Recorder rec = new Recorder();
        for (AccountState s : initial) {
            for (int b = 0; b < s.balanceCount(); b++) {
                rec.sums.put(s.account() + "|" + ARRAYS.asset(s.balanceAsset(b)), s.balanceAmount(b));
            }
        }
        InsuranceFund fund = fundUsdc > 0 ? InsuranceFund.of("USDC", fundUsdc) : new InsuranceFund();
        fund.holdings().forEach((a, x) -> rec.sums.put(InsuranceFund.PARTY + "|" + a, x));
        List<AccountState> states = LiquidationFixtures.accounts(ACCOUNTS, seed);
        double valueBefore = totalValue(states, fund);
        LiquidationDriver driver = new LiquidationDriver(ARRAYS, states, fund, LiquidationParameters.defaults(), false,
            null, rec);
        driver.run(SyntheticVenue.TIME, 3, VOL);

        // bankrupt accounts end empty
        assertThat(driver.resolutions).as("the seed has bankruptcies").isNotEmpty();
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (BankruptcyResolution r : driver.resolutions) {
            AccountState s = driver.accounts.get(r.account());
            assertThat(s.positionCount()).isZero();
            assertThat(s.balanceCount()).isZero();
            assertThat(LiquidationFixtures.figures(calc, s)[0]).isEqualTo(0.0);
        }
        long adl = driver.resolutions.stream().flatMap(r -> r.deleveraging().stream())
            .filter(t -> t.counterparty() != null).count();
        if (fundUsdc > 0) {
            assertThat(adl).as("a rich fund needs no deleveraging").isZero();
            assertThat(driver.resolutions).allSatisfy(r -> assertThat(r.uncoveredUsd()).isZero());
        } else {
            assertThat(adl).as("an empty fund deleverages opposite positions").isPositive();
        }

        // every balance is the running sum of its flows, bit for bit
        for (AccountState s : driver.accounts.values()) {
            for (int b = 0; b < s.balanceCount(); b++) {
                String key = s.account() + "|" + ARRAYS.asset(s.balanceAsset(b));
                assertThat(s.balanceAmount(b)).as(key).isEqualTo(rec.sums.get(key));
            }
        }
        fund.holdings().forEach((a, x) -> assertThat(x).as("fund " + a).isEqualTo(rec.sums.get(InsuranceFund.PARTY + "|" + a)));

        // internal transfers are pairs of one amount
        List<Double> paid = new ArrayList<>();
        List<Double> received = new ArrayList<>();
        for (int n = 0; n < rec.flows.size(); n++) {
            Object[] f = rec.flows.get(n);
            MoneyFlows.Kind kind = (MoneyFlows.Kind) f[2];
            boolean toFund = InsuranceFund.PARTY.equals(f[0]);
            if (kind == MoneyFlows.Kind.LIQUIDATION_FEE || kind == MoneyFlows.Kind.TAKEOVER) {
                (toFund ? received : paid).add(toFund ? (double) f[3] : -(double) f[3]);
            } else if (kind == MoneyFlows.Kind.DELEVERAGING && (double) f[3] < 0) {
                Object[] g = rec.flows.get(n + 1);
                assertThat(g[2]).isEqualTo(MoneyFlows.Kind.DELEVERAGING);
                assertThat((double) g[3]).as("deleveraging payment received").isEqualTo(-(double) f[3]);
            }
        }
        assertThat(received).as("what the fund received, flow by flow").isEqualTo(paid);

        // the venue's value moved by the impact paid to the market (everything else is internal)
        double valueAfter = totalValue(driver.accounts.values(), fund);
        double scale = grossScale(driver.accounts.values()) + Math.abs(valueBefore);
        assertThat(valueBefore - valueAfter).isCloseTo(driver.impactPaid, org.assertj.core.data.Offset.offset(1e-9 * scale));

        // replay: the journal lines on the initial states give the same accounts and fund, bit for bit
        TreeMap<String, AccountState> replayed = new TreeMap<>();
        initial.forEach(s -> replayed.put(s.account(), s));
        InsuranceFund replayFund = fundUsdc > 0 ? InsuranceFund.of("USDC", fundUsdc) : new InsuranceFund();
        for (String line : driver.journal) {
            Record r = LiquidationCommandCodec.read(line);
            if (r instanceof LiquidationStep step) {
                step.applyTo(replayed.get(step.account()), ARRAYS, replayFund, MoneyFlows.NONE);
            } else {
                ((BankruptcyResolution) r).applyTo(replayed::get, ARRAYS, replayFund, MoneyFlows.NONE);
            }
        }
        for (AccountState s : driver.accounts.values()) {
            assertThat(LiquidationFixtures.dump(replayed.get(s.account()), ARRAYS)).isEqualTo(LiquidationFixtures.dump(s, ARRAYS));
        }
        assertThat(replayFund.holdings()).isEqualTo(fund.holdings());

        // determinism: the same run journals the same lines
        LiquidationDriver again = new LiquidationDriver(ARRAYS, LiquidationFixtures.accounts(ACCOUNTS, seed),
            fundUsdc > 0 ? InsuranceFund.of("USDC", fundUsdc) : new InsuranceFund(), LiquidationParameters.defaults(),
            false, null, MoneyFlows.NONE);
        again.run(SyntheticVenue.TIME, 3, VOL);
        assertThat(again.journal).isEqualTo(driver.journal);
    }

    private static double totalValue(Iterable<AccountState> states, InsuranceFund fund) {
        double v = fund.valueUsd(ARRAYS);
        for (AccountState s : states) {
            v += AutoDeleveraging.grossValueUsd(ARRAYS, s);
        }
        return v;
    }

    private static double grossScale(Iterable<AccountState> states) {
        double v = 0;
        for (AccountState s : states) {
            v += Math.abs(AutoDeleveraging.grossValueUsd(ARRAYS, s));
        }
        return v;
    }
}
