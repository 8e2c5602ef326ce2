package io.upm.backtest.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.engine.liquidation.InsuranceFund;
import io.upm.engine.liquidation.MoneyFlows;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code upm simulate --hedge-first} on the synthetic crash (-35% in 6 h): the upm policy runs twice, without and with
 * every account opted in; the run without is the plain upm run byte for byte; the run with hedges, conserves money
 * exactly (every balance its start plus its flows, every fee paid is a fee received), reports its cost to accounts as
 * impact plus fees, and is deterministic.
 */
class SimulationHedgeFirstTest {
    static MarketPaths paths;

    @BeforeAll
    static void crash() {
        paths = SyntheticCrash.paths(11, 0.35);
    }

    @Test
    void hedgeFirstRunsBesideThePlainPolicyHedgesAndConservesMoney() {
        SimulationSettings plain = SimulationSettings.defaults(SimulationTest.ACCOUNTS, 3);
        SimulationSettings hedged = plain.withHedgeFirst(true);
        List<SimulationResult> both = CrashSimulator.run(paths, hedged, List.of(LiquidationPolicy.UPM));
        assertThat(both).hasSize(2);
        assertThat(both.get(0).report().get("hedgeFirst")).isEqualTo(false);
        assertThat(both.get(1).report().get("hedgeFirst")).isEqualTo(true);
        String alone = SimulationReportWriter.toJson(CrashSimulator.run(paths, plain, List.of(LiquidationPolicy.UPM)));
        assertThat(SimulationReportWriter.toJson(List.of(both.get(0))).replace("\"hedgeFirst\" : false", ""))
            .as("the run without hedge first is the plain upm run").isEqualTo(alone.replace("\"hedgeFirst\" : false", ""));
        assertThat(SimulationReportWriter.toJson(CrashSimulator.run(SyntheticCrash.paths(11, 0.35), hedged,
            List.of(LiquidationPolicy.UPM)))).as("deterministic").isEqualTo(SimulationReportWriter.toJson(both));
        assertThat(SimulationReportWriter.toTable(both)).contains("upm+hedge", "liquidation hedges");

        SimulatedVenue venue = CrashSimulator.venue(paths, hedged);
        SimulationTest.Recorder rec = new SimulationTest.Recorder();
        RiskArrays arrays = arrays(venue);
        Map<String, Double> start = new HashMap<>();
        for (AccountState a : Simulation.initialStates(paths, venue, hedged, LiquidationPolicy.UPM)) {
            for (int b = 0; b < a.balanceCount(); b++) {
                start.put(a.account() + "|" + arrays.asset(a.balanceAsset(b)), a.balanceAmount(b));
            }
        }
        SimulationResult r = Simulation.run(paths, venue, hedged, LiquidationPolicy.UPM, rec);
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) r.report().get("liquidation");
        assertThat((Integer) l.get("hedges")).as("accounts were hedged").isPositive();
        assertThat((Double) l.get("costToAccountsUsd"))
            .isEqualTo((Double) l.get("impactCostUsd") + (Double) l.get("feesUsd"));
        for (AccountState a : r.finalStates()) {
            for (int b = 0; b < a.balanceCount(); b++) {
                String key = a.account() + "|" + arrays.asset(a.balanceAsset(b));
                double expected = start.getOrDefault(key, 0.0);
                for (Object[] f : rec.flows) {
                    if ((f[0] + "|" + f[1]).equals(key)) {
                        expected += (Double) f[3];
                    }
                }
                assertThat(a.balanceAmount(b)).as(key).isEqualTo(expected);
            }
        }
        double paid = 0;
        double received = 0;
        for (Object[] f : rec.flows) {
            if (f[2] == MoneyFlows.Kind.LIQUIDATION_FEE) {
                if (InsuranceFund.PARTY.equals(f[0])) {
                    received += (Double) f[3];
                } else {
                    paid -= (Double) f[3];
                }
            }
        }
        assertThat(received).isEqualTo(paid);
    }

    @Test
    void withListedOptionsTheHedgesImpactIsPricedOnTheOptionsValue() {
        SimulationSettings withOptions = SimulationSettings.defaults(SimulationTest.ACCOUNTS, 3).withHedgeFirst(true)
            .withHedgeOptions(true);
        SimulationResult r = Simulation.run(paths, CrashSimulator.venue(paths, withOptions), withOptions,
            LiquidationPolicy.UPM);
        assertThat(r.report().get("hedgeOptions")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) r.report().get("liquidation");
        assertThat((Integer) l.get("hedges")).isPositive();
        // MODEL.md section 11's impact is a fraction of a percent of the notional; pricing an option trade against its
        // underlying's mark (the old bug) made it about the whole notional
        assertThat((Double) l.get("impactCostUsd")).isLessThan(0.02 * (Double) l.get("notionalUsd"));
        assertThat((Double) l.get("costToAccountsUsd"))
            .isEqualTo((Double) l.get("impactCostUsd") + (Double) l.get("feesUsd"));
        // options only with hedge first
        assertThatThrownBy(() -> SimulationSettings.defaults(SimulationTest.ACCOUNTS, 3).withHedgeOptions(true))
            .hasMessageContaining("--hedge-options");
    }

    /** The venue's universe at the window's first prices (asset names and indices as the simulation's). */
    static RiskArrays arrays(SimulatedVenue v) {
        io.upm.market.MarketSnapshot.Builder b = io.upm.market.MarketSnapshot.builder(paths.start());
        b.price("USDC", 1.0).price("USDT", 1.0);
        for (String u : paths.underlyings()) {
            b.price(u, paths.price(u, 0)).flatVol(u, 0.6).adv(u, paths.adv(u));
        }
        return RiskArrays.build(b.build(), io.upm.margin.params.MarginParameters.defaults(), v.universe(),
            v.universe().stream().map(io.upm.product.Instrument::name).toList());
    }
}
