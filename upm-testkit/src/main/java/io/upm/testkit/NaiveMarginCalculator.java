package io.upm.testkit;

import io.upm.input.InputException;
import io.upm.margin.AccountStatus;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.joint.GeometryCache;
import io.upm.margin.joint.JointLossSolver;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
import io.upm.pricing.Black76;
import io.upm.pricing.OptionSensitivities;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The reference implementation of MODEL.md sections 4 to 6 for one account, by full repricing: for every
 * risk-matrix cell and every extended move it builds the shocked snapshot with
 * {@link MarketSnapshot#withPriceMove}, re-resolves every position's instrument against it with
 * {@link ResolvedInstrument#resolve} and values the position from MODEL.md section 2's formulas at the
 * shocked vol, taking V(shocked) - V(now) with the position's real entry price. It shares no code with
 * {@code RiskArrays}, {@code VolShocks} or {@code AccountMarginCalculator}: the vol states, unit charges,
 * option series, roll groups, haircut brackets, equity and requirements are all written out again here,
 * straight from the text of MODEL.md, reading only the values of {@link MarginParameters}.
 *
 * <p>Only the joint loss J(Q) of section 5 is delegated to {@link JointLossSolver} (so that a benchmark's
 * naive baseline differs from the fast path only in repricing); {@link #bruteForceJointLoss} is an
 * independent, exhaustive computation of J(Q) used by tests to check that solver.
 *
 * <p>This is the reference for tests (the optimised calculator is run in lock-step with it) and the naive
 * baseline of the benchmarks. It is slow on purpose: it allocates snapshots, maps and resolved
 * instruments per scenario and per position. Single-threaded: its only state is a bounded cache of the
 * solver's geometries (as the fast calculator has).
 */
public final class NaiveMarginCalculator {
    private final GeometryCache geometries = new GeometryCache(256);
    private JointLossSolver solver;
    private int solverSteps = -1;
    private int solverDirections = -1;

    /** A calculator with its own geometry cache (single-threaded, like the fast calculator). */
    public NaiveMarginCalculator() {
    }

    /**
     * The figures of one risk unit.
     *
     * @param asset              the underlying asset code
     * @param spot               its index price S, USD
     * @param priceMoves         the relative price moves s_j of the matrix rows
     * @param matrix             L[j][v] in USD, v = 0 down, 1 none, 2 up
     * @param extendedMoves      the extended moves e
     * @param extendedPnl        L(e) in USD, vol-up state
     * @param grid               P_u at the grid points: min over the vol states of each row
     * @param worstLoss          W
     * @param extendedLoss       X
     * @param shortOptionMinimum SOM
     * @param coreCharge         C = max(W, X, SOM)
     * @param rollShock          RS
     * @param liquidityAddOn     LA (0 when the snapshot gives no ADV)
     * @param delta              the unit's delta dV/dS in underlying units, spot balance included
     */
    public record UnitResult(String asset, double spot, double[] priceMoves, double[][] matrix, double[] extendedMoves,
                             double[] extendedPnl, double[] grid, double worstLoss, double extendedLoss,
                             double shortOptionMinimum, double coreCharge, double rollShock, double liquidityAddOn,
                             double delta) {
    }

    /**
     * The margin of one account.
     *
     * @param equity            equity, USD
     * @param maintenanceMargin MM
     * @param initialMargin     IM
     * @param crossUnitCharge   CU
     * @param jointLoss         J(rho)
     * @param stressedJointLoss J(Q_stress)
     * @param floor             (1 - c_max) x sum of W
     * @param borrowingCharge   the borrowing charge
     * @param positionsValue    sum of the positions' USD values
     * @param status            the account status
     * @param units             per risk unit, sorted by asset code
     * @param positionValues    each position's USD value, in input order
     * @param positionDeltas    each position's delta dV/dS, in input order
     */
    public record Result(double equity, double maintenanceMargin, double initialMargin, double crossUnitCharge,
                         double jointLoss, double stressedJointLoss, double floor, double borrowingCharge,
                         double positionsValue, AccountStatus status, Map<String, UnitResult> units,
                         double[] positionValues, double[] positionDeltas) {
    }

    /**
     * Computes an account's margin by full repricing.
     *
     * @throws InputException on bad input (an instrument that cannot be resolved, a balance without price)
     */
    public Result compute(MarketSnapshot market, Portfolio portfolio, MarginParameters params) {
        List<Position> positions = portfolio.positions();
        int n = positions.size();

        // value now, with the real entry prices
        ResolvedInstrument[] now = new ResolvedInstrument[n];
        double[] valueNow = new double[n];
        double[] deltaNow = new double[n];
        double positionsValue = 0.0;
        for (int k = 0; k < n; k++) {
            Position p = positions.get(k);
            now[k] = ResolvedInstrument.resolve(p.instrument(), market, "positions[" + k + "].instrument");
            valueNow[k] = value(now[k], p, now[k].vol());
            deltaNow[k] = delta(now[k], p);
            positionsValue += valueNow[k];
        }

        // balances: collateral, loans, and the coin balances that join a risk unit
        double collateral = 0.0;
        double loans = 0.0;
        Map<String, Double> coinBalances = new TreeMap<>();
        for (Map.Entry<String, Double> e : portfolio.balances().entrySet()) {
            String asset = e.getKey();
            double amount = e.getValue();
            double price = market.priceOrNaN(asset);
            if (Double.isNaN(price)) {
                if (!params.isStablecoin(asset)) {
                    throw new InputException("balances." + asset, "no index price for " + asset);
                }
                price = params.stablecoinDefaultPrice();
            }
            double usd = amount * price;
            if (amount > 0) {
                collateral += usd - dynamicHaircut(usd, asset, price, market, params, portfolio);
            } else {
                collateral += usd;
                loans += Math.abs(usd);
            }
            if (!params.isStablecoin(asset) && amount != 0) {
                coinBalances.merge(asset, amount, Double::sum);
            }
        }
        double borrowingCharge = params.borrowingRate() * loans;
        double equity = collateral + positionsValue;

        // the risk units, sorted by asset code
        TreeSet<String> unitNames = new TreeSet<>(coinBalances.keySet());
        for (Position p : positions) {
            unitNames.add(p.instrument().underlying());
        }
        Map<String, UnitResult> units = new LinkedHashMap<>();
        for (String u : unitNames) {
            List<Integer> mine = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (positions.get(k).instrument().underlying().equals(u)) {
                    mine.add(k);
                }
            }
            units.put(u, unit(u, mine, positions, now, valueNow, deltaNow, coinBalances.getOrDefault(u, 0.0), market,
                params));
        }

        // across units
        int nu = units.size();
        double sumWorst = 0.0;
        double sumCoreExcess = 0.0;
        double sumAddOns = 0.0;
        for (UnitResult r : units.values()) {
            sumWorst += r.worstLoss();
            sumCoreExcess += r.coreCharge() - r.worstLoss();
            sumAddOns += r.rollShock() + r.liquidityAddOn();
        }
        double jointLoss = 0.0;
        double stressedJointLoss = 0.0;
        double floor = 0.0;
        double crossUnit = 0.0;
        if (nu > 0) {
            List<String> names = new ArrayList<>(units.keySet());
            double[][] rho = market.correlations().matrix(names);
            double[][] stressed = stressed(rho, params.correlationStressWeight());
            int m = params.priceMoveCount();
            double[] flat = new double[nu * m];
            int u = 0;
            for (UnitResult r : units.values()) {
                System.arraycopy(r.grid(), 0, flat, u * m, m);
                u++;
            }
            floor = (1.0 - params.offsetCap()) * sumWorst;
            if (nu == 1) {
                UnitResult only = units.values().iterator().next();
                jointLoss = only.worstLoss();
                stressedJointLoss = only.worstLoss();
                crossUnit = only.coreCharge();
            } else {
                JointLossSolver s = solver(params);
                double[] qr = flatten(rho);
                double[] qs = flatten(stressed);
                // J itself for the report, and MM by the risk core's sequence (so that a J resolved by branch and
                // bound within its budget is the same figure in both)
                jointLoss = s.solve(nu, qr, flat, Double.NEGATIVE_INFINITY);
                stressedJointLoss = s.solve(nu, qs, flat, Double.NEGATIVE_INFINITY);
                double aboveFloor = s.solve(nu, qs, flat, floor);
                crossUnit = s.solve(nu, qr, flat, aboveFloor) + sumCoreExcess;
            }
        }
        double mm = crossUnit + sumAddOns + borrowingCharge;
        double im = params.initialMarginMultiplier() * mm;
        AccountStatus status = equity < 0 ? AccountStatus.BANKRUPT
            : equity < mm ? AccountStatus.LIQUIDATION
            : equity < im ? AccountStatus.RESTRICTED
            : AccountStatus.HEALTHY;
        return new Result(equity, mm, im, crossUnit, jointLoss, stressedJointLoss, floor, borrowingCharge,
            positionsValue, status, Collections.unmodifiableMap(units), valueNow, deltaNow);
    }

    private static UnitResult unit(String u, List<Integer> mine, List<Position> positions, ResolvedInstrument[] now,
                                   double[] valueNow, double[] deltaNow, double coinBalance, MarketSnapshot market,
                                   MarginParameters params) {
        AssetParameters ap = params.asset(u);
        double range = ap.scanRange();
        double spot = market.priceOrNaN(u);
        if (Double.isNaN(spot)) {
            throw new InputException("prices." + u, "no index price for " + u);
        }
        int steps = params.priceSteps();
        int moves = 2 * steps + 1;
        double[] priceMoves = new double[moves];
        double[][] matrix = new double[moves][3];
        for (int j = -steps; j <= steps; j++) {
            double s = range * j / steps;
            priceMoves[j + steps] = s;
            for (int v = 0; v < 3; v++) {
                MarketSnapshot shocked = market.withPriceMove(u, s);
                matrix[j + steps][v] = scenarioPnl(u, spot, v, mine, positions, now, valueNow, coinBalance, shocked, ap,
                    params);
            }
        }
        List<Double> ext = params.extendedMoves();
        double[] extendedMoves = new double[ext.size()];
        double[] extendedPnl = new double[ext.size()];
        double extendedLoss = 0.0;
        for (int k = 0; k < ext.size(); k++) {
            double e = ext.get(k);
            extendedMoves[k] = e;
            MarketSnapshot shocked = market.withPriceMove(u, e);
            extendedPnl[k] = scenarioPnl(u, spot, 2, mine, positions, now, valueNow, coinBalance, shocked, ap, params);
            extendedLoss = Math.max(extendedLoss, -extendedPnl[k] * range / Math.abs(e));
        }
        double min = Double.POSITIVE_INFINITY;
        double[] grid = new double[moves];
        for (int j = 0; j < moves; j++) {
            grid[j] = Math.min(matrix[j][0], Math.min(matrix[j][1], matrix[j][2]));
            min = Math.min(min, grid[j]);
        }
        double worstLoss = Math.max(0.0, -min);

        // short-option minimum: net size per series (expiry, strike, call/put; linear and inverse alike)
        Map<String, Double> seriesNet = new TreeMap<>();
        for (int k : mine) {
            if (positions.get(k).instrument() instanceof EuropeanOption o) {
                String key = o.expiry() + "|" + o.strike() + "|" + o.type();
                seriesNet.merge(key, positions.get(k).size(), Double::sum);
            }
        }
        double shortSize = 0.0;
        for (double net : seriesNet.values()) {
            shortSize += Math.max(0.0, -net);
        }
        double shortOptionMinimum = params.shortOptionMinimum() * spot * shortSize;
        double coreCharge = Math.max(worstLoss, Math.max(extendedLoss, shortOptionMinimum));

        // roll shock: perpetuals together, each expiry together; spot balances in no group
        Map<String, Double> groupDelta = new TreeMap<>();
        Map<String, Double> groupYears = new TreeMap<>();
        double delta = coinBalance;
        for (int k : mine) {
            Instrument ins = positions.get(k).instrument();
            String key = ins.expiry() == null ? "PERPETUAL" : ins.expiry().toString();
            groupDelta.merge(key, deltaNow[k], Double::sum);
            groupYears.put(key, ins.expiry() == null ? 0.0 : market.yearFraction(ins.expiry()));
            delta += deltaNow[k];
        }
        double rollShock = 0.0;
        for (Map.Entry<String, Double> g : groupDelta.entrySet()) {
            double t = groupYears.get(g.getKey());
            double factor = Math.max(ap.rollMinMove(), Math.exp(ap.rollAnnualMoveRate() * t) - 1.0);
            rollShock += Math.abs(g.getValue() * spot) * factor;
        }

        double adv = market.advOrNaN(u);
        double notional = Math.abs(delta * spot);
        double liquidity = Double.isNaN(adv) ? 0.0 : params.liquidityFactor() * notional * Math.sqrt(notional / adv);
        return new UnitResult(u, spot, priceMoves, matrix, extendedMoves, extendedPnl, grid, worstLoss, extendedLoss,
            shortOptionMinimum, coreCharge, rollShock, liquidity, delta);
    }

    /** The unit's P&amp;L in the shocked snapshot and vol state (0 down, 1 none, 2 up). */
    private static double scenarioPnl(String unitAsset, double spotNow, int volState, List<Integer> mine,
                                      List<Position> positions, ResolvedInstrument[] now, double[] valueNow,
                                      double coinBalance,
                                      MarketSnapshot shocked, AssetParameters ap, MarginParameters params) {
        double pnl = 0.0;
        for (int k : mine) {
            Position p = positions.get(k);
            ResolvedInstrument r = ResolvedInstrument.resolve(p.instrument(), shocked,
                "positions[" + k + "].instrument");
            double vol = r.isOption() ? shockedVol(volState, now[k].vol(), now[k].yearFraction(), ap, params)
                : Double.NaN;
            pnl += value(r, p, vol) - valueNow[k];
        }
        if (coinBalance != 0) {
            // x S s, as the coin's value then minus now
            pnl += coinBalance * shocked.priceOrNaN(unitAsset) - coinBalance * spotNow;
        }
        return pnl;
    }

    /** The vol of an option in a vol state, MODEL.md section 4. */
    static double shockedVol(int state, double sigma, double yearFraction, AssetParameters ap,
                             MarginParameters params) {
        double days = Math.max(yearFraction * 365.0, params.volShockMinDays());
        double p = days < params.volShockReferenceDays() ? params.volShockExponentShort()
            : params.volShockExponentLong();
        double m = Math.pow(params.volShockReferenceDays() / days, p);
        return switch (state) {
            case 0 -> Math.max(sigma * (1.0 - ap.volDownShock() * m), params.volDownFloor());
            case 1 -> sigma;
            case 2 -> Math.max(sigma * (1.0 + ap.volUpShock() * m), params.volUpFloor());
            default -> throw new IllegalArgumentException("vol state " + state);
        };
    }

    /** USD value of a position (MODEL.md section 2) from a resolved instrument, options at {@code vol}. */
    static double value(ResolvedInstrument r, Position p, double vol) {
        double q = p.size();
        double s = r.spot();
        double m = r.mark();
        return switch (r.kind()) {
            case PERPETUAL, FUTURE -> r.isLinear() ? q * (m - p.entryPrice())
                : q * (1.0 / p.entryPrice() - 1.0 / m) * s;
            case OPTION -> {
                double premium = Black76.price(r.isCall(), m, r.strike(), r.yearFraction(), vol, r.rate());
                yield r.isLinear() ? q * premium : q * premium * s / m;
            }
        };
    }

    /** Delta dV/dS of a position, all forwards and marks of the underlying moving with S (section 2). */
    static double delta(ResolvedInstrument r, Position p) {
        double q = p.size();
        return switch (r.kind()) {
            case PERPETUAL, FUTURE -> r.isLinear() ? q * r.mark() / r.spot() : q / p.entryPrice();
            case OPTION -> {
                OptionSensitivities o = new OptionSensitivities();
                Black76.sensitivities(r.isCall(), r.mark(), r.strike(), r.yearFraction(), r.vol(), r.rate(), o);
                // linear: V = q B(F), F = (F/S) S; inverse: V = q B(F) S / F = q B(F) / (F/S)
                yield r.isLinear() ? q * o.delta * r.mark() / r.spot() : q * o.delta;
            }
        };
    }

    /**
     * The haircut in USD on a positive balance of {@code asset} worth {@code usd}, straight from MODEL.md section 10:
     * h = min(1, max(tier(v), vol, depeg) + size), tier(v) the tiered schedule's USD haircut over v. sigma is the
     * snapshot's vol of the asset: its flat vol, else the at-the-money vol 30 days ahead; none without a vol.
     */
    public static double dynamicHaircut(double usd, String asset, double price, MarketSnapshot market, MarginParameters params,
                                 Portfolio portfolio) {
        double tierUsd = tieredHaircut(usd, params.asset(asset).haircut());
        DynamicHaircutParameters d = params.dynamicHaircut();
        double sigma = Double.NaN;
        VolSurface surface = market.volSurface(asset);
        if (surface != null) {
            long t = market.time().getEpochSecond();
            sigma = surface.isFlat() ? surface.vol(price, t, t) : surface.vol(price, t + 30L * 24 * 3600, t);
        }
        // an asset is an underlying with a risk unit when the account holds a position on it or a non-stablecoin
        // balance of it (MODEL.md section 3)
        boolean hasUnit = !params.isStablecoin(asset);
        for (Position p : portfolio.positions()) {
            hasUnit |= p.instrument().underlying().equals(asset);
        }
        double oneDay = Math.sqrt(1.0 / 365.0);
        double vol = !hasUnit && !Double.isNaN(sigma) ? d.volQuantile() * sigma * oneDay : 0.0;
        double depeg = params.isStablecoin(asset) ? d.depegMultiplier() * Math.max(0.0, 1.0 - d.depegTolerance() - price)
            : 0.0;
        double adv = market.advOrNaN(asset);
        double size = !Double.isNaN(adv) && !Double.isNaN(sigma)
            ? d.impactFactor() * sigma * Math.sqrt(usd / adv) * oneDay : 0.0;
        double h = Math.min(1.0, Math.max(tierUsd / usd, Math.max(vol, depeg)) + size);
        return h * usd;
    }

    /** The haircut on a positive USD value, bracket by bracket like a tax schedule. */
    static double tieredHaircut(double usd, HaircutSchedule h) {
        double[] upTo = h.upToUsd();
        double[] rates = h.rates();
        double cut = 0.0;
        double lower = 0.0;
        for (int i = 0; i < rates.length; i++) {
            double upper = i < upTo.length ? upTo[i] : Double.POSITIVE_INFINITY;
            if (usd > lower) {
                cut += (Math.min(usd, upper) - lower) * rates[i];
            }
            lower = upper;
        }
        return cut;
    }

    private JointLossSolver solver(MarginParameters params) {
        if (solver == null || solverSteps != params.priceSteps() || solverDirections != params.jointLossDirections()) {
            solver = new JointLossSolver(geometries, params.priceSteps(), params.jointLossDirections(),
                AccountMarginCalculator.DEFAULT_EXACT_UNITS, AccountMarginCalculator.DEFAULT_LEAF_BUDGET);
            solverSteps = params.priceSteps();
            solverDirections = params.jointLossDirections();
        }
        return solver;
    }

    private static double[] flatten(double[][] q) {
        int n = q.length;
        double[] out = new double[n * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(q[r], 0, out, r * n, n);
        }
        return out;
    }

    private static double[][] stressed(double[][] rho, double w) {
        int n = rho.length;
        double[][] q = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                q[r][c] = (1 - w) * rho[r][c] + w;
            }
        }
        return q;
    }

    // ---------------------------------------------------------------------------------------------
    // brute-force joint loss
    // ---------------------------------------------------------------------------------------------

    /**
     * J(Q) of MODEL.md section 5 by exhaustive search, for tests of {@link JointLossSolver}: the maximum of
     * -sum_u P_u(z_u) over z = Q^{1/2} w, |w| &lt;= 1, with P_u linear between the grid points. Every point
     * it evaluates is feasible, so the result is a lower bound of the true J; the candidates are
     * <ul>
     *   <li>a dense set of directions w on the unit sphere (a fine circle for 2 units, a Fibonacci sphere of
     *       60,000 points for 3, 200,000 seeded Gaussian directions above) and, for the first 4,000 of
     *       them, 40 radii inside the ball;</li>
     *   <li>every grid vertex inside the ellipsoid (z in the range of Q with z^T Q^+ z &lt;= 1);</li>
     *   <li>up to 5 units, the exact enumeration of every face of the price grid: for each choice of
     *       coordinates fixed at a grid value and intervals for the others, the maximiser of the (linear)
     *       objective over that face's affine slice of the ball, in closed form (w = w0 + sqrt(1 - |w0|^2)
     *       N N^T g / |N^T g|, with w0 the minimum-norm point of the slice and N its null space; the
     *       gradient is perturbed by 1e-10 of its scale in a fixed generic direction so that flat faces
     *       still yield a maximiser). The objective is linear on each grid cell, so its maximum sits at
     *       one of these points: up to 5 units the result is exact to rounding.</li>
     * </ul>
     * Slow on purpose: about 15 ms for 2 or 3 units, 50 ms for 4, 0.3 s for 5, 0.5 s for 7 (no face
     * enumeration above 5 units, so there it is a dense lower bound, exact only where the maximum is at a grid
     * vertex or found by the sampling).
     *
     * @param q    the correlation matrix (symmetric positive semi-definite, unit diagonal)
     * @param grid P_u at the grid points, {@code grid[u][j]}, j = 0..m-1 for z = -1..1
     * @return J(Q), USD (negative when every joint move is a gain)
     */
    public static double bruteForceJointLoss(double[][] q, double[][] grid) {
        int n = q.length;
        int m = grid[0].length;
        double[][] a = sqrtPsd(q);
        double best = Double.NEGATIVE_INFINITY;
        double[] w = new double[n];
        double[] z = new double[n];

        // (1) dense directions on the sphere, and radial samples inside
        double[] dirs = sphere(n);
        int count = dirs.length / n;
        for (int k = 0; k < count; k++) {
            System.arraycopy(dirs, k * n, w, 0, n);
            best = Math.max(best, objective(a, grid, w, z));
            if (k < 4000) {
                for (int r = 1; r < 40; r++) {
                    double[] wr = new double[n];
                    for (int c = 0; c < n; c++) {
                        wr[c] = w[c] * r / 40.0;
                    }
                    best = Math.max(best, objective(a, grid, wr, z));
                }
            }
        }

        // (2) grid vertices inside the ellipsoid: z = A w has a solution with |w| <= 1, found as the
        // minimum-norm w = A^+ z (checked by A w = z, so that z lies in the range of A)
        double[][] aPlus = pseudoInverse(a);
        int steps = (m - 1) / 2;
        int[] code = new int[n];
        long total = (long) Math.pow(m, n);
        if (total <= 5_000_000L) {
            for (long c = 0; c < total; c++) {
                long rest = c;
                for (int u = 0; u < n; u++) {
                    code[u] = (int) (rest % m);
                    rest /= m;
                    z[u] = (code[u] - steps) / (double) steps;
                }
                double norm = 0.0;
                for (int r = 0; r < n; r++) {
                    double s = 0.0;
                    for (int u = 0; u < n; u++) {
                        s += aPlus[r][u] * z[u];
                    }
                    w[r] = s;
                    norm += s * s;
                }
                boolean inRange = true;
                for (int u = 0; u < n && inRange; u++) {
                    double back = 0.0;
                    for (int r = 0; r < n; r++) {
                        back += a[u][r] * w[r];
                    }
                    inRange = Math.abs(back - z[u]) <= 1e-9;
                }
                if (inRange && norm <= 1.0 + 1e-9) {
                    double s = 0.0;
                    for (int u = 0; u < n; u++) {
                        s += grid[u][code[u]];
                    }
                    best = Math.max(best, -s);
                }
            }
        }

        // (3) exact enumeration of the faces of the grid
        if (n <= 5) {
            best = Math.max(best, faceEnumeration(a, grid));
        }
        return best;
    }

    /** -sum_u P_u(z_u) at z = A w (z clamped to [-1, 1] against rounding). */
    private static double objective(double[][] a, double[][] grid, double[] w, double[] z) {
        int n = a.length;
        double s = 0.0;
        for (int u = 0; u < n; u++) {
            double zu = 0.0;
            for (int c = 0; c < n; c++) {
                zu += a[u][c] * w[c];
            }
            z[u] = Math.max(-1.0, Math.min(1.0, zu));
            s += interpolate(grid[u], z[u]);
        }
        return -s;
    }

    /** P at z in [-1, 1], linear between the m grid points. */
    private static double interpolate(double[] p, double z) {
        int m = p.length;
        double t = (z + 1.0) / 2.0 * (m - 1);
        int i = (int) Math.floor(t);
        if (i < 0) {
            i = 0;
        }
        if (i > m - 2) {
            i = m - 2;
        }
        double f = t - i;
        return p[i] * (1.0 - f) + p[i + 1] * f;
    }

    private static double faceEnumeration(double[][] a, double[][] grid) {
        int n = a.length;
        int m = grid[0].length;
        int steps = (m - 1) / 2;
        double h = 2.0 / (m - 1); // z width of a grid interval
        // a fixed generic direction for tie-breaking on flat faces, and the scale of the gradients
        double[] generic = new double[n];
        SplittableRandom rnd = new SplittableRandom(12345);
        double scale = 0.0;
        for (int u = 0; u < n; u++) {
            generic[u] = rnd.nextDouble() - 0.5;
            for (int j = 0; j < m - 1; j++) {
                scale = Math.max(scale, Math.abs(grid[u][j + 1] - grid[u][j]) / h);
            }
        }
        double tiny = 1e-10 * (scale + 1e-300);
        double best = Double.NEGATIVE_INFINITY;
        double[] w = new double[n];
        double[] z = new double[n];
        double[] g = new double[n];
        double[] d = new double[n];
        int[] choice = new int[n];
        for (int mask = 0; mask < (1 << n); mask++) {
            int k = Integer.bitCount(mask);
            int[] fixed = new int[k];
            int[] free = new int[n - k];
            int fi = 0;
            int ri = 0;
            for (int u = 0; u < n; u++) {
                if ((mask & (1 << u)) != 0) {
                    fixed[fi++] = u;
                } else {
                    free[ri++] = u;
                }
            }
            // pseudo-inverse of the fixed rows of A, and the projector on their null space
            double[][] pinv = new double[n][k];
            double[][] proj = new double[n][n];
            for (int r = 0; r < n; r++) {
                proj[r][r] = 1.0;
            }
            if (k > 0) {
                double[][] as = new double[k][];
                for (int i = 0; i < k; i++) {
                    as[i] = a[fixed[i]].clone();
                }
                pinv = pseudoInverse(as);
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        double s = 0.0;
                        for (int i = 0; i < k; i++) {
                            s += pinv[r][i] * as[i][c];
                        }
                        proj[r][c] -= s;
                    }
                }
            }
            // every assignment: fixed coordinates at one of m grid values, free ones in one of m-1 intervals
            long combos = 1;
            for (int u = 0; u < n; u++) {
                combos *= (mask & (1 << u)) != 0 ? m : m - 1;
            }
            for (long c = 0; c < combos; c++) {
                long rest = c;
                for (int u = 0; u < n; u++) {
                    int base = (mask & (1 << u)) != 0 ? m : m - 1;
                    choice[u] = (int) (rest % base);
                    rest /= base;
                }
                // w0 = pinv z_fixed
                double norm0 = 0.0;
                for (int r = 0; r < n; r++) {
                    double s = 0.0;
                    for (int i = 0; i < k; i++) {
                        s += pinv[r][i] * ((choice[fixed[i]] - steps) / (double) steps);
                    }
                    w[r] = s;
                    norm0 += s * s;
                }
                if (norm0 > 1.0) {
                    double inv = 1.0 / Math.sqrt(norm0);
                    for (int r = 0; r < n; r++) {
                        w[r] *= inv;
                    }
                    best = Math.max(best, objective(a, grid, w, z));
                    continue;
                }
                best = Math.max(best, objective(a, grid, w, z));
                // gradient of -sum P over the free coordinates' intervals, w.r.t. w, plus the tie-breaker
                for (int r = 0; r < n; r++) {
                    g[r] = tiny * generic[r];
                }
                for (int u : free) {
                    double slope = (grid[u][choice[u] + 1] - grid[u][choice[u]]) / h;
                    for (int r = 0; r < n; r++) {
                        g[r] -= slope * a[u][r];
                    }
                }
                double dn = 0.0;
                for (int r = 0; r < n; r++) {
                    double s = 0.0;
                    for (int cc = 0; cc < n; cc++) {
                        s += proj[r][cc] * g[cc];
                    }
                    d[r] = s;
                    dn += s * s;
                }
                if (dn > 0) {
                    double t = Math.sqrt(Math.max(0.0, 1.0 - norm0) / dn);
                    double[] wt = new double[n];
                    double nt = 0.0;
                    for (int r = 0; r < n; r++) {
                        wt[r] = w[r] + t * d[r];
                        nt += wt[r] * wt[r];
                    }
                    if (nt > 1.0) {
                        double inv = 1.0 / Math.sqrt(nt);
                        for (int r = 0; r < n; r++) {
                            wt[r] *= inv;
                        }
                    }
                    best = Math.max(best, objective(a, grid, wt, z));
                }
            }
        }
        return best;
    }

    /** The Moore-Penrose pseudo-inverse of a k x n matrix, singular values below 1e-10 of the largest dropped. */
    private static double[][] pseudoInverse(double[][] as) {
        int k = as.length;
        int n = as[0].length;
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(as, false));
        double[] sv = svd.getSingularValues();
        RealMatrix uu = svd.getU();
        RealMatrix vv = svd.getV();
        double max = 0.0;
        for (double s : sv) {
            max = Math.max(max, s);
        }
        double[][] p = new double[n][k];
        for (int t = 0; t < sv.length; t++) {
            if (sv[t] <= 1e-10 * Math.max(max, 1e-300)) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < k; c++) {
                    p[r][c] += vv.getEntry(r, t) * uu.getEntry(c, t) / sv[t];
                }
            }
        }
        return p;
    }

    /** The symmetric square root of a PSD matrix, eigenvalues below 1e-12 of the largest taken as 0. */
    private static double[][] sqrtPsd(double[][] q) {
        int n = q.length;
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(q, true));
        double[] lambda = eig.getRealEigenvalues();
        RealMatrix v = eig.getV();
        double max = 0.0;
        for (double l : lambda) {
            max = Math.max(max, l);
        }
        double eps = 1e-12 * Math.max(max, 1.0);
        double[][] a = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += v.getEntry(r, k) * (lambda[k] > eps ? Math.sqrt(lambda[k]) : 0.0) * v.getEntry(c, k);
                }
                a[r][c] = s;
            }
        }
        return a;
    }

    /** Dense, roughly uniform unit directions for the brute force. */
    private static double[] sphere(int n) {
        if (n == 1) {
            return new double[] {1.0, -1.0};
        }
        if (n == 2) {
            int count = 200_000;
            double[] w = new double[2 * count];
            for (int k = 0; k < count; k++) {
                double t = 2 * Math.PI * k / count;
                w[2 * k] = Math.cos(t);
                w[2 * k + 1] = Math.sin(t);
            }
            return w;
        }
        if (n == 3) {
            int count = 60_000;
            double[] w = new double[3 * count];
            double golden = Math.PI * (3 - Math.sqrt(5));
            for (int k = 0; k < count; k++) {
                double y = 1 - 2 * (k + 0.5) / count;
                double r = Math.sqrt(1 - y * y);
                w[3 * k] = r * Math.cos(golden * k);
                w[3 * k + 1] = y;
                w[3 * k + 2] = r * Math.sin(golden * k);
            }
            return w;
        }
        int count = 200_000;
        double[] w = new double[n * count];
        SplittableRandom rnd = new SplittableRandom(42 + n);
        for (int k = 0; k < count; k++) {
            double norm = 0.0;
            for (int u = 0; u < n; u++) {
                double x = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
                w[k * n + u] = x;
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int u = 0; u < n; u++) {
                w[k * n + u] /= norm;
            }
        }
        return w;
    }
}
