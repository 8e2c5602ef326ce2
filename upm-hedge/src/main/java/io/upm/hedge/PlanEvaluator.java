package io.upm.hedge;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.UnitMatrices;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * Margins an account with a plan's trades booked, by the ordinary risk core, without building a {@link Portfolio}
 * per plan: the account is held as universe indices, the trades are appended to reused primitive arrays with the
 * balance changes FORMATS.md's booking makes (option premium from the settlement currency, then the cost from USDC,
 * trade by trade in candidate order, with the same floating-point operations as {@link Portfolio#withBalanceChange}),
 * and {@link AccountMarginCalculator#recompute} re-sums only the units the trades touch, reusing the account's other
 * units. The figures are bit for bit those of {@link #book} margined from scratch ({@code HedgeEvaluatorTest}).
 *
 * <p>One per solve; not thread-safe; after construction an evaluation allocates only the calculator's resolved
 * portfolio.
 */
final class PlanEvaluator {
    private final RiskArrays arrays;
    private final AccountMarginCalculator calculator;
    private final TradeCostModel costs;
    private final Portfolio portfolio;
    private final List<Instrument> candidates;
    private final String account;
    /** Per candidate: universe index, its asset, entry price (NaN for options), premium in its currency, the slot of
     *  that currency in the balance arrays (-1: not an option), sigma and ADV of the cost model. */
    private final int[] index;
    private final int[] asset;
    private final double[] entry;
    private final double[] premium;
    private final int[] premiumSlot;
    private final double[] sigma;
    private final double[] adv;
    // the account's positions then room for the trades
    private final int basePositions;
    private final int[] posInstrument;
    private final double[] posSize;
    private final double[] posEntry;
    // balances: the account's (in its order) then currencies a trade adds
    private final int baseBalances;
    private final int balanceCount;
    private final int[] balanceAsset;
    private final double[] baseAmount;
    private final boolean[] present;
    private final double[] amount;
    private final int usdcSlot;
    private final int[] moved;
    private final UnitMatrices accountUnits = new UnitMatrices();
    private final UnitMatrices scratch = new UnitMatrices();
    private final double baseMaintenance;
    private final double baseEquity;
    private double equity;
    private double maintenance;
    private double cost;

    PlanEvaluator(RiskArrays arrays, AccountMarginCalculator calculator, TradeCostModel costs, Portfolio portfolio,
                  List<Instrument> candidates) {
        this.arrays = arrays;
        this.calculator = calculator;
        this.costs = costs;
        this.portfolio = portfolio;
        this.candidates = candidates;
        this.account = portfolio.account();
        int n = candidates.size();
        MarketSnapshot market = arrays.market();
        List<Position> positions = portfolio.positions();
        basePositions = positions.size();
        posInstrument = new int[basePositions + n];
        posSize = new double[basePositions + n];
        posEntry = new double[basePositions + n];
        for (int k = 0; k < basePositions; k++) {
            Position p = positions.get(k);
            posInstrument[k] = arrays.instrumentIndex(p.instrument().name());
            posSize[k] = p.size();
            posEntry[k] = p.entryPrice();
        }
        List<String> codes = new ArrayList<>(portfolio.balances().keySet());
        baseBalances = codes.size();
        index = new int[n];
        asset = new int[n];
        entry = new double[n];
        premium = new double[n];
        premiumSlot = new int[n];
        sigma = new double[n];
        adv = new double[n];
        for (int k = 0; k < n; k++) {
            Instrument ins = candidates.get(k);
            index[k] = arrays.instrumentIndex(ins.name());
            ResolvedInstrument r = arrays.instrument(index[k]);
            asset[k] = arrays.instrumentAsset(index[k]);
            sigma[k] = costs.volatility(market, ins.underlying());
            adv[k] = arrays.adv(asset[k]);
            premiumSlot[k] = -1;
            if (r.isOption()) {
                entry[k] = Double.NaN;
                premium[k] = r.isLinear() ? r.value(0.0) : r.value(0.0) / r.spot();
                premiumSlot[k] = slot(codes, settlementCurrency(ins, r));
            } else {
                entry[k] = r.mark();
            }
        }
        int usdc = slot(codes, "USDC");
        usdcSlot = usdc;
        balanceCount = codes.size();
        balanceAsset = new int[balanceCount];
        baseAmount = new double[balanceCount];
        present = new boolean[balanceCount];
        amount = new double[balanceCount];
        for (int b = 0; b < balanceCount; b++) {
            balanceAsset[b] = arrays.assetIndex(codes.get(b));
            Double v = portfolio.balances().get(codes.get(b));
            present[b] = v != null;
            baseAmount[b] = v == null ? 0.0 : v;
        }
        moved = new int[2 * n];
        baseMaintenance = calculator.compute(arrays, ResolvedPortfolio.resolve(portfolio, arrays), accountUnits);
        baseEquity = calculator.equity();
    }

    private static int slot(List<String> codes, String code) {
        int at = codes.indexOf(code);
        if (at < 0) {
            codes.add(code);
            at = codes.size() - 1;
        }
        return at;
    }

    /** The currency an option's premium is paid in (as {@link MarginCalculator#apply} books it). */
    private static String settlementCurrency(Instrument ins, ResolvedInstrument r) {
        String name = ins.name();
        return r.isLinear() ? name.substring(name.indexOf('_') + 1, name.indexOf('-')) : ins.underlying();
    }

    /** The account's MM with no trade. */
    double baseMaintenance() {
        return baseMaintenance;
    }

    /** The account's equity with no trade. */
    double baseEquity() {
        return baseEquity;
    }

    /** The cost model's vol of candidate k's underlying. */
    double sigma(int k) {
        return sigma[k];
    }

    /** Candidate k's underlying's ADV (NaN when unknown). */
    double adv(int k) {
        return adv[k];
    }

    /** The cost of trading size x of candidate k. */
    double tradeCost(int k, double x) {
        return costs.cost(arrays.instrument(index[k]), x, sigma[k], adv[k]);
    }

    /**
     * Margins the account with trades x (per candidate, 0: none) booked; read {@link #equity()},
     * {@link #maintenanceMargin()} and {@link #cost()} after.
     *
     * @return the MM in USD
     */
    double evaluate(double[] x) {
        int np = basePositions;
        int nm = 0;
        System.arraycopy(baseAmount, 0, amount, 0, balanceCount);
        boolean[] has = null;
        double total = 0.0;
        for (int k = 0; k < x.length; k++) {
            double q = x[k];
            if (q == 0) {
                continue;
            }
            if (!(Math.abs(q) <= Position.MAX_ABS_SIZE)) {
                return slowEvaluate(x); // the booking's own check raises the usual error
            }
            posInstrument[np] = index[k];
            posSize[np] = q;
            posEntry[np] = entry[k];
            np++;
            if (premiumSlot[k] >= 0) {
                has = credit(has, premiumSlot[k], -q * premium[k]);
                nm = addMoved(nm, balanceAsset[premiumSlot[k]]);
            }
            double c = tradeCost(k, q);
            has = credit(has, usdcSlot, -c);
            total += c;
            nm = addMoved(nm, asset[k]);
        }
        int nb = 0;
        for (int b = 0; b < balanceCount; b++) {
            if (present[b] || has != null && has[b]) {
                if (!(Math.abs(amount[b]) <= Portfolio.MAX_ABS_BALANCE)) {
                    return slowEvaluate(x);
                }
                nb++;
            }
        }
        int[] assets = new int[nb];
        double[] amounts = new double[nb];
        for (int b = 0, o = 0; b < balanceCount; b++) {
            if (present[b] || has != null && has[b]) {
                assets[o] = balanceAsset[b];
                amounts[o] = amount[b];
                o++;
            }
        }
        ResolvedPortfolio rp = ResolvedPortfolio.of(account, arrays, posInstrument, posSize, posEntry, np, assets,
            amounts, nb);
        scratch.copyFrom(accountUnits);
        maintenance = calculator.recompute(arrays, rp, scratch, moved, nm);
        equity = calculator.equity();
        cost = total;
        return maintenance;
    }

    /** Notes that asset a's unit changed (a stablecoin is no unit: it changes only equity). */
    private int addMoved(int nm, int a) {
        if (arrays.isStablecoin(a)) {
            return nm;
        }
        for (int m = 0; m < nm; m++) {
            if (moved[m] == a) {
                return nm;
            }
        }
        moved[nm] = a;
        return nm + 1;
    }

    /** Adds delta to balance slot b as {@code Map.merge(asset, delta, Double::sum)} does (absent: the delta itself). */
    private boolean[] credit(boolean[] has, int b, double delta) {
        boolean[] h = has;
        if (!present[b] && (h == null || !h[b])) {
            if (h == null) {
                h = new boolean[balanceCount];
            }
            h[b] = true;
            amount[b] = delta;
        } else {
            amount[b] = amount[b] + delta;
        }
        return h;
    }

    private double slowEvaluate(double[] x) {
        Portfolio p = book(x, new ArrayList<>());
        maintenance = calculator.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
        equity = calculator.equity();
        double total = 0.0;
        for (int k = 0; k < x.length; k++) {
            if (x[k] != 0) {
                total += tradeCost(k, x[k]);
            }
        }
        cost = total;
        return maintenance;
    }

    /** Equity of the last evaluation, USD. */
    double equity() {
        return equity;
    }

    /** MM of the last evaluation, USD. */
    double maintenanceMargin() {
        return maintenance;
    }

    /** Total trade cost of the last evaluation, USD. */
    double cost() {
        return cost;
    }

    /**
     * The hedged portfolio as FORMATS.md books it (each trade in candidate order: the position at the mark or, for an
     * option, the model premium paid from its settlement currency; then its cost from USDC), and the trades.
     */
    Portfolio book(double[] x, List<HedgeTrade> trades) {
        Portfolio p = portfolio;
        MarketSnapshot market = arrays.market();
        for (int k = 0; k < x.length; k++) {
            if (x[k] == 0) {
                continue;
            }
            Instrument ins = candidates.get(k);
            ResolvedInstrument r = arrays.instrument(index[k]);
            String field = "trades[" + trades.size() + "]";
            double c = tradeCost(k, x[k]);
            double price;
            if (r.isOption()) {
                price = premium[k];
                p = MarginCalculator.apply(p, new MarginCalculator.Order(ins, x[k], price), market, field);
            } else {
                price = r.mark();
                p = p.plus(Position.of(ins, x[k], price, field));
            }
            p = p.withBalanceChange("USDC", -c);
            trades.add(new HedgeTrade(ins, x[k], price, c));
        }
        return p;
    }
}
