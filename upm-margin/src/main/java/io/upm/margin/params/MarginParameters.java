package io.upm.margin.params;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every parameter of the margin methodology, in one place, with MODEL.md's values as the defaults
 * ({@link #defaults()}). Immutable. A parameters file (JSON or YAML, {@code --params}) overrides any
 * subset of them; see docs/methodology.md for each option's meaning and unit.
 *
 * @param assets                     per-asset parameters for named assets
 * @param otherAsset                 parameters of any asset not named in {@code assets}
 * @param priceSteps                 points on each side of zero in the risk matrix (4 gives 9 moves)
 * @param volUpFloor                 the shocked-up vol is at least this (0.5 = 50 vol)
 * @param volDownFloor               the shocked-down vol is at least this
 * @param volShockReferenceDays      days to expiry at which the vol shocks apply unscaled (30)
 * @param volShockExponentShort      exponent p of (30/D)^p when D is below the reference days
 * @param volShockExponentLong       exponent p of (30/D)^p otherwise
 * @param volShockMinDays            D = max(T x 365, this)
 * @param extendedMoves              extended price moves, fractions, evaluated with the vol-up state
 * @param shortOptionMinimum         short-option minimum per unit of net short series size, fraction of S
 * @param liquidityFactor            factor of the liquidity add-on 0.1 x N x sqrt(N / ADV)
 * @param correlationStressWeight    Q_stress = (1 - w) rho + w (all ones)
 * @param offsetCap                  c_max: the largest share of the sum of worst losses that may be offset
 * @param jointLossDirections        surface directions sampled per joint-loss solve before refinement (0 = by dimension)
 * @param borrowingRate              borrowing charge, fraction of each loan's USD value
 * @param initialMarginMultiplier    IM = this x MM
 * @param stablecoins                assets that are collateral only (no risk unit)
 * @param stablecoinDefaultPrice     price of a stablecoin the snapshot does not quote, USD
 * @param standardShortOptionMaintenance siloed MM of a short option, fraction of S |q| (plus its value)
 * @param standardShortOptionInitial     siloed IM of a short option before the OTM reduction, fraction of S |q|
 * @param standardShortOptionInitialMin  the floor of that IM fraction
 * @param standardLoanMaintenance    siloed MM of a negative balance, fraction of its USD value
 * @param standardLoanInitial        siloed IM of a negative balance, fraction of its USD value
 */
public record MarginParameters(Map<String, AssetParameters> assets, AssetParameters otherAsset, int priceSteps,
                               double volUpFloor, double volDownFloor, double volShockReferenceDays,
                               double volShockExponentShort, double volShockExponentLong, double volShockMinDays,
                               List<Double> extendedMoves, double shortOptionMinimum, double liquidityFactor,
                               double correlationStressWeight, double offsetCap, int jointLossDirections,
                               double borrowingRate, double initialMarginMultiplier, Set<String> stablecoins,
                               double stablecoinDefaultPrice, double standardShortOptionMaintenance,
                               double standardShortOptionInitial, double standardShortOptionInitialMin,
                               double standardLoanMaintenance, double standardLoanInitial) {

    /** Copies the collections. */
    public MarginParameters {
        assets = Map.copyOf(new TreeMap<>(assets));
        extendedMoves = List.copyOf(extendedMoves);
        stablecoins = Set.copyOf(stablecoins);
    }

    private static final HaircutSchedule MAJOR = HaircutSchedule.of(5e6, 0.0, 50e6, 0.02, 0.05);
    private static final HaircutSchedule STABLE = HaircutSchedule.of(50e6, 0.0, 0.01);
    private static final HaircutSchedule SOL = HaircutSchedule.of(5e6, 0.05, 0.10);
    private static final HaircutSchedule OTHER = HaircutSchedule.of(1e6, 0.10, 0.25);

    /** The parameters of any asset MODEL.md does not name. */
    public static final AssetParameters DEFAULT_OTHER_ASSET =
        new AssetParameters(0.30, 0.5, 0.25, 0.02, 0.15, OTHER, 0.04, 0.02);

    /** MODEL.md version 1, all defaults. */
    public static MarginParameters defaults() {
        Map<String, AssetParameters> a = new TreeMap<>();
        a.put("BTC", new AssetParameters(0.16, 0.5, 0.25, 0.01, 0.075, MAJOR, 0.02, 0.01));
        a.put("ETH", new AssetParameters(0.18, 0.4, 0.25, 0.005, 0.05, MAJOR, 0.02, 0.01));
        a.put("SOL", new AssetParameters(0.25, 0.5, 0.25, 0.02, 0.15, SOL, 0.04, 0.02));
        a.put("USDC", DEFAULT_OTHER_ASSET.withHaircut(STABLE));
        a.put("USDT", DEFAULT_OTHER_ASSET.withHaircut(STABLE));
        return new MarginParameters(a, DEFAULT_OTHER_ASSET, 4, 0.5, 0.01, 30.0, 0.3, 0.13, 1.0,
            List.of(-0.66, -0.33, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0), 0.01, 0.1, 0.5, 0.5, 0, 0.04, 1.25,
            Set.of("USD", "USDC", "USDT", "DAI"), 1.0, 0.075, 0.15, 0.10, 0.10, 0.20);
    }

    /** The parameters of an asset: its own entry, else {@link #otherAsset()}. */
    public AssetParameters asset(String code) {
        AssetParameters p = assets.get(code);
        return p == null ? otherAsset : p;
    }

    /** True for a stablecoin (collateral only). */
    public boolean isStablecoin(String code) {
        return stablecoins.contains(code);
    }

    /** Number of price moves in the risk matrix (2 x priceSteps + 1). */
    public int priceMoveCount() {
        return 2 * priceSteps + 1;
    }

    /** The vol states, in report order. */
    public static final List<String> VOL_STATES = List.of("down", "none", "up");
}
