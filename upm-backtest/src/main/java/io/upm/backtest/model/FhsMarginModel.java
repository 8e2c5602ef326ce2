package io.upm.backtest.model;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.MarginModel;
import io.upm.backtest.vol.EwmaVolatility;
import io.upm.input.InputException;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Filtered historical simulation (FHS) expected shortfall, the {@code fhs} margin model: the 99% expected
 * shortfall of the portfolio's P&amp;L over the horizon, under every historical day of the lookback replayed on
 * all of the account's risk units jointly, each day's returns rescaled from the volatility of their time to
 * today's (Barone-Adesi, Giannopoulos and Vosper, 1999; as in the FHS models of CCPs such as Eurex PRISMA and
 * LCH), plus MODEL.md's add-ons.
 *
 * <h2>Scenarios</h2>
 * For day t (history index {@code t}, snapshot at day t's close) and each unit asset a:
 * <ul>
 *   <li>{@code sigma_a,k^2}: the EWMA variance ({@link EwmaVolatility}, {@code ewmaLambda}, seeded with
 *       {@code seedDays} returns) of a's daily log return of day k, forecast at day k-1;
 *       {@code z_a,k = r_a,k / sigma_a,k} its devolatilised residual; {@code sigma_a,today = sigma_a,t+1}, the
 *       forecast made at day t's close.</li>
 *   <li>scenario days k: the {@code lookbackDays} days {@code t - lookbackDays + 1 .. t} (all available days when
 *       the history is shorter) plus the days of the configured stress periods before that window (never after
 *       day t), so that March 2020, May 2021 and 2022 stay in the scenario set of every later day.</li>
 *   <li>the filtered h-day log return of a in scenario k, {@code h = horizonDays}: {@code OVERLAPPING} (default)
 *       {@code sigma_a,today x (z_a,k-h+1 + ... + z_a,k)}, the overlapping h-day sums of filtered daily
 *       returns; {@code SQRT}: {@code sigma_a,today x z_a,k x sqrt(h)}.</li>
 *   <li>units without history on a day (ETH before 2018-03-17, SOL before 2020-08-11, or in their EWMA seed):
 *       {@code PROXY} (default) fills the missing residual z with the proxy asset's (BTC) residual of the same
 *       day, scaled by the unit's own vol today, so the scenario set keeps its length and its stress days;
 *       {@code JOINT} keeps only the days on which every unit of the portfolio has its own residual. A unit with
 *       no vol forecast today (fewer than {@code seedDays} returns) is bad input.</li>
 *   <li>implied vol ({@code volScenarios = DVOL}): every option on a moves from its vol sigma to
 *       {@code max(sigma x exp(sigma^DVOL_a,today x zeta_a,k), volDownFloor)}, {@code zeta} the residual of
 *       the daily log change of a's DVOL under the same EWMA (summed like returns for h &gt; 1): a filtered
 *       relative change, parallel across strikes and expiries. A unit without DVOL today (SOL) takes the proxy's
 *       DVOL residual and vol under {@code PROXY}; a scenario day without a DVOL residual (before 2021-03-24)
 *       leaves vols unchanged. {@code NONE}: vols never move.</li>
 * </ul>
 * Each scenario moves the index, every forward and every perpetual mark of each unit by {@code exp(r) - 1}
 * (what {@link MarketSnapshot#withPriceMove} does), moves the vols, and advances time by h days (options are
 * repriced at {@code T - h/365}, floored at expiry). Each position is fully repriced from its
 * {@link ResolvedInstrument} (perpetuals and futures with {@link ResolvedInstrument#value(double, double, double)},
 * options with Black-76 at the shortened expiry); a coin balance x of unit a gains {@code x S_a (exp(r) - 1)};
 * stablecoin balances do not move. Funding is not modelled.
 *
 * <h2>Margin</h2>
 * With S scenarios and losses {@code L_s = -P&L_s}, the tail count is {@code m = ceil(S x (1 - confidence))}
 * (at least 1%: 15 of 1,461 at 99%); {@code VaR} is the m-th largest loss and {@code ES} the mean of the m
 * largest losses (so {@code ES >= VaR}). The maintenance margin is
 * {@code MM = max(ES, 0, sum_u SOM_u) + sum_u (RS_u + LA_u) + borrowing charge}, the add-ons exactly as MODEL.md
 * sections 4 and 6 define them (computed by the same engine as the risk matrix). The short-option minimum is
 * kept as a floor of the core charge (as it floors C_u in the matrix) because a historical window can miss
 * the tail of a far out-of-the-money short option altogether; {@code shortOptionMinimumFloor = false} drops it.
 *
 * <p>Cost: per day, one resolution of the positions and one risk-matrix pass for the add-ons, then per scenario
 * one {@code exp} per unit and one Black-76 call per option; about 1 ms for 1,500 scenarios and 5 positions.
 * The per-asset residual series are computed once per {@link DailyHistory} (cached by identity). Not
 * thread-safe: one instance per thread (it reuses an {@link AccountMarginCalculator}).
 */
public final class FhsMarginModel implements MarginModel {

    /** How the h-day scenario return is formed from daily residuals. */
    public enum HorizonScaling {
        /** Overlapping h-day sums of filtered daily returns. */
        OVERLAPPING,
        /** The filtered one-day return times sqrt(h). */
        SQRT;

        /** The lower-case name used in settings documents. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do on scenario days where a unit has no residual. */
    public enum MissingHistory {
        /** Fill the residual with the proxy asset's residual of the same day. */
        PROXY,
        /** Drop the day unless every unit of the portfolio has its own residual. */
        JOINT;

        /** The lower-case name used in settings documents. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether scenarios move implied vols. */
    public enum VolScenarios {
        /** By the filtered relative change of the DVOL index. */
        DVOL,
        /** Never. */
        NONE;

        /** The lower-case name used in settings documents. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A period of market stress always kept in the scenario set once it is in the past.
     *
     * @param from first day, inclusive
     * @param to   last day, inclusive
     */
    public record StressPeriod(LocalDate from, LocalDate to) {
        /** Checks the order. */
        public StressPeriod {
            if (from == null || to == null) {
                throw new InputException("", "a stress period needs \"from\" and \"to\"");
            }
            if (to.isBefore(from)) {
                throw new InputException("to", "ends before it starts: " + from + " .. " + to);
            }
        }
    }

    /**
     * The options of the FHS model, defined once with their units and defaults ({@link #defaults()}) and validated
     * on construction (an {@link InputException} naming the option, as in a settings document).
     *
     * @param lookbackDays            days of history replayed, at least 250 (1461: four years)
     * @param confidence              ES confidence, in (0.5, 1) (0.99)
     * @param ewmaLambda              EWMA decay of the filtering vols, in (0, 1) (0.94)
     * @param seedDays                returns seeding each EWMA (30)
     * @param horizonDays             the horizon in days, in [1, 30] (1)
     * @param horizonScaling          OVERLAPPING or SQRT (OVERLAPPING)
     * @param missingHistory          PROXY or JOINT (PROXY)
     * @param proxyAsset              the proxy asset of PROXY ("BTC")
     * @param volScenarios            DVOL or NONE (DVOL)
     * @param stressPeriods           periods always replayed once past (March 2020, May-June 2021, May-June 2022,
     *                                November 2022)
     * @param minScenarios            fewer scenarios than this on a day is bad input (250)
     * @param shortOptionMinimumFloor whether the short-option minimum floors the core charge (true)
     */
    public record Settings(int lookbackDays, double confidence, double ewmaLambda, int seedDays, int horizonDays,
                           HorizonScaling horizonScaling, MissingHistory missingHistory, String proxyAsset,
                           VolScenarios volScenarios, List<StressPeriod> stressPeriods, int minScenarios,
                           boolean shortOptionMinimumFloor) {
        /** The default stress periods: COVID (March 2020), May-June 2021, LUNA and 3AC (May-June 2022), FTX. */
        public static final List<StressPeriod> DEFAULT_STRESS_PERIODS = List.of(
            new StressPeriod(LocalDate.of(2020, 3, 8), LocalDate.of(2020, 3, 31)),
            new StressPeriod(LocalDate.of(2021, 5, 10), LocalDate.of(2021, 6, 30)),
            new StressPeriod(LocalDate.of(2022, 5, 5), LocalDate.of(2022, 6, 30)),
            new StressPeriod(LocalDate.of(2022, 11, 6), LocalDate.of(2022, 11, 30)));

        /** Validates every option. */
        public Settings {
            if (lookbackDays < 250 || lookbackDays > 100_000) {
                throw new InputException("lookbackDays", "must be an integer in [250, 100000], got " + lookbackDays);
            }
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new InputException("confidence", "must be in (0.5, 1), got " + confidence);
            }
            if (!(ewmaLambda > 0 && ewmaLambda < 1)) {
                throw new InputException("ewmaLambda", "must be in (0, 1), got " + ewmaLambda);
            }
            if (seedDays < 2 || seedDays > 10_000) {
                throw new InputException("seedDays", "must be an integer in [2, 10000], got " + seedDays);
            }
            if (horizonDays < 1 || horizonDays > 30) {
                throw new InputException("horizonDays", "must be an integer in [1, 30], got " + horizonDays);
            }
            if (horizonScaling == null) {
                throw new InputException("horizonScaling", "missing");
            }
            if (missingHistory == null) {
                throw new InputException("missingHistory", "missing");
            }
            if (proxyAsset == null || proxyAsset.isEmpty()) {
                throw new InputException("proxyAsset", "missing");
            }
            if (volScenarios == null) {
                throw new InputException("volScenarios", "missing");
            }
            stressPeriods = stressPeriods == null ? List.of() : List.copyOf(stressPeriods);
            if (minScenarios < 1 || minScenarios > lookbackDays) {
                throw new InputException("minScenarios", "must be an integer in [1, lookbackDays = " + lookbackDays
                    + "], got " + minScenarios);
            }
        }

        /** Four years, 99%, EWMA 0.94 seeded with 30 days, one day, overlapping, BTC proxy, DVOL, the stress periods. */
        public static Settings defaults() {
            return new Settings(1461, 0.99, EwmaVolatility.DEFAULT_LAMBDA, EwmaVolatility.DEFAULT_SEED_DAYS, 1,
                HorizonScaling.OVERLAPPING, MissingHistory.PROXY, "BTC", VolScenarios.DVOL, DEFAULT_STRESS_PERIODS, 250,
                true);
        }

        /** This with another lookback. */
        public Settings withLookbackDays(int days) {
            return new Settings(days, confidence, ewmaLambda, seedDays, horizonDays, horizonScaling, missingHistory,
                proxyAsset, volScenarios, stressPeriods, Math.min(minScenarios, days), shortOptionMinimumFloor);
        }

        /** This with other stress periods (empty: none). */
        public Settings withStressPeriods(List<StressPeriod> periods) {
            return new Settings(lookbackDays, confidence, ewmaLambda, seedDays, horizonDays, horizonScaling,
                missingHistory, proxyAsset, volScenarios, periods, minScenarios, shortOptionMinimumFloor);
        }

        /** This with another horizon and scaling. */
        public Settings withHorizon(int days, HorizonScaling scaling) {
            return new Settings(lookbackDays, confidence, ewmaLambda, seedDays, days, scaling, missingHistory,
                proxyAsset, volScenarios, stressPeriods, minScenarios, shortOptionMinimumFloor);
        }

        /** This with another treatment of missing history. */
        public Settings withMissingHistory(MissingHistory m) {
            return new Settings(lookbackDays, confidence, ewmaLambda, seedDays, horizonDays, horizonScaling, m,
                proxyAsset, volScenarios, stressPeriods, minScenarios, shortOptionMinimumFloor);
        }

        /** This with another vol-scenario rule. */
        public Settings withVolScenarios(VolScenarios v) {
            return new Settings(lookbackDays, confidence, ewmaLambda, seedDays, horizonDays, horizonScaling,
                missingHistory, proxyAsset, v, stressPeriods, minScenarios, shortOptionMinimumFloor);
        }

        /** This with another confidence. */
        public Settings withConfidence(double c) {
            return new Settings(lookbackDays, c, ewmaLambda, seedDays, horizonDays, horizonScaling, missingHistory,
                proxyAsset, volScenarios, stressPeriods, minScenarios, shortOptionMinimumFloor);
        }

        /** This with the short-option minimum floor on or off. */
        public Settings withShortOptionMinimumFloor(boolean on) {
            return new Settings(lookbackDays, confidence, ewmaLambda, seedDays, horizonDays, horizonScaling,
                missingHistory, proxyAsset, volScenarios, stressPeriods, minScenarios, on);
        }
    }

    /**
     * The figures of one day, USD.
     *
     * @param expectedShortfall  ES at the confidence (may be negative when every tail scenario is a gain)
     * @param valueAtRisk        VaR, the m-th largest loss
     * @param scenarios          S, the number of scenarios
     * @param tailCount          m
     * @param worstScenario      the history day of the worst scenario (its last day for h &gt; 1)
     * @param shortOptionMinimum sum over units of SOM_u
     * @param rollShock          sum over units of RS_u
     * @param liquidityAddOn     sum over units of LA_u
     * @param borrowingCharge    the borrowing charge
     * @param maintenanceMargin  MM
     */
    public record Result(double expectedShortfall, double valueAtRisk, int scenarios, int tailCount,
                         LocalDate worstScenario, double shortOptionMinimum, double rollShock, double liquidityAddOn,
                         double borrowingCharge, double maintenanceMargin) {
    }

    /**
     * The scenarios of one day, for diagnostics and tests.
     *
     * @param units         the unit assets, in the order of the arrays' inner index
     * @param days          the history index of each scenario (its last day)
     * @param logReturns    the filtered h-day log return of unit u in scenario s at {@code [s x units + u]}
     * @param volLogChanges the filtered log change of unit u's implied vols, same layout (0 when unchanged)
     * @param pnl           the portfolio's P&amp;L in each scenario, USD
     */
    public record Scenarios(List<String> units, int[] days, double[] logReturns, double[] volLogChanges,
                            double[] pnl) {
    }

    /** A unit asset's filtering series on one history. */
    private record AssetSeries(double[] variance, double[] residual, double[] volVariance, double[] volResidual) {
    }

    private final MarginParameters params;
    private final Settings settings;
    private final AccountMarginCalculator calculator = new AccountMarginCalculator();

    private DailyHistory cachedHistory;
    private Map<String, AssetSeries> cachedSeries;
    private int[] cachedStressDays;

    /**
     * @param params   the margin parameters (the add-ons' parameters and the vol floor)
     * @param settings the FHS options
     */
    public FhsMarginModel(MarginParameters params, Settings settings) {
        this.params = params;
        this.settings = settings;
    }

    /** The FHS options. */
    public Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "fhs";
    }

    @Override
    public double maintenanceMargin(BacktestDay day, Portfolio portfolio) {
        return evaluate(day, portfolio).maintenanceMargin();
    }

    /** The day's figures. */
    public Result evaluate(BacktestDay day, Portfolio portfolio) {
        Scenarios sc = scenarios(day, portfolio);
        int n = sc.pnl().length;
        double[] loss = new double[n];
        for (int s = 0; s < n; s++) {
            loss[s] = -sc.pnl()[s];
        }
        int worst = 0;
        for (int s = 1; s < n; s++) {
            if (loss[s] > loss[worst]) {
                worst = s;
            }
        }
        Arrays.sort(loss);
        int m = tailCount(n, settings.confidence());
        double sum = 0.0;
        for (int s = n - m; s < n; s++) {
            sum += loss[s];
        }
        double es = sum / m;
        double var = loss[n - m];

        double som = 0.0;
        double rs = 0.0;
        double la = 0.0;
        double borrow = 0.0;
        MarketSnapshot market = day.market();
        List<Instrument> instruments = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int k = 0; k < portfolio.positions().size(); k++) {
            instruments.add(portfolio.positions().get(k).instrument());
            fields.add("positions[" + k + "].instrument");
        }
        RiskArrays arrays = RiskArrays.build(market, params, instruments, fields);
        calculator.compute(arrays, ResolvedPortfolio.resolve(portfolio, arrays), -1);
        for (int u = 0; u < calculator.unitCount(); u++) {
            som += calculator.shortOptionMinimum(u);
            rs += calculator.rollShock(u);
            la += calculator.liquidityAddOn(u);
        }
        borrow = calculator.borrowingCharge();
        double core = Math.max(es, 0.0);
        if (settings.shortOptionMinimumFloor()) {
            core = Math.max(core, som);
        }
        double mm = core + rs + la + borrow;
        return new Result(es, var, n, m, day.history().date(sc.days()[worst]), som, rs, la, borrow, mm);
    }

    /** The tail count {@code m = ceil(n (1 - c))}, at least 1 (guarded against rounding of 1 - c). */
    public static int tailCount(int n, double confidence) {
        return Math.max(1, (int) Math.ceil(n * (1.0 - confidence) - 1e-9));
    }

    /**
     * The day's scenarios and the portfolio's P&amp;L in each.
     *
     * @throws InputException if a unit has no history, no vol forecast that day, or fewer than
     *                        {@code minScenarios} scenarios remain
     */
    public Scenarios scenarios(BacktestDay day, Portfolio portfolio) {
        DailyHistory history = day.history();
        prepare(history);
        int t = day.index();
        MarketSnapshot market = day.market();
        int h = settings.horizonDays();

        // the units: underlyings of positions and non-stablecoin balances
        Map<String, Integer> unitOf = new LinkedHashMap<>();
        Map<String, String> unitField = new HashMap<>();
        List<Position> positions = portfolio.positions();
        for (int k = 0; k < positions.size(); k++) {
            String u = positions.get(k).instrument().underlying();
            if (unitOf.putIfAbsent(u, unitOf.size()) == null) {
                unitField.put(u, "positions[" + k + "].instrument");
            }
        }
        for (Map.Entry<String, Double> e : portfolio.balances().entrySet()) {
            if (e.getValue() != 0 && !params.isStablecoin(e.getKey())
                && unitOf.putIfAbsent(e.getKey(), unitOf.size()) == null) {
                unitField.put(e.getKey(), "balances." + e.getKey());
            }
        }
        List<String> units = List.copyOf(unitOf.keySet());
        int nu = units.size();
        AssetSeries proxy = settings.missingHistory() == MissingHistory.PROXY
            ? cachedSeries.get(settings.proxyAsset()) : null;
        if (settings.missingHistory() == MissingHistory.PROXY && proxy == null) {
            throw new InputException("proxyAsset", "the history has no " + settings.proxyAsset() + "; it has "
                + history.assets());
        }
        AssetSeries[] own = new AssetSeries[nu];
        AssetSeries[] volSource = new AssetSeries[nu];
        double[] sigma = new double[nu];
        double[] volSigma = new double[nu];
        for (int u = 0; u < nu; u++) {
            String a = units.get(u);
            own[u] = cachedSeries.get(a);
            if (own[u] == null) {
                throw new InputException(unitField.get(a), "no price history for " + a + " in the backtest data (it has "
                    + history.assets() + ")");
            }
            sigma[u] = Math.sqrt(own[u].variance()[t + 1]);
            if (!(sigma[u] > 0)) {
                throw new InputException(unitField.get(a), "not enough price history for " + a + " on "
                    + history.date(t) + ": its EWMA vol needs " + settings.seedDays() + " daily returns");
            }
            volSigma[u] = Double.NaN;
            if (settings.volScenarios() == VolScenarios.DVOL) {
                AssetSeries src = own[u];
                if (!(src.volVariance()[t + 1] > 0) && proxy != null) {
                    src = proxy;
                }
                if (src.volVariance()[t + 1] > 0) {
                    volSource[u] = src;
                    volSigma[u] = Math.sqrt(src.volVariance()[t + 1]);
                }
            }
        }

        // the scenario days: stress days before the window, then the window
        int windowStart = Math.max(1, t - settings.lookbackDays() + 1);
        int[] candidates = new int[cachedStressDays.length + (t - windowStart + 1)];
        int nc = 0;
        for (int d : cachedStressDays) {
            if (d < windowStart) {
                candidates[nc++] = d;
            }
        }
        for (int d = windowStart; d <= t; d++) {
            candidates[nc++] = d;
        }
        double sqrtH = Math.sqrt(h);
        int[] days = new int[nc];
        double[] ret = new double[nc * nu];
        double[] volChange = new double[nc * nu];
        int ns = 0;
        scenarioLoop:
        for (int c = 0; c < nc; c++) {
            int k = candidates[c];
            int first = settings.horizonScaling() == HorizonScaling.OVERLAPPING ? k - h + 1 : k;
            if (first < 1) {
                continue;
            }
            for (int u = 0; u < nu; u++) {
                double zSum = 0.0;
                double vSum = 0.0;
                for (int j = first; j <= k; j++) {
                    double z = own[u].residual()[j];
                    if (Double.isNaN(z) && proxy != null) {
                        z = proxy.residual()[j];
                    }
                    if (Double.isNaN(z)) {
                        continue scenarioLoop;
                    }
                    zSum += z;
                    if (volSource[u] != null) {
                        double zv = volSource[u].volResidual()[j];
                        vSum += Double.isNaN(zv) ? 0.0 : zv;
                    }
                }
                double scale = settings.horizonScaling() == HorizonScaling.SQRT ? sqrtH : 1.0;
                ret[ns * nu + u] = sigma[u] * zSum * scale;
                volChange[ns * nu + u] = volSource[u] == null ? 0.0 : volSigma[u] * vSum * scale;
            }
            days[ns++] = k;
        }
        if (ns < settings.minScenarios()) {
            throw new InputException("history", "only " + ns + " FHS scenarios on " + history.date(t) + " for units "
                + units + "; the model needs minScenarios = " + settings.minScenarios());
        }
        days = Arrays.copyOf(days, ns);
        ret = Arrays.copyOf(ret, ns * nu);
        volChange = Arrays.copyOf(volChange, ns * nu);
        double[] pnl = repricing(market, portfolio, unitOf, ret, volChange, ns, nu, h);
        return new Scenarios(units, days, ret, volChange, pnl);
    }

    /** Full repricing of every position and coin balance in every scenario. */
    private double[] repricing(MarketSnapshot market, Portfolio portfolio, Map<String, Integer> unitOf, double[] ret,
                               double[] volChange, int ns, int nu, int h) {
        List<Position> positions = portfolio.positions();
        int np = positions.size();
        ResolvedInstrument[] ins = new ResolvedInstrument[np];
        int[] unit = new int[np];
        double[] size = new double[np];
        double[] entry = new double[np];
        double[] valueNow = new double[np];
        double[] shortened = new double[np];
        for (int k = 0; k < np; k++) {
            Position p = positions.get(k);
            ins[k] = ResolvedInstrument.resolve(p.instrument(), market, "positions[" + k + "].instrument");
            unit[k] = unitOf.get(p.instrument().underlying());
            size[k] = p.size();
            entry[k] = p.entryPrice();
            valueNow[k] = ins[k].value(entry[k]);
            shortened[k] = Math.max(0.0, ins[k].yearFraction() - h / 365.0);
        }
        double[] coinUsd = new double[nu];
        for (Map.Entry<String, Double> e : portfolio.balances().entrySet()) {
            Integer u = unitOf.get(e.getKey());
            if (u != null) {
                double price = market.priceOrNaN(e.getKey());
                if (Double.isNaN(price)) {
                    throw new InputException("balances." + e.getKey(), "no index price for " + e.getKey()
                        + " in the market snapshot");
                }
                coinUsd[u] += e.getValue() * price;
            }
        }
        double volFloor = params.volDownFloor();
        double[] growth = new double[nu];
        double[] pnl = new double[ns];
        for (int s = 0; s < ns; s++) {
            double total = 0.0;
            for (int u = 0; u < nu; u++) {
                growth[u] = Math.exp(ret[s * nu + u]);
                total += coinUsd[u] * (growth[u] - 1.0);
            }
            for (int k = 0; k < np; k++) {
                ResolvedInstrument r = ins[k];
                int u = unit[k];
                double g = growth[u];
                double v;
                if (r.isOption()) {
                    double vol = Math.max(r.vol() * Math.exp(volChange[s * nu + u]), volFloor);
                    double f = r.mark() * g;
                    double premium = Black76.price(r.isCall(), f, r.strike(), shortened[k], vol, r.rate());
                    v = r.isLinear() ? premium : premium * r.spot() / r.mark();
                } else {
                    v = r.value(entry[k], g - 1.0, Double.NaN);
                }
                total += size[k] * (v - valueNow[k]);
            }
            pnl[s] = total;
        }
        return pnl;
    }

    /** Computes the residual series of every asset of {@code history} once. */
    private void prepare(DailyHistory history) {
        if (history == cachedHistory) {
            return;
        }
        EwmaVolatility ewma = new EwmaVolatility(settings.ewmaLambda(), settings.seedDays());
        int n = history.size();
        Map<String, AssetSeries> m = new HashMap<>();
        for (String a : history.assets()) {
            double[] r = new double[n];
            double[] dv = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = history.logReturn(a, i);
                dv[i] = i == 0 ? Double.NaN : Math.log(history.impliedVol(a, i) / history.impliedVol(a, i - 1));
            }
            double[] v = ewma.variances(r);
            double[] vv = ewma.variances(dv);
            m.put(a, new AssetSeries(v, EwmaVolatility.residuals(r, v), vv, EwmaVolatility.residuals(dv, vv)));
        }
        List<Integer> stress = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalDate d = history.date(i);
            for (StressPeriod p : settings.stressPeriods()) {
                if (!d.isBefore(p.from()) && !d.isAfter(p.to())) {
                    stress.add(i);
                    break;
                }
            }
        }
        cachedSeries = m;
        cachedStressDays = stress.stream().mapToInt(Integer::intValue).toArray();
        cachedHistory = history;
    }
}
