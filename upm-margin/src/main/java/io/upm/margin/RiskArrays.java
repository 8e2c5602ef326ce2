package io.upm.margin;

import io.upm.input.InputException;
import io.upm.margin.haircut.CollateralHaircut;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSanityBands;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
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

/**
 * The risk arrays of a universe of instruments under one market snapshot and one set of margin parameters
 * (the CME SPAN idea): for each instrument, the P&amp;L of one unit of exposure in each of the risk matrix's cells
 * (price move x vol state), under each extended move, and its Greeks, computed once and shared by every
 * account that holds it. An account's unit matrix is then a sum of exposure x array
 * ({@link AccountMarginCalculator}).
 *
 * <p>Exposure is the position size, except for inverse perpetuals and futures, whose P&amp;L
 * q (1/E - 1/M') S' - q (1/E - 1/M) S = (q / E) S s is linear in q / E: their exposure is q / E (coin) and
 * their array is that of one coin, S s.
 *
 * <p>Also holds the asset table (every asset the snapshot prices, the stablecoins, and every underlying) with
 * prices, scan ranges, the per-asset constants of the unit charges and of the dynamic haircut (MODEL.md section 10:
 * sigma, the volatility and depeg terms, the size term's coefficient; {@link #haircutUsd}), each asset's rank by code
 * (the canonical order of risk units) and the dense correlation matrix over the table.
 *
 * <p>Immutable and thread-safe. A universe evolves by value:
 * <ul>
 *   <li>{@link #withMarket} gives the arrays under a new snapshot. It compares the new snapshot with the old
 *       one instrument by instrument (the inputs each array depends on: index, mark or forward, and for options
 *       time to expiry, vol and rate) and recomputes only the arrays whose inputs changed; time passing therefore
 *       re-prices options only (and the roll factors of expiries). An instrument whose expiry the new time has
 *       passed is dropped: {@link #isExpired} becomes true, its index is never reused, and it no longer
 *       resolves. Assets newly priced by the snapshot are appended to the table.</li>
 *   <li>{@link #withInstruments} lists new instruments.</li>
 * </ul>
 * Instrument and asset indices stay valid across both, so resolved portfolios stay valid.
 */
public final class RiskArrays {
    private final MarketSnapshot market;
    private final MarginParameters params;
    private final int cells;
    private final int extendedCount;
    private final double[] extendedMoves;
    private final int stride;

    // assets
    private final String[] assets;
    private final Map<String, Integer> assetIndex;
    private final int[] assetRank;
    private final double[] assetPrice;
    private final boolean[] stablecoin;
    private final double[] scanRange;
    private final double[] priceMoves; // [asset * moveCount + j]
    private final double[] adv;
    private final AssetParameters[] assetParams;
    private final double[] correlation; // [a * assetCount + b]
    private final boolean[] assetChanged; // price, ADV, haircut sigma or any of its instruments' arrays differ
    private final double[] haircutSigma; // sigma of the dynamic haircut, NaN when unknown
    private final double[] haircutVolRate; // the volatility term (stablecoins only), a rate
    private final double[] haircutDepegRate; // the depeg term (stablecoins only), a rate
    private final double[] haircutFloorRate; // max(volatility, depeg)
    private final double[] haircutSizeCoefficient; // size term = this x sqrt(v)

    // instruments
    private final ResolvedInstrument[] instruments;
    private final Map<String, Integer> instrumentIndex;
    private final int[] instrumentAsset;
    private final boolean[] expired;
    /**
     * Per instrument, contiguous (one stream per position for the hot path), per unit of exposure:
     * [i * stride + j * 3 + v] the cell P&amp;L, then at [i * stride + cells + k] the extended moves (vol-up
     * state), then at [i * stride + cells + extendedCount + g] the Greeks.
     */
    private final double[] risk;
    private final double[] optionValue; // per unit of size, options only (NaN otherwise)
    private final boolean[] inverseDelta1;
    private final int[] rollGroup;    // universe-wide id of (underlying, expiry or perpetual)
    private final double[] rollGroupFactor; // by group: max(minMove, e^{amr T} - 1)
    private final int[] series;       // universe-wide id of (underlying, expiry, strike, type); -1 for non-options
    private final Map<String, Integer> rollGroupIds;
    private final Map<String, Integer> seriesIds;
    private final boolean correlationsChanged;
    private int repriced;
    /** Each instrument's rank by name among the universe's (the canonical order of positions); computed once. */
    private final int[] instrumentRank;

    private RiskArrays(MarketSnapshot market, MarginParameters params, String[] assets, Map<String, Integer> assetIndex,
                       ResolvedInstrument[] instruments, Map<String, Integer> instrumentIndex, boolean[] expired,
                       double[] risk, double[] optionValue, Map<String, Integer> rollGroupIds, int[] rollGroup,
                       Map<String, Integer> seriesIds, int[] series, RiskArrays base) {
        this.market = market;
        this.params = params;
        this.cells = params.priceMoveCount() * VolShocks.COUNT;
        this.extendedMoves = params.extendedMoves().stream().mapToDouble(Double::doubleValue).toArray();
        this.extendedCount = extendedMoves.length;
        this.stride = cells + extendedCount + ResolvedInstrument.GREEK_COUNT;
        this.assets = assets;
        this.assetIndex = assetIndex;
        int na = assets.length;
        this.assetRank = ranks(assets);
        this.assetPrice = new double[na];
        this.stablecoin = new boolean[na];
        this.scanRange = new double[na];
        this.adv = new double[na];
        this.assetParams = new AssetParameters[na];
        int moves = params.priceMoveCount();
        this.priceMoves = new double[na * moves];
        this.haircutSigma = new double[na];
        this.haircutVolRate = new double[na];
        this.haircutDepegRate = new double[na];
        this.haircutFloorRate = new double[na];
        this.haircutSizeCoefficient = new double[na];
        DynamicHaircutParameters dynamic = params.dynamicHaircut();
        for (int a = 0; a < na; a++) {
            String code = assets[a];
            stablecoin[a] = params.isStablecoin(code);
            double p = market.priceOrNaN(code);
            assetPrice[a] = Double.isNaN(p) && stablecoin[a] ? params.stablecoinDefaultPrice() : p;
            assetParams[a] = params.asset(code);
            scanRange[a] = assetParams[a].scanRange();
            adv[a] = market.advOrNaN(code);
            for (int j = 0; j < moves; j++) {
                priceMoves[a * moves + j] = scanRange[a] * (j - params.priceSteps()) / params.priceSteps();
            }
            haircutSigma[a] = snapshotSigma(market, code, assetPrice[a]);
            if (stablecoin[a]) { // every other coin balance joins its unit, whose matrix carries its price risk
                haircutVolRate[a] = CollateralHaircut.volatilityRate(dynamic, haircutSigma[a]);
                haircutDepegRate[a] = CollateralHaircut.depegRate(dynamic, assetPrice[a]);
            }
            haircutFloorRate[a] = Math.max(haircutVolRate[a], haircutDepegRate[a]);
            haircutSizeCoefficient[a] = CollateralHaircut.sizeCoefficient(dynamic, haircutSigma[a], adv[a]);
        }
        this.correlationsChanged = base == null || !base.market.correlations().pairs().equals(market.correlations().pairs());
        if (!correlationsChanged && base.assets.length == na) {
            this.correlation = base.correlation;
        } else {
            this.correlation = new double[na * na];
            for (int a = 0; a < na; a++) {
                for (int b = 0; b < na; b++) {
                    correlation[a * na + b] = market.correlations().get(assets[a], assets[b]);
                }
            }
        }
        this.instruments = instruments;
        this.instrumentIndex = instrumentIndex;
        this.expired = expired;
        this.risk = risk;
        this.optionValue = optionValue;
        this.rollGroupIds = rollGroupIds;
        this.rollGroup = rollGroup;
        this.seriesIds = seriesIds;
        this.series = series;
        int n = instruments.length;
        this.instrumentRank = base != null && base.instruments.length == n ? base.instrumentRank : nameRanks(instruments);
        this.instrumentAsset = new int[n];
        this.inverseDelta1 = new boolean[n];
        this.rollGroupFactor = new double[rollGroupIds.size()];
        for (int i = 0; i < n; i++) {
            ResolvedInstrument r = instruments[i];
            int a = assetIndex.get(r.instrument().underlying());
            instrumentAsset[i] = a;
            inverseDelta1[i] = r.isInverseDelta1();
            if (!expired[i]) {
                AssetParameters ap = assetParams[a];
                double t = r.instrument().expiry() == null ? 0.0 : r.yearFraction();
                rollGroupFactor[rollGroup[i]] = Math.max(ap.rollMinMove(), Math.expm1(ap.rollAnnualMoveRate() * t));
            }
        }
        this.assetChanged = new boolean[na];
        for (int a = 0; a < na; a++) {
            assetChanged[a] = base == null || a >= base.assets.length
                || Double.doubleToLongBits(assetPrice[a]) != Double.doubleToLongBits(base.assetPrice[a])
                || Double.doubleToLongBits(adv[a]) != Double.doubleToLongBits(base.adv[a])
                || Double.doubleToLongBits(haircutSigma[a]) != Double.doubleToLongBits(base.haircutSigma[a]);
        }
    }

    /** Days ahead of the snapshot at which a vol surface's at-the-money vol is read as an asset's sigma. */
    public static final double HAIRCUT_SIGMA_DAYS = 30.0;

    /**
     * The sigma of an asset's dynamic haircut from the snapshot: its flat vol, or, for a surface of slices, the
     * at-the-money vol (strike = index price) {@value #HAIRCUT_SIGMA_DAYS} days ahead (MODEL.md section 1's
     * interpolation); NaN when the snapshot has no vol (or no price) for it.
     */
    static double snapshotSigma(MarketSnapshot market, String code, double price) {
        VolSurface surface = market.volSurface(code);
        if (surface == null) {
            return Double.NaN;
        }
        if (surface.isFlat()) {
            return surface.vol(0.0, 0L, 0L);
        }
        if (!(price > 0)) {
            return Double.NaN;
        }
        long now = market.time().getEpochSecond();
        return surface.vol(price, now + (long) (HAIRCUT_SIGMA_DAYS * 86_400L), now);
    }

    private static int[] nameRanks(ResolvedInstrument[] instruments) {
        String[] names = new String[instruments.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = instruments[i].instrument().name();
        }
        return ranks(names);
    }

    private static int[] ranks(String[] codes) {
        Integer[] order = new Integer[codes.length];
        for (int a = 0; a < codes.length; a++) {
            order[a] = a;
        }
        Arrays.sort(order, (x, y) -> codes[x].compareTo(codes[y]));
        int[] rank = new int[codes.length];
        for (int k = 0; k < order.length; k++) {
            rank[order[k]] = k;
        }
        return rank;
    }

    /**
     * Builds the arrays of a universe of instruments.
     *
     * @param instruments the instruments, each once (duplicates by name are ignored)
     * @param fields      for each instrument, the input field that named it (for errors)
     * @throws InputException if the snapshot breaks a sanity band of {@link MarginParameters#marketSanity()}, or
     *                        an instrument breaks one or cannot be resolved against the snapshot
     */
    public static RiskArrays build(MarketSnapshot market, MarginParameters params, List<? extends Instrument> instruments,
                                   List<String> fields) {
        params.marketSanity().check(market);
        TreeSet<String> names = new TreeSet<>(market.prices().keySet());
        names.addAll(params.stablecoins());
        List<ResolvedInstrument> resolved = resolveNew(market, params.marketSanity(), instruments, fields, Map.of());
        for (ResolvedInstrument r : resolved) {
            names.add(r.instrument().underlying());
        }
        String[] assets = names.toArray(String[]::new);
        Map<String, Integer> assetIndex = new HashMap<>();
        for (int a = 0; a < assets.length; a++) {
            assetIndex.put(assets[a], a);
        }
        return assemble(market, params, assets, assetIndex, new ResolvedInstrument[0], new boolean[0], new double[0],
            new double[0], new HashMap<>(), new int[0], new HashMap<>(), new int[0], resolved, null);
    }

    private static List<ResolvedInstrument> resolveNew(MarketSnapshot market, MarketSanityBands sanity,
                                                       List<? extends Instrument> instruments, List<String> fields,
                                                       Map<String, Integer> existing) {
        List<ResolvedInstrument> resolved = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (int i = 0; i < instruments.size(); i++) {
            Instrument ins = instruments.get(i);
            if (!existing.containsKey(ins.name()) && seen.putIfAbsent(ins.name(), Boolean.TRUE) == null) {
                sanity.checkInstrument(ins, market, fields.get(i));
                resolved.add(ResolvedInstrument.resolve(ins, market, fields.get(i)));
            }
        }
        return resolved;
    }

    /** Appends {@code added} to an existing layout and computes the arrays of the new instruments. */
    private static RiskArrays assemble(MarketSnapshot market, MarginParameters params, String[] assets,
                                       Map<String, Integer> assetIndex, ResolvedInstrument[] old, boolean[] oldExpired,
                                       double[] oldRisk, double[] oldOptionValue, Map<String, Integer> rollGroupIds,
                                       int[] oldRollGroup, Map<String, Integer> seriesIds, int[] oldSeries,
                                       List<ResolvedInstrument> added, RiskArrays base) {
        int n0 = old.length;
        int n = n0 + added.size();
        ResolvedInstrument[] instruments = Arrays.copyOf(old, n);
        boolean[] expired = Arrays.copyOf(oldExpired, n);
        int stride = params.priceMoveCount() * VolShocks.COUNT + params.extendedMoves().size() + ResolvedInstrument.GREEK_COUNT;
        double[] risk = Arrays.copyOf(oldRisk, n * stride);
        double[] optionValue = Arrays.copyOf(oldOptionValue, n);
        int[] rollGroup = Arrays.copyOf(oldRollGroup, n);
        int[] series = Arrays.copyOf(oldSeries, n);
        Map<String, Integer> groups = new HashMap<>(rollGroupIds);
        Map<String, Integer> seriesMap = new HashMap<>(seriesIds);
        Map<String, Integer> instrumentIndex = new HashMap<>();
        for (int i = 0; i < n0; i++) {
            instrumentIndex.put(old[i].instrument().name(), i);
        }
        for (int k = 0; k < added.size(); k++) {
            int i = n0 + k;
            ResolvedInstrument r = added.get(k);
            instruments[i] = r;
            Instrument ins = r.instrument();
            instrumentIndex.put(ins.name(), i);
            Instant expiry = ins.expiry();
            String groupKey = ins.underlying() + "|" + (expiry == null ? "PERPETUAL" : expiry.toString());
            rollGroup[i] = groups.computeIfAbsent(groupKey, key -> groups.size());
            if (ins instanceof EuropeanOption o) {
                String seriesKey = o.underlying() + "|" + o.expiry() + "|" + o.strike() + "|" + o.type();
                series[i] = seriesMap.computeIfAbsent(seriesKey, key -> seriesMap.size());
            } else {
                series[i] = -1;
            }
        }
        RiskArrays arrays = new RiskArrays(market, params, assets, assetIndex, instruments, instrumentIndex, expired, risk,
            optionValue, groups, rollGroup, seriesMap, series, base);
        OptionSensitivities scratch = new OptionSensitivities();
        double[] g6 = new double[ResolvedInstrument.GREEK_COUNT];
        for (int i = n0; i < n; i++) {
            arrays.fill(i, scratch, g6);
        }
        arrays.repriced = n - n0;
        for (int i = n0; i < n; i++) {
            arrays.assetChanged[arrays.instrumentAsset[i]] = true;
        }
        return arrays;
    }

    /**
     * The universe with more instruments listed (names already listed are ignored). Existing indices stay valid.
     *
     * @param added  the new instruments
     * @param fields for each, the input field that named it (for errors)
     * @throws InputException if one cannot be resolved against the snapshot
     */
    public RiskArrays withInstruments(List<? extends Instrument> added, List<String> fields) {
        List<ResolvedInstrument> resolved = resolveNew(market, params.marketSanity(), added, fields, instrumentIndex);
        String[] table = assets;
        Map<String, Integer> index = assetIndex;
        for (ResolvedInstrument r : resolved) {
            String u = r.instrument().underlying();
            if (!index.containsKey(u)) {
                if (index == assetIndex) {
                    index = new HashMap<>(assetIndex);
                }
                table = Arrays.copyOf(table, table.length + 1);
                table[table.length - 1] = u;
                index.put(u, table.length - 1);
            }
        }
        return assemble(market, params, table, index, instruments, expired, risk, optionValue, rollGroupIds, rollGroup,
            seriesIds, series, resolved, this);
    }

    /**
     * The arrays under a new snapshot. Compares the snapshot with this one instrument by instrument and
     * recomputes only the arrays whose inputs changed (see the class documentation); instruments whose expiry
     * the new time has passed are dropped; assets the new snapshot prices for the first time are appended to
     * the table. {@link #assetChanged} then tells which assets' figures differ from this universe's.
     *
     * @throws InputException if the snapshot breaks a sanity band, or an instrument can no longer be resolved (for
     *                        example, its underlying lost its price or vols); this universe is unchanged
     */
    public RiskArrays withMarket(MarketSnapshot newMarket) {
        params.marketSanity().check(newMarket);
        String[] table = assets;
        Map<String, Integer> index = assetIndex;
        for (String code : newMarket.prices().keySet()) {
            if (!index.containsKey(code)) {
                if (index == assetIndex) {
                    index = new HashMap<>(assetIndex);
                }
                table = Arrays.copyOf(table, table.length + 1);
                table[table.length - 1] = code;
                index.put(code, table.length - 1);
            }
        }
        int n = instruments.length;
        ResolvedInstrument[] next = instruments.clone();
        boolean[] nextExpired = expired.clone();
        boolean[] changed = new boolean[n];
        boolean anyChange = false;
        for (int i = 0; i < n; i++) {
            if (expired[i]) {
                continue;
            }
            ResolvedInstrument r = instruments[i];
            Instant expiry = r.instrument().expiry();
            if (expiry != null && expiry.isBefore(newMarket.time())) {
                nextExpired[i] = true;
                changed[i] = true;
                anyChange = true;
                continue;
            }
            ResolvedInstrument fresh = ResolvedInstrument.resolve(r.instrument(), newMarket, r.instrument().name());
            if (!sameArrayInputs(r, fresh)) {
                changed[i] = true;
                anyChange = true;
            }
            next[i] = fresh; // cheap fields (T for futures' roll factors) always follow the snapshot
        }
        double[] nextRisk = anyChange ? risk.clone() : risk;
        double[] nextValue = anyChange ? optionValue.clone() : optionValue;
        RiskArrays arrays = new RiskArrays(newMarket, params, table, index, next, instrumentIndex, nextExpired, nextRisk,
            nextValue, rollGroupIds, rollGroup, seriesIds, series, this);
        OptionSensitivities scratch = new OptionSensitivities();
        double[] g6 = new double[ResolvedInstrument.GREEK_COUNT];
        for (int i = 0; i < n; i++) {
            if (changed[i]) {
                arrays.repriced++;
                arrays.assetChanged[arrays.instrumentAsset[i]] = true;
                if (nextExpired[i]) {
                    Arrays.fill(nextRisk, i * stride, (i + 1) * stride, 0.0);
                    nextValue[i] = Double.NaN;
                } else {
                    arrays.fill(i, scratch, g6);
                }
            }
        }
        return arrays;
    }

    /** True when two resolutions of one instrument give the same risk array (bit for bit). */
    private static boolean sameArrayInputs(ResolvedInstrument a, ResolvedInstrument b) {
        if (!same(a.spot(), b.spot()) || !same(a.mark(), b.mark())) {
            return false;
        }
        if (!a.isOption()) {
            return true; // linear arrays depend on the level (mark or index) only, not on time
        }
        return same(a.yearFraction(), b.yearFraction()) && same(a.vol(), b.vol()) && same(a.rate(), b.rate());
    }

    private static boolean same(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
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

    // ---- accessors ----

    /** The snapshot the arrays were computed under. */
    public MarketSnapshot market() {
        return market;
    }

    /** The margin parameters. */
    public MarginParameters params() {
        return params;
    }

    /** Number of instruments in the universe, expired ones included (indices are never reused). */
    public int instrumentCount() {
        return instruments.length;
    }

    /** The index of a live instrument by name, or -1 (unknown or expired). */
    public int instrumentIndex(String name) {
        Integer i = instrumentIndex.get(name);
        return i == null || expired[i] ? -1 : i;
    }

    /**
     * The rank of instrument {@code i}'s name among the universe's names: comparing ranks compares names, so
     * positions can be put in canonical order without comparing strings.
     */
    public int instrumentRank(int i) {
        return instrumentRank[i];
    }

    /** True when the instrument at index {@code i} has expired and was dropped from the universe. */
    public boolean isExpired(int i) {
        return expired[i];
    }

    /** The resolved instrument at an index (for an expired one, its last resolution before expiry). */
    public ResolvedInstrument instrument(int i) {
        return instruments[i];
    }

    /** The index of an asset, or -1 if the table does not hold it. */
    public int assetIndex(String code) {
        Integer a = assetIndex.get(code);
        return a == null ? -1 : a;
    }

    /** The asset code at an index. */
    public String asset(int a) {
        return assets[a];
    }

    /** The rank of an asset's code among the table's codes (the canonical order of risk units). */
    public int assetRank(int a) {
        return assetRank[a];
    }

    /** Number of assets in the table. */
    public int assetCount() {
        return assets.length;
    }

    /**
     * True when asset {@code a}'s figures differ from those of the universe this one was derived from: its price,
     * ADV or haircut sigma, or the array of any instrument on it (always true for a freshly built universe).
     */
    public boolean assetChanged(int a) {
        return assetChanged[a];
    }

    /**
     * How many instruments' arrays were computed when this universe was made: all of them for a fresh build, the
     * new ones for {@link #withInstruments}, the changed and the newly expired ones for {@link #withMarket}.
     */
    public int repricedCount() {
        return repriced;
    }

    /** True when the correlations differ from those of the universe this one was derived from. */
    public boolean correlationsChanged() {
        return correlationsChanged;
    }

    /** The correlation of two assets' moves (1 on the diagonal, 0 for pairs the snapshot does not give). */
    public double correlation(int a, int b) {
        return correlation[a * assets.length + b];
    }

    /** USD price of an asset (stablecoins default to the parameter when unquoted); NaN if unknown. */
    public double assetPrice(int a) {
        return assetPrice[a];
    }

    /** True for a stablecoin (collateral only, no risk unit). */
    public boolean isStablecoin(int a) {
        return stablecoin[a];
    }

    /**
     * The haircut in USD on a positive balance of asset {@code a} worth {@code valueUsd} (MODEL.md sections 6 and 10):
     * {@code min(v, max(tier, max(vol, depeg) x v) + size x v)}, the tiered schedule's figure exactly when no dynamic
     * term applies. Allocation-free (the hot path of equity).
     */
    public double haircutUsd(int a, double valueUsd) {
        double tier = assetParams[a].haircut().haircutUsd(valueUsd);
        double k = haircutSizeCoefficient[a];
        double size = k == 0.0 || !(valueUsd > 0) ? 0.0 : k * Math.sqrt(valueUsd);
        return CollateralHaircut.haircutUsd(tier, haircutFloorRate[a], size, valueUsd);
    }

    /**
     * The annualised sigma of asset {@code a}'s dynamic haircut, from the snapshot's vol of that asset (its flat vol,
     * else the surface's at-the-money vol {@value #HAIRCUT_SIGMA_DAYS} days ahead); NaN when the snapshot has none.
     * A live engine supplies its EWMA estimate as the asset's flat vol.
     */
    public double haircutSigma(int a) {
        return haircutSigma[a];
    }

    /** The volatility term of asset {@code a}'s haircut, a rate (0 for an asset with a risk unit). */
    public double haircutVolatilityRate(int a) {
        return haircutVolRate[a];
    }

    /** The depeg term of asset {@code a}'s haircut, a rate (0 for an asset that is no stablecoin). */
    public double haircutDepegRate(int a) {
        return haircutDepegRate[a];
    }

    /** The size term of asset {@code a}'s haircut on a balance worth {@code valueUsd}, a rate (0 without ADV). */
    public double haircutSizeRate(int a, double valueUsd) {
        double k = haircutSizeCoefficient[a];
        return k == 0.0 || !(valueUsd > 0) ? 0.0 : k * Math.sqrt(valueUsd);
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

    /** Number of roll groups (underlying and expiry, or perpetual) in the universe. */
    public int rollGroupCount() {
        return rollGroupFactor.length;
    }

    /** Number of option series in the universe. */
    public int seriesCount() {
        return seriesIds.size();
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

    /** P&amp;L of one unit of exposure of instrument {@code i} in cell (j, v). */
    public double pnl(int i, int j, int v) {
        return risk[i * stride + j * VolShocks.COUNT + v];
    }

    /** Greek {@code g} (see {@link ResolvedInstrument#greeks}) of one unit of exposure of instrument {@code i}. */
    public double greek(int i, int g) {
        return risk[i * stride + cells + extendedCount + g];
    }
}
