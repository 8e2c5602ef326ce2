package io.upm.backtest.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.engine.liquidation.InsuranceFund;
import io.upm.engine.liquidation.MoneyFlows;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Instrument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator on a synthetic crash (every underlying -35% in six hours): the same seed gives the same report byte for
 * byte; money is conserved exactly across accounts, fees, the fund and auto-deleveraging; bankrupt accounts end empty
 * with equity 0; the cascade guard's rate is never exceeded; the report's figures equal the same figures recomputed
 * from the run's records.
 */
class SimulationTest {
    static MarketPaths paths;
    static final int ACCOUNTS = 160;

    @BeforeAll
    static void crash() {
        paths = SyntheticCrash.paths(11, 0.35);
    }

    /** Records every flow and sums them per party and asset. */
    static final class Recorder implements MoneyFlows {
        final List<Object[]> flows = new ArrayList<>();
        final Map<String, Double> sums = new HashMap<>();

        @Override
        public void flow(String party, String asset, Kind kind, double amount) {
            flows.add(new Object[] {party, asset, kind, amount});
            sums.merge(party + "|" + asset, amount, Double::sum);
        }
    }

    @Test
    void theSameSeedGivesTheSameReportByteForByte() {
        SimulationSettings s = SimulationSettings.defaults(ACCOUNTS, 5);
        List<LiquidationPolicy> all = List.of(LiquidationPolicy.values());
        String a = SimulationReportWriter.toJson(CrashSimulator.run(paths, s, all));
        String b = SimulationReportWriter.toJson(CrashSimulator.run(SyntheticCrash.paths(11, 0.35), s, all));
        assertThat(b).isEqualTo(a);
        assertThat(a).contains("\"policy\" : \"upm\"", "\"policy\" : \"close-out\"", "\"policy\" : \"siloed\"");
        String other = SimulationReportWriter.toJson(CrashSimulator.run(paths, SimulationSettings.defaults(ACCOUNTS, 6), all));
        assertThat(other).as("another seed, another venue").isNotEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(LiquidationPolicy.class)
    void moneyIsConservedExactlyAndBankruptAccountsEndEmpty(LiquidationPolicy policy) {
        for (double fundShare : new double[] {0.0025, 0.0}) {
            SimulationSettings s = SimulationSettings.defaults(ACCOUNTS, 3).withFundShare(fundShare);
            SimulatedVenue venue = CrashSimulator.venue(paths, s);
            Recorder rec = new Recorder();
            Map<String, Double> start = new HashMap<>();
            RiskArrays arrays = arrays(venue);
            for (AccountState a : Simulation.initialStates(paths, venue, s, policy)) {
                for (int b = 0; b < a.balanceCount(); b++) {
                    start.put(a.account() + "|" + arrays.asset(a.balanceAsset(b)), a.balanceAmount(b));
                }
            }
            SimulationResult r = Simulation.run(paths, venue, s, policy, rec);
            assertThat(r.steps()).as("the crash liquidates").isNotEmpty();
            if (policy != LiquidationPolicy.CLOSE_OUT) { // closing whole accounts at MM leaves few or none bankrupt
                assertThat(r.bankruptcies()).as("the crash bankrupts someone").isNotEmpty();
            }
            // every balance is its starting amount plus the running sum of its flows, bit for bit
            for (AccountState a : r.finalStates()) {
                for (int b = 0; b < a.balanceCount(); b++) {
                    String key = a.account() + "|" + arrays.asset(a.balanceAsset(b));
                    double expected = start.getOrDefault(key, 0.0);
                    List<Double> mine = new ArrayList<>();
                    for (Object[] f : rec.flows) {
                        if ((f[0] + "|" + f[1]).equals(key)) {
                            mine.add((Double) f[3]);
                        }
                    }
                    for (double x : mine) {
                        expected += x;
                    }
                    assertThat(a.balanceAmount(b)).as(key).isEqualTo(expected);
                }
            }
            double fundStart = r.report().get("insuranceFund") instanceof Map<?, ?> m ? (Double) m.get("startUsd") : 0;
            double fundUsdc = fundStart;
            for (Object[] f : rec.flows) {
                if (InsuranceFund.PARTY.equals(f[0]) && "USDC".equals(f[1])) {
                    fundUsdc += (Double) f[3];
                }
            }
            assertThat(r.fundHoldings().getOrDefault("USDC", 0.0)).isEqualTo(fundUsdc);
            // transfers inside the venue are pairs of one amount with opposite signs
            List<Double> paid = new ArrayList<>();
            List<Double> received = new ArrayList<>();
            int adl = 0;
            for (int n = 0; n < rec.flows.size(); n++) {
                Object[] f = rec.flows.get(n);
                MoneyFlows.Kind kind = (MoneyFlows.Kind) f[2];
                boolean toFund = InsuranceFund.PARTY.equals(f[0]);
                if (kind == MoneyFlows.Kind.LIQUIDATION_FEE || kind == MoneyFlows.Kind.TAKEOVER) {
                    (toFund ? received : paid).add(toFund ? (double) f[3] : -(double) f[3]);
                } else if (kind == MoneyFlows.Kind.DELEVERAGING && (double) f[3] < 0) {
                    Object[] g = rec.flows.get(n + 1);
                    assertThat(g[2]).isEqualTo(MoneyFlows.Kind.DELEVERAGING);
                    assertThat((double) g[3]).isEqualTo(-(double) f[3]);
                    adl++;
                }
            }
            assertThat(received).as("what the fund received, flow by flow").isEqualTo(paid);
            long adlEvents = r.bankruptcies().stream().mapToInt(SimulationResult.BankruptcyRecord::adlEvents).sum();
            if (fundShare == 0.0 && policy != LiquidationPolicy.CLOSE_OUT) {
                assertThat(adlEvents).as("an empty fund deleverages").isPositive();
                double cash = r.bankruptcies().stream().mapToDouble(SimulationResult.BankruptcyRecord::adlCashUsd).sum();
                assertThat(adl > 0).as("payments were made, each as a pair of flows").isEqualTo(cash > 0);
            }
            // bankrupt accounts end with no positions, no balances and equity 0
            Map<String, AccountState> end = new TreeMap<>();
            r.finalStates().forEach(a -> end.put(a.account(), a));
            AccountMarginCalculator calc = new AccountMarginCalculator();
            for (SimulationResult.BankruptcyRecord b : r.bankruptcies()) {
                AccountState a = end.get(b.account());
                assertThat(a.positionCount()).as(b.account()).isZero();
                assertThat(a.balanceCount()).as(b.account()).isZero();
                calc.compute(arrays, a.resolve(arrays), -1);
                assertThat(calc.equity()).isEqualTo(0.0);
                assertThat(r.outcomes().get(b.account()).bankrupt()).isTrue();
            }
        }
    }

    @Test
    void theCascadeGuardsRateIsNeverExceeded() {
        SimulationSettings s = SimulationSettings.defaults(ACCOUNTS, 3);
        SimulationResult r = Simulation.run(paths, CrashSimulator.venue(paths, s), s, LiquidationPolicy.UPM);
        Map<String, Double> perMinute = new TreeMap<>();
        for (SimulationResult.StepRecord x : r.steps()) {
            perMinute.merge(x.step().underlying() + "|" + x.step().time().toEpochMilli() / 60_000, x.step().notionalUsd(),
                Double::sum);
        }
        double maxUse = 0;
        for (Map.Entry<String, Double> e : perMinute.entrySet()) {
            String u = e.getKey().substring(0, e.getKey().indexOf('|'));
            double budget = s.liquidation().guardBudgetPerMinute(paths.adv(u));
            assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(budget * (1 + 1e-12));
            maxUse = Math.max(maxUse, e.getValue() / budget);
        }
        assertThat(maxUse).as("the guard binds on this crash").isGreaterThan(0.99);
        // close-out has no guard: it trades more than the budget in some minute
        SimulationResult c = Simulation.run(paths, CrashSimulator.venue(paths, s), s, LiquidationPolicy.CLOSE_OUT);
        Map<String, Double> cm = new TreeMap<>();
        for (SimulationResult.StepRecord x : c.steps()) {
            cm.merge(x.step().underlying() + "|" + x.minute(), x.step().notionalUsd(), Double::sum);
        }
        assertThat(cm.entrySet()).anyMatch(e -> e.getValue()
            > s.liquidation().guardBudgetPerMinute(paths.adv(e.getKey().substring(0, e.getKey().indexOf('|')))));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @EnumSource(LiquidationPolicy.class)
    void theReportEqualsTheFiguresRecomputedFromTheRecords(LiquidationPolicy policy) {
        SimulationSettings s = SimulationSettings.defaults(ACCOUNTS, 9).withFundShare(0.0005);
        SimulationResult r = Simulation.run(paths, CrashSimulator.venue(paths, s), s, policy);
        Map<String, Object> rep = r.report();
        // liquidated notional per hour, from the steps one by one
        TreeMap<Long, Double> hourly = new TreeMap<>();
        double total = 0;
        double fees = 0;
        for (SimulationResult.StepRecord x : r.steps()) {
            long hour = (x.step().time().getEpochSecond() - paths.start().getEpochSecond()) / 3600;
            hourly.merge(hour, x.step().notionalUsd(), Double::sum);
            total += x.step().notionalUsd();
            fees += x.step().feeUsd();
        }
        Map<String, Object> liq = (Map<String, Object>) rep.get("liquidation");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) liq.get("notionalPerHour");
        assertThat(rows).hasSize(hourly.size());
        int k = 0;
        for (Map.Entry<Long, Double> e : hourly.entrySet()) {
            Map<String, Object> row = rows.get(k++);
            assertThat(row.get("hour")).isEqualTo(paths.start().plusSeconds(3600 * e.getKey()).toString());
            assertThat((double) row.get("total")).isCloseTo(e.getValue(), within(1e-6 * e.getValue()));
        }
        assertThat((double) liq.get("notionalUsd")).isCloseTo(total, within(1e-6 * Math.max(1, total)));
        assertThat((double) liq.get("feesUsd")).isCloseTo(fees, within(1e-6 * Math.max(1, fees)));
        // accounts: from the final states and the bankruptcies
        Map<String, AccountState> end = new TreeMap<>();
        r.finalStates().forEach(a -> end.put(a.account(), a));
        java.util.Set<String> touched = new java.util.TreeSet<>();
        r.steps().forEach(x -> touched.add(x.step().account()));
        r.bankruptcies().forEach(b -> touched.add(b.account()));
        long wholly = touched.stream().filter(id -> end.get(id).positionCount() == 0).count();
        Map<String, Object> acc = (Map<String, Object>) rep.get("accounts");
        assertThat(acc.get("liquidated")).isEqualTo(touched.size());
        assertThat(acc.get("liquidatedWholly")).isEqualTo((int) wholly);
        assertThat(acc.get("liquidatedPartly")).isEqualTo(touched.size() - (int) wholly);
        assertThat(acc.get("bankrupt")).isEqualTo((int) r.bankruptcies().stream().map(b -> b.account()).distinct().count());
        // bad debt: the fund's fall plus what deleveraging recovered plus what nobody covered
        Map<String, Object> bd = (Map<String, Object>) rep.get("badDebt");
        double deficit = (double) bd.get("badDebtUsd");
        double covered = (double) bd.get("paidByFundUsd") + (double) bd.get("recoveredByAdlUsd");
        assertThat(covered).isCloseTo(deficit, within(1e-6 * Math.max(1, deficit)));
        // the extra price move: the simulated price over the real one, minute by minute
        for (String u : paths.underlyings()) {
            double[] sim = r.simulatedPrice(u);
            double worst = 0;
            for (int m = 0; m <= paths.minutes(); m++) {
                double d = sim[m] / paths.price(u, m) - 1;
                worst = Math.abs(d) > Math.abs(worst) ? d : worst;
            }
            assertThat(r.largestExtraMove(u)).isCloseTo(worst, within(1e-12));
        }
    }

    /** The venue's universe at the window's first prices (asset names and indices as the simulation's). */
    static RiskArrays arrays(SimulatedVenue v) {
        io.upm.market.MarketSnapshot.Builder b = io.upm.market.MarketSnapshot.builder(paths.start());
        b.price("USDC", 1.0).price("USDT", 1.0);
        for (String u : paths.underlyings()) {
            b.price(u, paths.price(u, 0)).flatVol(u, 0.6).adv(u, paths.adv(u));
        }
        return RiskArrays.build(b.build(), MarginParameters.defaults(), v.universe(),
            v.universe().stream().map(Instrument::name).toList());
    }
}
