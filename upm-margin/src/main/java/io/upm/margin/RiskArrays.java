package io.upm.margin;

import io.upm.input.InputException;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.OptionSensitivities;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The risk arrays of a universe of instruments under one market snapshot and one set of margin
 * parameters (the CME SPAN idea): for each instrument, the P&L of one unit of exposure in each of the
 * risk matrix's cells (price move x vol state), under each extended move, and its Greeks, all computed
 * once and shared by every account that holds it. An account's unit matrix is then a sum of
 * exposure x array ({@link AccountMarginCalculator}).
 *
 * <p>Exposure is the position size, except for inverse perpetuals and futures, whose P&amp;L
 * q (1/E - 1/M') S' - q (1/E - 1/M) S = (q / E) S s is linear in q / E: their exposure is q / E (coin) and
 * their array is that of one coin, S s.
 *
 * <p>Also holds the asset table (every asset the snapshot prices, plus the stablecoins) with prices,
 * scan ranges and the per-asset constants of the unit charges.
 *
 * <p>Immutable after construction and thread-safe (the joint-loss geometry cache is concurrent).
 * {@link #withMarket} gives the arrays under a new snapshot, recomputing only the instruments of the
 * underlyings that moved; instrument and asset indices are preserved.
 */
public final class RiskArrays {
    private final MarketSnapshot market;
    private final MarginParameters params;
    private final int cells;
    private final int extendedCount;
    private final double[] extendedMoves;

    // assets
    private final String[] assets;
    private final Map<String, Integer> assetIndex;
    private final double[] assetPrice;
    private final boolean[] stablecoin;
    private final double[] scanRange;
    private final double[] priceMoves; // [asset * moveCount + j]
    private final double[] adv;
    private final AssetParameters[] assetParams;

    // instruments
    private final ResolvedInstrument[] instruments;
    private final Map<String, Integer> instrumentIndex;
    private final int[] instrumentAsset;
    /**
     * Per instrument, contiguous (one stream per position for the hot path), per unit of exposure:
     * [i * stride + j * 3 + v] the cell P&amp;L, then at [i * stride + cells + k] the extended moves (vol-up
     * state), then at [i * stride + cells + extendedCount + g] the Greeks.
     */
    private final double[] risk;
    private final int stride;
    private final double[] optionValue; // per unit of size, options only (NaN otherwise)
    private final boolean[] inverseDelta1;
    private final int[] rollGroup;    // universe-wide id of (underlying, expiry or perpetual)
    private final double[] rollGroupFactor; // by group: max(minMove, e^{amr T} - 1)
    private final int[] series;       // universe-wide id of (underlying, expiry, strike, type); -1 for non-options

    private final ConcurrentHashMap<Long, JointLossSolver.Geometry> geometryCache;

    private RiskArrays(MarketSnapshot market, MarginParameters params, List<ResolvedInstrument> resolved,
                       ConcurrentHashMap<Long, JointLossSolver.Geometry> geometryCache) {
        this.market = market;
        this.params = params;
        this.cells = params.priceMoveCount() * VolShocks.COUNT;
        this.extendedMoves = params.extendedMoves().stream().mapToDouble(Double::doubleValue).toArray();
        this.extendedCount = extendedMoves.length;
        this.geometryCache = geometryCache;

        TreeSet<String> names = new TreeSet<>(market.prices().keySet());
        names.addAll(params.stablecoins());
        for (ResolvedInstrument r : resolved) {
            names.add(r.instrument().underlying());
        }
        assets = names.toArray(String[]::new);
        int na = assets.length;
        assetIndex = new HashMap<>();
        assetPrice = new double[na];
        stablecoin = new boolean[na];
        scanRange = new double[na];
        adv = new double[na];
        assetParams = new AssetParameters[na];
        int moves = params.priceMoveCount();
        priceMoves = new double[na * moves];
        for (int a = 0; a < na; a++) {
            String code = assets[a];
            assetIndex.put(code, a);
            stablecoin[a] = params.isStablecoin(code);
            double p = market.priceOrNaN(code);
            assetPrice[a] = Double.isNaN(p) && stablecoin[a] ? params.stablecoinDefaultPrice() : p;
            assetParams[a] = params.asset(code);
            scanRange[a] = assetParams[a].scanRange();
            adv[a] = market.advOrNaN(code);
            for (int j = 0; j < moves; j++) {
                priceMoves[a * moves + j] = scanRange[a] * (j - params.priceSteps()) / params.priceSteps();
            }
        }

        int n = resolved.size();
        instruments = resolved.toArray(ResolvedInstrument[]::new);
        instrumentIndex = new HashMap<>();
        instrumentAsset = new int[n];
        stride = cells + extendedCount + ResolvedInstrument.GREEK_COUNT;
        risk = new double[n * stride];
        optionValue = new double[n];
        inverseDelta1 = new boolean[n];
        rollGroup = new int[n];
        series = new int[n];
        Map<String, Integer> groupIds = new HashMap<>();
        List<Double> groupFactors = new ArrayList<>();
        Map<String, Integer> seriesIds = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ResolvedInstrument r = instruments[i];
            Instrument ins = r.instrument();
            instrumentIndex.put(ins.name(), i);
            int a = assetIndex.get(ins.underlying());
            instrumentAsset[i] = a;
            inverseDelta1[i] = r.isInverseDelta1();
            Instant expiry = ins.expiry();
            String groupKey = ins.underlying() + "|" + (expiry == null ? "PERPETUAL" : expiry.toString());
            Integer g = groupIds.get(groupKey);
            if (g == null) {
                g = groupIds.size();
                groupIds.put(groupKey, g);
                AssetParameters ap = assetParams[a];
                double t = expiry == null ? 0.0 : r.yearFraction();
                groupFactors.add(Math.max(ap.rollMinMove(), Math.expm1(ap.rollAnnualMoveRate() * t)));
            }
            rollGroup[i] = g;
            if (ins instanceof EuropeanOption o) {
                String seriesKey = o.underlying() + "|" + o.expiry() + "|" + o.strike() + "|" + o.type();
                series[i] = seriesIds.computeIfAbsent(seriesKey, k -> seriesIds.size());
            } else {
                series[i] = -1;
            }
        }
        rollGroupFactor = groupFactors.stream().mapToDouble(Double::doubleValue).toArray();
        OptionSensitivities scratch = new OptionSensitivities();
        double[] g6 = new double[ResolvedInstrument.GREEK_COUNT];
        for (int i = 0; i < n; i++) {
            fill(i, scratch, g6);
        }
    }

    private RiskArrays(RiskArrays base, MarketSnapshot market, List<ResolvedInstrument> resolved, boolean[] changed) {
        this.market = market;
        this.params = base.params;
        this.cells = base.cells;
        this.extendedMoves = base.extendedMoves;
        this.extendedCount = base.extendedCount;
        this.geometryCache = base.correlationsUnchanged(market) ? base.geometryCache : new ConcurrentHashMap<>();
        this.assets = base.assets;
        this.assetIndex = base.assetIndex;
        this.stablecoin = base.stablecoin;
        this.scanRange = base.scanRange;
        this.priceMoves = base.priceMoves;
        this.assetParams = base.assetParams;
        this.assetPrice = new double[assets.length];
        this.adv = new double[assets.length];
        for (int a = 0; a < assets.length; a++) {
            double p = market.priceOrNaN(assets[a]);
            assetPrice[a] = Double.isNaN(p) && stablecoin[a] ? params.stablecoinDefaultPrice() : p;
            adv[a] = market.advOrNaN(assets[a]);
        }
        this.instruments = resolved.toArray(ResolvedInstrument[]::new);
        this.instrumentIndex = base.instrumentIndex;
        this.instrumentAsset = base.instrumentAsset;
        this.inverseDelta1 = base.inverseDelta1;
        this.rollGroup = base.rollGroup;
        if (market.time().equals(base.market.time())) {
            this.rollGroupFactor = base.rollGroupFactor;
        } else {
            // time passed: every expiry group's e^{amr T} - 1 changes with T
            this.rollGroupFactor = new double[base.rollGroupFactor.length];
            for (int i = 0; i < resolved.size(); i++) {
                ResolvedInstrument r = resolved.get(i);
                AssetParameters ap = assetParams[base.instrumentAsset[i]];
                double t = r.instrument().expiry() == null ? 0.0 : r.yearFraction();
                rollGroupFactor[base.rollGroup[i]] = Math.max(ap.rollMinMove(), Math.expm1(ap.rollAnnualMoveRate() * t));
            }
        }
        this.series = base.series;
        this.stride = base.stride;
        this.risk = base.risk.clone();
        this.optionValue = base.optionValue.clone();
        OptionSensitivities scratch = new OptionSensitivities();
        double[] g6 = new double[ResolvedInstrument.GREEK_COUNT];
        for (int i = 0; i < instruments.length; i++) {
            if (changed[i]) {
                fill(i, scratch, g6);
            }
        }
    }

    private boolean correlationsUnchanged(MarketSnapshot other) {
        return other.correlations() == market.correlations();
    }

    /**
     * Builds the arrays of a universe of instruments.
     *
     * @param instruments the instruments, each once (duplicates by name are ignored)
     * @param fields      for each instrument, the input field that named it (for errors)
     * @throws InputException if an instrument cannot be resolved against the snapshot
     */
    public static RiskArrays build(MarketSnapshot market, MarginParameters params, List<? extends Instrument> instruments,
                                   List<String> fields) {
        List<ResolvedInstrument> resolved = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (int i = 0; i < instruments.size(); i++) {
            Instrument ins = instruments.get(i);
            if (seen.putIfAbsent(ins.name(), Boolean.TRUE) == null) {
                resolved.add(ResolvedInstrument.resolve(ins, market, fields.get(i)));
            }
        }
        return new RiskArrays(market, params, resolved, new ConcurrentHashMap<>());
    }

    /**
     * The arrays under a new snapshot in which only the underlyings {@code moved} changed (prices,
     * forwards, marks, vols); only their instruments are repriced. The asset table keeps its assets (a
     * new asset in the snapshot is not added) and every index stays valid.
     */
    public RiskArrays withMarket(MarketSnapshot newMarket, java.util.Set<String> moved) {
        boolean[] changed = new boolean[instruments.length];
        List<ResolvedInstrument> resolved = new ArrayList<>(instruments.length);
        for (int i = 0; i < instruments.length; i++) {
            ResolvedInstrument r = instruments[i];
            if (moved.contains(r.instrument().underlying()) || !newMarket.time().equals(market.time())) {
                changed[i] = true;
                resolved.add(ResolvedInstrument.resolve(r.instrument(), newMarket, r.instrument().name()));
            } else {
                resolved.add(r);
            }
        }
        return new RiskArrays(this, newMarket, resolved, changed);
    }

    private void fill(int i, OptionSensitivities scratch, double[] g6) {
        ResolvedInstrument r = instruments[i];
        int a = instrumentAsset[i];
        AssetParameters ap = assetParams[a];
        int moves = params.priceMoveCount();
        int base = i * stride;
        int extBase = base + cells;
        if (r.isOption()) {
            double v0 = r.value(0.0);
            optionValue[i] = v0;
            double t = r.yearFraction();
            for (int v = 0; v < VolShocks.COUNT; v++) {
                double vol = VolShocks.shocked(v, r.vol(), t, ap, params);
                for (int j = 0; j < moves; j++) {
                    risk[base + j * VolShocks.COUNT + v] = r.value(0.0, priceMoves[a * moves + j], vol) - v0;
                }
            }
            double volUp = VolShocks.shocked(VolShocks.UP, r.vol(), t, ap, params);
            for (int k = 0; k < extendedCount; k++) {
                risk[extBase + k] = r.value(0.0, extendedMoves[k], volUp) - v0;
            }
            r.greeks(0.0, scratch, g6);
        } else {
            optionValue[i] = Double.NaN;
            // linear: P&L of one unit is M s; inverse (per coin of exposure q/E): S s
            double level = inverseDelta1[i] ? r.spot() : r.mark();
            for (int j = 0; j < moves; j++) {
                double p = level * priceMoves[a * moves + j];
                for (int v = 0; v < VolShocks.COUNT; v++) {
                    risk[base + j * VolShocks.COUNT + v] = p;
                }
            }
            for (int k = 0; k < extendedCount; k++) {
                risk[extBase + k] = level * extendedMoves[k];
            }
            Arrays.fill(g6, 0.0);
            g6[ResolvedInstrument.DELTA] = inverseDelta1[i] ? 1.0 : r.mark() / r.spot();
        }
        System.arraycopy(g6, 0, risk, extBase + extendedCount, ResolvedInstrument.GREEK_COUNT);
    }

    // ---- accessors used by the calculator (package-private arrays for the hot path) ----

    /** The snapshot the arrays were computed under. */
    public MarketSnapshot market() {
        return market;
    }

    /** The margin parameters. */
    public MarginParameters params() {
        return params;
    }

    /** Number of instruments in the universe. */
    public int instrumentCount() {
        return instruments.length;
    }

    /** The index of an instrument by name, or -1. */
    public int instrumentIndex(String name) {
        Integer i = instrumentIndex.get(name);
        return i == null ? -1 : i;
    }

    /** The resolved instrument at an index. */
    public ResolvedInstrument instrument(int i) {
        return instruments[i];
    }

    /** The index of an asset, or -1 if the snapshot neither prices it nor is it a stablecoin. */
    public int assetIndex(String code) {
        Integer a = assetIndex.get(code);
        return a == null ? -1 : a;
    }

    /** The asset code at an index. */
    public String asset(int a) {
        return assets[a];
    }

    /** Number of assets in the table. */
    public int assetCount() {
        return assets.length;
    }

    /** USD price of an asset (stablecoins default to the parameter when unquoted); NaN if unknown. */
    public double assetPrice(int a) {
        return assetPrice[a];
    }

    /** True for a stablecoin (collateral only, no risk unit). */
    public boolean isStablecoin(int a) {
        return stablecoin[a];
    }

    /** The parameters of an asset. */
    public AssetParameters assetParams(int a) {
        return assetParams[a];
    }

    /** Scan range R of an asset. */
    public double scanRange(int a) {
        return scanRange[a];
    }

    /** The relative price move of risk-matrix row {@code j} for asset {@code a}. */
    public double priceMove(int a, int j) {
        return priceMoves[a * params.priceMoveCount() + j];
    }

    /** ADV of an asset in USD, NaN when not given. */
    public double adv(int a) {
        return adv[a];
    }

    /** The extended moves. */
    public double extendedMove(int k) {
        return extendedMoves[k];
    }

    /** Number of extended moves. */
    public int extendedCount() {
        return extendedCount;
    }

    /** Number of risk-matrix cells (moves x vol states). */
    public int cells() {
        return cells;
    }

    /** Underlying asset index of an instrument. */
    public int instrumentAsset(int i) {
        return instrumentAsset[i];
    }

    /** True for inverse perpetuals and futures (exposure = size / entry price). */
    public boolean isInverseDelta1(int i) {
        return inverseDelta1[i];
    }

    /** Value of one unit of an option at the snapshot, USD (NaN for non-options). */
    public double optionValue(int i) {
        return optionValue[i];
    }

    /** Roll group id of an instrument. */
    public int rollGroup(int i) {
        return rollGroup[i];
    }

    /** The roll-shock factor max(minMove, e^{amr T} - 1) of a roll group. */
    public double rollGroupFactor(int g) {
        return rollGroupFactor[g];
    }

    /** Option series id of an instrument, -1 for non-options. */
    public int series(int i) {
        return series[i];
    }

    double[] riskArray() {
        return risk;
    }

    /** Doubles per instrument in the risk array: cells + extended moves + Greeks. */
    int stride() {
        return stride;
    }

    /** P&L of one unit of exposure of instrument {@code i} in cell (j, v). */
    public double pnl(int i, int j, int v) {
        return risk[i * stride + j * VolShocks.COUNT + v];
    }

    /** Greek {@code g} (see {@link ResolvedInstrument#greeks}) of one unit of exposure of instrument {@code i}. */
    public double greek(int i, int g) {
        return risk[i * stride + cells + extendedCount + g];
    }

    /**
     * The joint-loss geometry of the (plain or stressed) correlation matrix over a set of assets, computed
     * once per snapshot correlations and cached.
     *
     * @param key      {@link #geometryKey} of the same arguments
     * @param assetIdx the assets, ascending
     */
    JointLossSolver.Geometry geometry(long key, int[] assetIdx, int n, boolean stressed) {
        JointLossSolver.Geometry cached = geometryCache.computeIfAbsent(key, k -> newGeometry(assetIdx, n, stressed));
        return cached.isFor(assetIdx, n) ? cached : newGeometry(assetIdx, n, stressed);
    }

    private JointLossSolver.Geometry newGeometry(int[] assetIdx, int n, boolean stressed) {
        {
            List<String> names = new ArrayList<>(n);
            for (int u = 0; u < n; u++) {
                names.add(assets[assetIdx[u]]);
            }
            double[][] rho = market.correlations().matrix(names);
            if (stressed) {
                double w = params.correlationStressWeight();
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        rho[r][c] = (1 - w) * rho[r][c] + w;
                    }
                }
            }
            return JointLossSolver.Geometry.of(Arrays.copyOf(assetIdx, n), rho, params.priceSteps(),
                params.jointLossDirections());
        }
    }

    /**
     * A cache key for a set of assets: a hash of the ascending indices with the stressed flag. Collisions are
     * resolved by the geometry's own check of its asset list.
     */
    static long geometryKey(int[] assetIdx, int n, boolean stressed) {
        long h = stressed ? 0x9E3779B97F4A7C15L : 0x632BE59BD9B4E019L;
        for (int u = 0; u < n; u++) {
            h = (h ^ (assetIdx[u] + 1)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h ^ n;
    }

    /** Identity of the geometry cache, so that callers can keep a local cache valid per correlation set. */
    Object geometryCacheIdentity() {
        return geometryCache;
    }
}
