package io.upm.engine.liquidation;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bankruptcy path of MODEL.md section 11: the insurance fund, then auto-deleveraging.
 *
 * <p>Definitions (USD; N a position's notional as the planner's: |q| x mark for linear perpetuals and futures, |q| for
 * inverse ones, |q| x index for options):
 * <ul>
 *   <li>gross value G of an account: its balances at full price (no haircut) plus its positions' USD values at the
 *       marks (MODEL.md section 2): what the fund gets, or must make good, if it takes the account over;</li>
 *   <li>profit of a position: its USD value V (the unrealised P&amp;L of a perpetual or future; an option's value),
 *       as a fraction of its notional: profit = V / N;</li>
 *   <li>leverage of an account with equity E &gt; 0: the sum of its positions' notionals over E;</li>
 *   <li>ranking score: profit x leverage when profit &gt; 0, profit / leverage otherwise (the most profitable, most
 *       leveraged opposite positions go first; accounts with E &lt;= 0 are never counterparties); ties by account
 *       id.</li>
 * </ul>
 *
 * <p>Policy ({@link #deleverageNow}): a bankrupt account (equity &lt; 0) whose positions the fund can still afford to
 * close in the market (fund + G - impact of closing them &gt;= 0) keeps being liquidated by steps; once it has no
 * positions, {@link #resolve} lets the fund take over its balances. When the fund cannot afford it, {@link #resolve}
 * closes its remaining positions at once against the ranked opposite positions, at the bankruptcy price: the loss the
 * fund cannot absorb, R = max(0, -(G + max(fund, 0))), is shared among the positions in proportion to their notional
 * and paid by the counterparties in proportion to the size each takes, so that after the takeover the fund is at 0.
 * What finds no counterparty closes at the mark against the venue and its share of R stays with the fund
 * ({@link BankruptcyResolution#uncoveredUsd}).
 *
 * <p>Every figure comes from the risk core's calculator; counterparties are visited in account-id order. Not
 * thread-safe (it uses the writer's calculator).
 */
public final class AutoDeleveraging {
    private final AccountMarginCalculator calc;

    /**
     * An opposite position ranked for auto-deleveraging.
     *
     * @param account     the account
     * @param size        its signed size in the instrument
     * @param profitRatio V / N
     * @param leverage    sum of the account's notionals / its equity
     * @param score       the ranking score
     */
    public record Ranked(String account, double size, double profitRatio, double leverage, double score) {
    }

    /** Auto-deleveraging on the writer's calculator. */
    public AutoDeleveraging(AccountMarginCalculator calc) {
        this.calc = calc;
    }

    /** The ranking score: profit x leverage when profit &gt; 0, profit / leverage otherwise. */
    public static double score(double profitRatio, double leverage) {
        return profitRatio > 0.0 ? profitRatio * leverage : profitRatio / leverage;
    }

    /**
     * True when a bankrupt account's remaining positions must be deleveraged now: the fund cannot pay for closing them
     * in the market (fund + gross value - close-out impact &lt; 0). False without positions.
     */
    public static boolean deleverageNow(double fundUsd, double grossValueUsd, double closeOutCostUsd,
                                        boolean hasPositions) {
        return hasPositions && fundUsd + grossValueUsd - closeOutCostUsd < 0.0;
    }

    /** The gross value G of an account (see the class documentation), USD. */
    public static double grossValueUsd(RiskArrays arrays, AccountState s) {
        double v = 0.0;
        for (int b = 0; b < s.balanceCount(); b++) {
            v += s.balanceAmount(b) * InsuranceFund.price(arrays, arrays.asset(s.balanceAsset(b)));
        }
        for (int k = 0; k < s.positionCount(); k++) {
            int i = s.positionInstrument(k);
            v += InstrumentFigures.positionValueUsd(arrays, i, s.positionSize(i), s.entryPrice(i));
        }
        return v;
    }

    /**
     * The opposite positions to a bankrupt position of {@code bankruptSize} in instrument {@code i}, best ranked
     * first.
     *
     * @param accounts every account (the bankrupt one and accounts with equity &lt;= 0 are left out)
     */
    public List<Ranked> rank(RiskArrays arrays, int i, double bankruptSize, String bankrupt, Iterable<AccountState> accounts) {
        Map<String, double[]> cache = new HashMap<>();
        List<Ranked> out = new ArrayList<>();
        for (AccountState s : accounts) {
            Ranked r = ranked(arrays, i, bankruptSize, bankrupt, s, cache);
            if (r != null) {
                out.add(r);
            }
        }
        out.sort(ORDER);
        return out;
    }

    private static final Comparator<Ranked> ORDER = (x, y) -> {
        int c = Double.compare(y.score(), x.score());
        return c != 0 ? c : x.account().compareTo(y.account());
    };

    private Ranked ranked(RiskArrays arrays, int i, double bankruptSize, String bankrupt, AccountState s,
                          Map<String, double[]> cache) {
        return ranked(arrays, i, bankruptSize, bankrupt, s, cache, null);
    }

    private Ranked ranked(RiskArrays arrays, int i, double bankruptSize, String bankrupt, AccountState s,
                          Map<String, double[]> cache, java.util.function.ToDoubleFunction<AccountState> knownEquity) {
        if (s.account().equals(bankrupt)) {
            return null;
        }
        double q = s.positionSize(i);
        if (q == 0.0 || Math.signum(q) == Math.signum(bankruptSize)) {
            return null;
        }
        double[] el = cache.computeIfAbsent(s.account(), k -> knownEquity == null ? equityAndLeverage(arrays, s)
            : leverage(arrays, s, knownEquity.applyAsDouble(s)));
        if (!(el[0] > 0.0)) {
            return null;
        }
        double n = Math.abs(q) * InstrumentFigures.notionalPerUnit(arrays, i);
        double profit = InstrumentFigures.positionValueUsd(arrays, i, q, s.entryPrice(i)) / n;
        return new Ranked(s.account(), q, profit, el[1], score(profit, el[1]));
    }

    private double[] equityAndLeverage(RiskArrays arrays, AccountState s) {
        calc.compute(arrays, s.resolve(arrays), -1);
        return leverage(arrays, s, calc.equity());
    }

    private static double[] leverage(RiskArrays arrays, AccountState s, double equity) {
        double notional = 0.0;
        for (int k = 0; k < s.positionCount(); k++) {
            int i = s.positionInstrument(k);
            notional += Math.abs(s.positionSize(i)) * InstrumentFigures.notionalPerUnit(arrays, i);
        }
        return new double[] {equity, equity > 0.0 ? notional / equity : Double.NaN};
    }

    /**
     * The resolution of a bankrupt account: auto-deleveraging of its remaining positions (if it has any), then the
     * fund's takeover of its balances. Nothing is changed: the engine journals the result and applies it.
     *
     * @param accounts every account, in account-id order (the bankrupt one may be among them)
     */
    public BankruptcyResolution resolve(RiskArrays arrays, AccountState bankrupt, Iterable<AccountState> accounts,
                                        InsuranceFund fund, Instant time) {
        return resolve(arrays, bankrupt, accounts, fund, time, null);
    }

    /**
     * As {@link #resolve(RiskArrays, AccountState, Iterable, InsuranceFund, Instant)}, with the equity of the accounts
     * as they are given (before any transfer of this resolution) from {@code knownEquity} instead of a margin compute
     * of each: an engine keeps every account's figures current, and a venue has many accounts. It must be the equity
     * a compute would give, bit for bit (the result is then the same).
     */
    public BankruptcyResolution resolve(RiskArrays arrays, AccountState bankrupt, Iterable<AccountState> accounts,
                                        InsuranceFund fund, Instant time,
                                        java.util.function.ToDoubleFunction<AccountState> knownEquity) {
        double fundUsd = fund.valueUsd(arrays);
        double gross = grossValueUsd(arrays, bankrupt);
        AccountState a = bankrupt.copy();
        // counterparties are copied when a transfer first touches them (a venue has many accounts, few take part)
        Map<String, AccountState> copies = new HashMap<>();
        Map<String, AccountState> originals = new HashMap<>(); // the possible counterparties: holders of its instruments
        List<AdlTransfer> transfers = new ArrayList<>();
        int n = bankrupt.positionCount();
        if (n > 0) {
            double recover = Math.max(0.0, -(gross + Math.max(fundUsd, 0.0)));
            int[] order = new int[n];
            double totalNotional = 0.0;
            for (int k = 0; k < n; k++) {
                int i = bankrupt.positionInstrument(k);
                int x = k;
                while (x > 0 && arrays.instrumentRank(order[x - 1]) > arrays.instrumentRank(i)) {
                    order[x] = order[x - 1];
                    x--;
                }
                order[x] = i;
            }
            for (int k = 0; k < n; k++) {
                totalNotional += Math.abs(bankrupt.positionSize(order[k])) * InstrumentFigures.notionalPerUnit(arrays, order[k]);
            }
            Map<String, double[]> cache = new HashMap<>();
            // the holders of each instrument the bankrupt account holds: one pass over the accounts' positions
            boolean[] wanted = new boolean[arrays.instrumentCount()];
            for (int k = 0; k < n; k++) {
                wanted[order[k]] = true;
            }
            Map<Integer, List<AccountState>> holders = new HashMap<>();
            for (AccountState s : accounts) {
                if (s.account().equals(bankrupt.account())) {
                    continue;
                }
                for (int k = 0; k < s.positionCount(); k++) {
                    int j = s.positionInstrument(k);
                    if (wanted[j]) {
                        holders.computeIfAbsent(j, x -> new ArrayList<>()).add(s);
                        originals.put(s.account(), s);
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                int i = order[k];
                String name = arrays.instrument(i).instrument().name();
                double q = bankrupt.positionSize(i);
                double share = totalNotional > 0.0
                    ? recover * (Math.abs(q) * InstrumentFigures.notionalPerUnit(arrays, i) / totalNotional) : 0.0;
                double mark = InstrumentFigures.markFillPrice(arrays, i);
                List<Ranked> ranked = new ArrayList<>();
                for (AccountState original : holders.getOrDefault(i, List.of())) {
                    AccountState s = copies.isEmpty() ? original : copies.getOrDefault(original.account(), original);
                    Ranked r = ranked(arrays, i, q, bankrupt.account(), s, cache,
                        s == original ? knownEquity : null);
                    if (r != null) {
                        ranked.add(r);
                    }
                }
                // best first (a total order): a heap, since a few counterparties usually fill the position
                java.util.PriorityQueue<Ranked> best = new java.util.PriorityQueue<>(Math.max(1, ranked.size()), ORDER);
                best.addAll(ranked);
                while (!best.isEmpty()) {
                    Ranked r = best.poll();
                    double rest = a.positionSize(i);
                    if (rest == 0.0) {
                        break;
                    }
                    double x = Math.min(Math.abs(rest), Math.abs(r.size()));
                    double size = -Math.signum(rest) * x;
                    double cash = share * (x / Math.abs(q));
                    AdlTransfer t = new AdlTransfer(r.account(), name, size, mark, cash);
                    transfers.add(t);
                    copies.computeIfAbsent(r.account(), id -> originals.get(id).copy());
                    apply(t, a, copies, arrays);
                }
                double rest = a.positionSize(i);
                if (rest != 0.0) {
                    AdlTransfer t = new AdlTransfer(null, name, -rest, mark, 0.0);
                    transfers.add(t);
                    apply(t, a, copies, arrays);
                }
            }
        }
        List<BalanceTakeover> takeover = new ArrayList<>();
        double takeoverUsd = 0.0;
        TreeMap<String, Double> left = new TreeMap<>();
        for (int b = 0; b < a.balanceCount(); b++) {
            left.put(arrays.asset(a.balanceAsset(b)), a.balanceAmount(b));
        }
        for (Map.Entry<String, Double> e : left.entrySet()) {
            takeover.add(new BalanceTakeover(e.getKey(), e.getValue()));
            takeoverUsd += e.getValue() * InsuranceFund.price(arrays, e.getKey());
        }
        double uncovered = Math.max(0.0, -(fundUsd + takeoverUsd));
        return new BankruptcyResolution(time, bankrupt.account(), transfers, takeover, uncovered);
    }

    /** Applies one transfer to the copies (the same arithmetic as {@link BankruptcyResolution#applyTo}). */
    private static void apply(AdlTransfer t, AccountState a, Map<String, AccountState> copies, RiskArrays arrays) {
        BankruptcyResolution one = new BankruptcyResolution(Instant.EPOCH, a.account(), List.of(t), List.of(), 0.0);
        one.applyTransfers(name -> name.equals(a.account()) ? a : copies.get(name), arrays, MoneyFlows.NONE);
    }
}
