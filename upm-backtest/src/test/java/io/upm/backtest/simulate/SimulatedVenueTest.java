package io.upm.backtest.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.product.Instrument;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated venue: positions net to zero instrument by instrument, many kinds and leverages, seeded. */
class SimulatedVenueTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void positionsNetToZeroAcrossTheVenueAndKindsAndLeveragesVary(long seed) {
        MarketPaths paths = SyntheticCrash.paths(7, 0.3);
        SimulationSettings settings = SimulationSettings.defaults(300, seed);
        SimulatedVenue v = CrashSimulator.venue(paths, settings);
        assertThat(v.accounts()).hasSize(300);
        TreeMap<String, Long> net = new TreeMap<>();
        TreeMap<String, Long> gross = new TreeMap<>();
        for (SimulatedVenue.Account a : v.accounts()) {
            for (SimulatedVenue.Holding h : a.holdings()) {
                assertThat(h.lots()).isNotZero();
                assertThat(h.size()).isEqualTo(h.lots() * SimulatedVenue.lot(h.instrument()));
                net.merge(h.instrument(), h.lots(), Long::sum);
                gross.merge(h.instrument(), Math.abs(h.lots()), Long::sum);
            }
        }
        for (Instrument i : v.universe()) {
            assertThat(net.getOrDefault(i.name(), 0L)).as(i.name()).isZero();
            assertThat(v.netLots(i.name())).isZero();
        }
        assertThat(gross.keySet()).as("perpetuals and options of all three underlyings are held")
            .contains("BTC_USDC-PERPETUAL", "BTC-PERPETUAL", "ETH_USDC-PERPETUAL", "SOL_USDC-PERPETUAL")
            .anyMatch(n -> n.endsWith("-P")).anyMatch(n -> n.endsWith("-C"));
        Map<String, Long> kinds = new TreeMap<>();
        v.accounts().forEach(a -> kinds.merge(a.kind(), 1L, Long::sum));
        assertThat(kinds.keySet()).contains("long-perp", "short-perp", "pair", "basis", "spot-loan", "coin-loan",
            "short-strangle", "option-buyer", "protective-put", "market-maker");
        assertThat(kinds.get("long-perp")).isEqualTo(kinds.get("short-perp"));
        assertThat(v.accounts()).anyMatch(a -> a.utilisation() < 1.1).anyMatch(a -> a.utilisation() > 3)
            .allMatch(a -> a.utilisation() >= 1.02 && a.utilisation() <= 8);
        // the venue's gross notional is about the open-interest share of the ADVs
        double usd = 0;
        for (SimulatedVenue.Account a : v.accounts()) {
            for (SimulatedVenue.Holding h : a.holdings()) {
                boolean inverse = h.instrument().endsWith("-PERPETUAL") && !h.instrument().contains("_");
                String u = h.instrument().substring(0, 3);
                usd += Math.abs(h.size()) * (inverse ? 1.0 : paths.price(u, 0));
            }
        }
        double adv = paths.adv("BTC") + paths.adv("ETH") + paths.adv("SOL");
        assertThat(usd / adv).isBetween(0.08, 0.14); // market makers' residual on top of the scaled trades
        // seeded: the same seed, the same venue
        assertThat(CrashSimulator.venue(paths, settings).accounts()).isEqualTo(v.accounts());
    }
}
