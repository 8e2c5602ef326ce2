package io.upm.backtest.simulate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's entry point: loads the paths of a window, generates the venue once, and runs each policy on it
 * (each policy gets the same accounts with the collateral its own margin asks for). Stateless.
 */
public final class CrashSimulator {
    private CrashSimulator() {
    }

    /** Runs {@code policies} on the window's real paths from {@code dataDir}. */
    public static List<SimulationResult> run(Path dataDir, LocalDate from, LocalDate to, SimulationSettings settings,
                                             List<LiquidationPolicy> policies) {
        return run(MarketPaths.load(dataDir, from, to), settings, policies);
    }

    /**
     * Runs {@code policies} on given paths. With {@link SimulationSettings#hedgeFirst}, the {@code upm} policy is run
     * twice on the same venue: without hedge first, then with every account opted in (the comparison).
     */
    public static List<SimulationResult> run(MarketPaths paths, SimulationSettings settings,
                                             List<LiquidationPolicy> policies) {
        SimulatedVenue venue = venue(paths, settings);
        List<SimulationResult> out = new ArrayList<>();
        for (LiquidationPolicy p : policies) {
            if (p == LiquidationPolicy.UPM && settings.hedgeFirst()) {
                out.add(Simulation.run(paths, venue, settings.withHedgeFirst(false), p));
            }
            out.add(Simulation.run(paths, venue, settings, p));
        }
        return out;
    }

    /** The venue of a window: generated at its first prices and ADVs. */
    public static SimulatedVenue venue(MarketPaths paths, SimulationSettings settings) {
        Map<String, Double> prices = new java.util.LinkedHashMap<>();
        Map<String, Double> adv = new TreeMap<>();
        for (String u : paths.underlyings()) {
            prices.put(u, paths.price(u, 0));
            adv.put(u, paths.adv(u));
        }
        return SimulatedVenue.generate(prices, adv, paths.start(), paths.start().plusSeconds(60L * paths.minutes()),
            settings);
    }
}
