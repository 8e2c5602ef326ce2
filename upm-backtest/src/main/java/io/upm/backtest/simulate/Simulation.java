package io.upm.backtest.simulate;

import io.upm.engine.liquidation.AdlTransfer;
import io.upm.engine.liquidation.AutoDeleveraging;
import io.upm.engine.liquidation.BankruptcyResolution;
import io.upm.engine.liquidation.CascadeGuard;
import io.upm.engine.liquidation.InsuranceFund;
import io.upm.engine.liquidation.LiquidationDecision;
import io.upm.engine.liquidation.LiquidationHedge;
import io.upm.engine.liquidation.LiquidationHedger;
import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.engine.liquidation.LiquidationPlanner;
import io.upm.engine.liquidation.LiquidationStep;
import io.upm.engine.liquidation.MarginCallRule;
import io.upm.engine.liquidation.MoneyFlows;
import io.upm.engine.liquidation.UnitVolatility;
import io.upm.engine.event.MarginCallEvent;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.StandardMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run of the crash simulator: a {@link SimulatedVenue} under one {@link LiquidationPolicy}, driven minute by
 * minute through {@link MarketPaths}. Each minute the price of an underlying is its real path moved by the impact of
 * the liquidation flow so far: D = sign(Q) x impactFactor x sigma x sqrt(|Q| / ADV) x sqrt(1/365) (MODEL.md section
 * 11's square-root term; the half-spread is a cost of each trade, not a move of the market), Q the net signed notional
 * the liquidations traded in that underlying (sales negative; an option by its delta notional), decaying with a
 * half-life of {@link SimulationSettings#impactHalfLifeMinutes}. Every account is re-margined every
 * {@link SimulationSettings#evaluateEveryMinutes} minutes and, under {@code upm}, the queue is served every minute.
 *
 * <p>Money moves only through the engine's records ({@link LiquidationStep#applyTo}, {@link BankruptcyResolution#applyTo}),
 * so the {@link MoneyFlows} observer sees every balance change. No funding, no new trades, no deposits during the
 * window. Single-threaded and deterministic: the same inputs give the same result bit for bit.
 */
public final class Simulation {
    private static final String[] PAIRS = {"BTC/ETH", "BTC/SOL", "ETH/SOL"};
    private static final double[] RHO = {0.8, 0.7, 0.75};

    private final MarketPaths paths;
    private final SimulatedVenue venue;
    private final SimulationSettings settings;
    private final LiquidationPolicy policy;
    private final MoneyFlows flows;
    private final LiquidationParameters lp;
    private final MarginParameters mp;
    private final AccountMarginCalculator calc = new AccountMarginCalculator();
    private final LiquidationPlanner planner;
    /** Hedge first ({@link SimulationSettings#hedgeFirst}, upm policy): the engine's component. */
    private final LiquidationHedger hedger;
    private final AutoDeleveraging adl = new AutoDeleveraging(calc);
    private final CascadeGuard guard;
    private final MarginCallRule calls;
    private final TreeMap<String, AccountState> accounts = new TreeMap<>();
    private final TreeMap<String, SimulationResult.AccountOutcome> outcomes = new TreeMap<>();
    private final InsuranceFund fund;
    private final SimulationResult result;
    private RiskArrays arrays;
    private double[] vol;
    private final Map<String, Double> flow = new TreeMap<>();
    private final Map<String, Double> displacement = new TreeMap<>();
    private int minute;
    private Instant now;

    private Simulation(MarketPaths paths, SimulatedVenue venue, SimulationSettings settings, LiquidationPolicy policy,
                       MoneyFlows flows) {
        this.paths = paths;
        this.venue = venue;
        this.settings = settings;
        this.policy = policy;
        this.flows = flows;
        this.lp = settings.liquidation();
        this.mp = settings.margin();
        this.planner = new LiquidationPlanner(lp, calc);
        this.hedger = new LiquidationHedger(lp, planner, calc, settings.hedgeOptions());
        this.guard = new CascadeGuard(lp);
        this.calls = new MarginCallRule(lp);
        for (String u : paths.underlyings()) {
            flow.put(u, 0.0);
            displacement.put(u, 0.0);
        }
        this.arrays = RiskArrays.build(snapshot(0), mp, venue.universe(),
            venue.universe().stream().map(Instrument::name).toList());
        this.vol = UnitVolatility.fromSnapshot(arrays);
        double gross = 0.0;
        for (SimulatedVenue.Account a : venue.accounts()) {
            AccountState s = new AccountState(a.id());
            a.balances().forEach((asset, x) -> s.addBalance(arrays.assetIndex(asset), x));
            for (SimulatedVenue.Holding h : a.holdings()) {
                int i = arrays.instrumentIndex(h.instrument());
                s.setPosition(i, h.size(), h.entry());
                gross += Math.abs(h.size()) * notionalPerUnit(i);
            }
            topUp(s, a.utilisation());
            accounts.put(a.id(), s);
            double[] f = figures(s);
            outcomes.put(a.id(), new SimulationResult.AccountOutcome(a.id(), a.kind(), a.utilisation(), f[0]));
        }
        this.fund = settings.fundShare() > 0 ? InsuranceFund.of("USDC", settings.fundShare() * gross) : new InsuranceFund();
        this.result = new SimulationResult(policy, paths, venue, settings, gross, fund.valueUsd(arrays), outcomes);
    }

    /** Runs a policy over the window and returns its result. */
    public static SimulationResult run(MarketPaths paths, SimulatedVenue venue, SimulationSettings settings,
                                       LiquidationPolicy policy) {
        return run(paths, venue, settings, policy, MoneyFlows.NONE);
    }

    /** Runs a policy, reporting every balance change of liquidation to {@code flows} (reconciliation tests). */
    public static SimulationResult run(MarketPaths paths, SimulatedVenue venue, SimulationSettings settings,
                                       LiquidationPolicy policy, MoneyFlows flows) {
        Simulation s = new Simulation(paths, venue, settings, policy, flows);
        s.loop();
        return s.result;
    }

    /** The accounts' states at the start of a run of this policy, after the collateral top-up (tests). */
    public static List<AccountState> initialStates(MarketPaths paths, SimulatedVenue venue, SimulationSettings settings,
                                                   LiquidationPolicy policy) {
        Simulation s = new Simulation(paths, venue, settings, policy, MoneyFlows.NONE);
        List<AccountState> out = new ArrayList<>();
        s.accounts.values().forEach(a -> out.add(a.copy()));
        return out;
    }

    // ---- the loop ------------------------------------------------------------------------------------------------

    private void loop() {
        double decay = Math.pow(0.5, 1.0 / settings.impactHalfLifeMinutes());
        for (minute = 0; minute <= paths.minutes(); minute++) {
            now = paths.start().plusSeconds(60L * minute);
            for (String u : paths.underlyings()) {
                double q = flow.get(u);
                double d = Math.signum(q) * lp.impactFactor() * paths.vol(u, minute) * Math.sqrt(Math.abs(q) / paths.adv(u))
                    * Math.sqrt(1.0 / 365.0);
                displacement.put(u, Math.max(-0.95, d));
            }
            arrays = arrays.withMarket(snapshot(minute));
            vol = UnitVolatility.fromSnapshot(arrays);
            result.recordPrices(minute, now, displacement, paths);
            boolean evaluate = minute % settings.evaluateEveryMinutes() == 0;
            switch (policy) {
                case UPM -> upmMinute(evaluate);
                case CLOSE_OUT, SILOED -> closeMinute(evaluate);
            }
            if (minute % 60 == 0 || minute == paths.minutes()) {
                result.recordFund(now, fund.valueUsd(arrays));
            }
            for (String u : paths.underlyings()) {
                flow.put(u, flow.get(u) * decay);
            }
        }
        for (Map.Entry<String, AccountState> e : accounts.entrySet()) {
            AccountState s = e.getValue();
            double[] f = figures(s);
            SimulationResult.AccountOutcome o = outcomes.get(e.getKey());
            o.finalEquity = f[0];
            o.finalPositions = s.positionCount();
            if (o.episodeStart >= 0) {
                o.unfinishedMinutes = paths.minutes() - o.episodeStart;
            }
        }
        result.finish(fund.valueUsd(arrays), fund.holdings(), accounts.values(), arrays);
    }

    private void upmMinute(boolean evaluate) {
        if (evaluate) {
            for (AccountState s : accounts.values()) {
                double[] f = figures(s);
                marginCall(s, f);
                SimulationResult.AccountOutcome o = outcomes.get(s.account());
                boolean anything = s.positionCount() > 0 || hasCoins(s);
                if ((f[0] < f[1] && anything) || (f[0] < 0 && (anything || s.balanceCount() > 0))) {
                    guard.enqueue(s.account(), CascadeGuard.marginRatio(f[0], f[1]));
                    startEpisode(o);
                } else if (!guard.isQueued(s.account()) && o.episodeStart >= 0) {
                    endEpisode(o);
                }
            }
        }
        for (String id : guard.queue()) {
            AccountState s = accounts.get(id);
            LiquidationDecision.Outcome end = upmServe(s);
            if (end != null) {
                guard.remove(id);
                SimulationResult.AccountOutcome o = outcomes.get(id);
                if (end != LiquidationDecision.Outcome.NO_SLICE_LOWERS_MM) {
                    endEpisode(o);
                }
            }
        }
    }

    /** Serves one account as far as this minute allows (LiquidationDriver's loop); its outcome when it leaves the queue. */
    private LiquidationDecision.Outcome upmServe(AccountState s) {
        boolean hedgeTried = !settings.hedgeFirst();
        for (int rail = 0; rail < 100_000; rail++) {
            double[] f = figures(s);
            if (f[0] < 0.0) {
                double g = AutoDeleveraging.grossValueUsd(arrays, s);
                double close = planner.closeOutCostUsd(arrays, s, vol);
                if (s.positionCount() == 0 || AutoDeleveraging.deleverageNow(fund.valueUsd(arrays), g, close, true)) {
                    resolve(s);
                    return LiquidationDecision.Outcome.NO_POSITIONS;
                }
            }
            double[] cap = guard.remainingByAsset(arrays, now.toEpochMilli());
            if (!hedgeTried) {
                hedgeTried = true;
                if (f[0] > 0.0) {
                    LiquidationHedger.Decision h = hedger.decide(arrays, s, now, vol, cap);
                    if (h.outcome() == LiquidationHedger.Outcome.HEDGE) {
                        applyHedge(h.hedge());
                        continue; // the next plan finds the target reached
                    }
                }
            }
            LiquidationDecision d = planner.plan(arrays, s, now, vol, cap, null);
            if (d.outcome() != LiquidationDecision.Outcome.STEP) {
                return d.outcome() == LiquidationDecision.Outcome.GUARD_LIMIT ? null : d.outcome();
            }
            apply(d.step(), d.impactCostUsd());
            guard.record(d.step());
        }
        throw new IllegalStateException("no end to the liquidation of " + s.account());
    }

    private void closeMinute(boolean evaluate) {
        if (!evaluate) {
            return;
        }
        for (AccountState s : accounts.values()) {
            double[] f = figures(s);
            if (policy == LiquidationPolicy.CLOSE_OUT) {
                marginCall(s, f);
            }
            boolean anything = s.positionCount() > 0 || hasCoins(s);
            SimulationResult.AccountOutcome o = outcomes.get(s.account());
            if (!((f[0] < f[1] && anything) || (f[0] < 0 && (anything || s.balanceCount() > 0)))) {
                continue;
            }
            startEpisode(o);
            if (f[0] < 0.0 && anything) {
                double g = AutoDeleveraging.grossValueUsd(arrays, s);
                double close = planner.closeOutCostUsd(arrays, s, vol);
                if (AutoDeleveraging.deleverageNow(fund.valueUsd(arrays), g, close, s.positionCount() > 0)) {
                    resolve(s);
                    endEpisode(o);
                    continue;
                }
            }
            if (policy == LiquidationPolicy.CLOSE_OUT) {
                for (String name : candidates(s, false)) {
                    closeWhole(s, name);
                }
            } else {
                for (String name : candidates(s, true)) {
                    f = figures(s);
                    if (f[0] >= f[2]) {
                        break;
                    }
                    closeWhole(s, name);
                }
            }
            f = figures(s);
            if (f[0] < 0.0) {
                resolve(s);
            }
            endEpisode(o);
        }
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    /** Closes a whole position or coin balance in the market at MODEL.md's impact price, fee to the fund. */
    private void closeWhole(AccountState s, String name) {
        int i = arrays.instrumentIndex(name);
        double equity = figures(s)[0];
        LiquidationStep step;
        double impact;
        if (i >= 0) {
            double q = s.positionSize(i);
            if (q == 0.0) {
                return;
            }
            ImpactPricing.Priced p = ImpactPricing.close(arrays, i, q, vol[arrays.instrumentAsset(i)], lp);
            double fee = lp.feeRate() * p.notionalUsd();
            if (arrays.instrument(i).isOption()) {
                fee = Math.min(fee, Math.abs(q) * arrays.optionValue(i));
            }
            fee = Math.max(0.0, Math.min(fee, equity - p.impactCostUsd()));
            step = new LiquidationStep(now, s.account(), name, -q, p.price(), fee, p.notionalUsd(),
                arrays.instrument(i).instrument().underlying());
            impact = p.impactCostUsd();
        } else {
            int a = arrays.assetIndex(name);
            double x = s.balance(a);
            if (x == 0.0) {
                return;
            }
            ImpactPricing.Priced p = ImpactPricing.spot(arrays, a, x, vol[a], lp);
            double fee = Math.max(0.0, Math.min(lp.feeRate() * p.notionalUsd(), equity - p.impactCostUsd()));
            step = new LiquidationStep(now, s.account(), name, -x, p.price(), fee, p.notionalUsd(), name);
            impact = p.impactCostUsd();
        }
        apply(step, impact);
    }

    private void apply(LiquidationStep step, double impactCost) {
        AccountState s = accounts.get(step.account());
        SimulationResult.AccountOutcome o = outcomes.get(step.account());
        if (o.firstActionMinute < 0 || o.episodeFirstAction < 0) {
            o.episodeFirstAction = minute;
            if (o.firstActionMinute < 0) {
                o.firstActionMinute = minute;
            }
            Integer call = o.callMinute;
            result.recordLead(call == null ? null : minute - call);
        }
        step.applyTo(s, arrays, fund, flows);
        o.steps++;
        double signed = Math.signum(step.size()) * step.notionalUsd();
        int i = arrays.instrumentIndex(step.instrument());
        if (i >= 0 && arrays.instrument(i).isOption()) {
            signed = step.size() * arrays.greek(i, ResolvedInstrument.DELTA) * arrays.instrument(i).spot();
        }
        flow.merge(step.underlying(), signed, Double::sum);
        result.recordStep(minute, now, step, impactCost);
    }

    /**
     * Applies a liquidation hedge as the engine does: its instruments listed, its trades booked (fees to the fund),
     * counted by the guard; each trade recorded like a step (notional, impact, fee) and as liquidation flow.
     */
    private void applyHedge(LiquidationHedge h) {
        List<Instrument> missing = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (LiquidationHedge.Trade t : h.trades()) {
            if (arrays.instrumentIndex(t.instrument()) < 0) {
                missing.add(io.upm.product.InstrumentNames.parse(t.instrument(), "instrument"));
                names.add(t.instrument());
            }
        }
        if (!missing.isEmpty()) {
            arrays = arrays.withInstruments(missing, names);
            vol = UnitVolatility.fromSnapshot(arrays);
        }
        AccountState s = accounts.get(h.account());
        SimulationResult.AccountOutcome o = outcomes.get(h.account());
        if (o.firstActionMinute < 0 || o.episodeFirstAction < 0) {
            o.episodeFirstAction = minute;
            if (o.firstActionMinute < 0) {
                o.firstActionMinute = minute;
            }
            Integer call = o.callMinute;
            result.recordLead(call == null ? null : minute - call);
        }
        // what the price moved against the account, per unit of size, in USD: from the mark for perpetuals and futures,
        // from the option's value for options (an option's mark() is its underlying's)
        double[] marks = new double[h.trades().size()];
        double[] usdPerPrice = new double[marks.length];
        double[] signed = new double[marks.length];
        for (int k = 0; k < marks.length; k++) {
            int i = arrays.instrumentIndex(h.trades().get(k).instrument());
            ResolvedInstrument r = arrays.instrument(i);
            marks[k] = io.upm.engine.liquidation.InstrumentFigures.markFillPrice(arrays, i);
            usdPerPrice[k] = r.isOption() && !r.isLinear() ? r.spot() : 1.0;
            // the trade's flow in its underlying, as a step's (an option's: size x delta x index; a bought put sells)
            LiquidationHedge.Trade t = h.trades().get(k);
            signed[k] = r.isOption() ? t.size() * arrays.greek(i, ResolvedInstrument.DELTA) * r.spot()
                : Math.signum(t.size()) * t.notionalUsd();
        }
        h.applyTo(s, arrays, fund, flows);
        o.steps++;
        o.hedges++;
        result.recordHedge();
        for (int k = 0; k < marks.length; k++) {
            LiquidationHedge.Trade t = h.trades().get(k);
            guard.record(now, t.underlying(), t.notionalUsd());
            flow.merge(t.underlying(), signed[k], Double::sum);
            result.recordStep(minute, now, new LiquidationStep(now, h.account(), t.instrument(), t.size(), t.price(),
                t.feeUsd(), t.notionalUsd(), t.underlying()), Math.abs(t.size()) * Math.abs(t.price() - marks[k]) * usdPerPrice[k]);
        }
    }

    private void resolve(AccountState s) {
        double gross = AutoDeleveraging.grossValueUsd(arrays, s);
        double fundBefore = fund.valueUsd(arrays);
        BankruptcyResolution r = adl.resolve(arrays, s, accounts.values(), fund, now);
        r.applyTo(accounts::get, arrays, fund, flows);
        double adlCash = 0.0;
        double adlNotional = 0.0;
        int adlEvents = 0;
        for (AdlTransfer t : r.deleveraging()) {
            if (t.counterparty() != null) {
                adlCash += t.cashUsd();
                adlNotional += Math.abs(t.size()) * notionalPerUnit(arrays.instrumentIndex(t.instrument()));
                adlEvents++;
                outcomes.get(t.counterparty()).deleveraged++;
            }
        }
        SimulationResult.AccountOutcome o = outcomes.get(s.account());
        o.bankrupt = true;
        if (o.firstActionMinute < 0) {
            o.firstActionMinute = minute;
        }
        result.recordBankruptcy(minute, now, s.account(), Math.max(0.0, -gross), fundBefore - fund.valueUsd(arrays),
            adlEvents, adlNotional, adlCash, r.uncoveredUsd());
    }

    private void marginCall(AccountState s, double[] f) {
        // figures() left the calculator on this account's UPM compute
        double shortfall = calls.shortfallUsd(arrays, calc, vol);
        MarginCallEvent e = calls.check(0, s.account(), f[3], f[4], shortfall);
        SimulationResult.AccountOutcome o = outcomes.get(s.account());
        if (e != null) {
            o.callMinute = minute;
            o.calls++;
            result.recordCall(minute);
        } else if (!calls.inEpisode(s.account())) {
            o.callMinute = null;
        }
    }

    private void startEpisode(SimulationResult.AccountOutcome o) {
        if (o.episodeStart < 0) {
            o.episodeStart = minute;
            o.episodeFirstAction = -1;
            o.episodes++;
        }
    }

    private void endEpisode(SimulationResult.AccountOutcome o) {
        if (o.episodeStart >= 0) {
            result.recordDuration(minute - o.episodeStart, o.episodeFirstAction >= 0);
            o.episodeStart = -1;
        }
    }

    // ---- figures -------------------------------------------------------------------------------------------------

    /**
     * {equity, MM, target, UPM equity, UPM MM} of the policy's margin: UPM's for upm and close-out, the siloed
     * baseline's for siloed (equity is the same; MODEL.md section 7). Leaves the calculator on the account's compute.
     */
    private double[] figures(AccountState s) {
        ResolvedPortfolio p = s.resolve(arrays);
        double mm = calc.compute(arrays, p, -1);
        double equity = calc.equity();
        if (policy == LiquidationPolicy.SILOED) {
            MarginReport.Requirements r = StandardMarginCalculator.compute(arrays, p);
            double t = r.maintenanceMargin() + lp.targetFraction() * (r.initialMargin() - r.maintenanceMargin());
            return new double[] {equity, r.maintenanceMargin(), t, equity, mm};
        }
        double im = mp.initialMarginMultiplier() * mm;
        return new double[] {equity, mm, mm + lp.targetFraction() * (im - mm), equity, mm};
    }

    private double initialMargin(AccountState s) {
        ResolvedPortfolio p = s.resolve(arrays);
        if (policy == LiquidationPolicy.SILOED) {
            calc.compute(arrays, p, -1);
            return StandardMarginCalculator.compute(arrays, p).initialMargin();
        }
        return mp.initialMarginMultiplier() * calc.compute(arrays, p, -1);
    }

    /** Adds USDC so that equity is about utilisation x IM (never takes any away). */
    private void topUp(AccountState s, double utilisation) {
        int usdc = arrays.assetIndex("USDC");
        for (int k = 0; k < 4; k++) {
            double target = utilisation * initialMargin(s);
            double gap = target - calc.equity();
            if (!(gap > 1e-9 * Math.max(1.0, target))) {
                return;
            }
            s.addBalance(usdc, gap);
        }
    }

    /** The names to close: positions, then coin balances; siloed orders them by value, worst first. */
    private List<String> candidates(AccountState s, boolean byValue) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int k = 0; k < s.positionCount(); k++) {
            int i = s.positionInstrument(k);
            names.add(arrays.instrument(i).instrument().name());
            values.add(ImpactPricing.positionValueUsd(arrays, i, s.positionSize(i), s.entryPrice(i)));
        }
        TreeMap<String, Double> coins = new TreeMap<>();
        for (int b = 0; b < s.balanceCount(); b++) {
            int a = s.balanceAsset(b);
            if (!arrays.isStablecoin(a) && arrays.assetPrice(a) > 0) {
                coins.put(arrays.asset(a), s.balanceAmount(b) * arrays.assetPrice(a));
            }
        }
        names.addAll(coins.keySet());
        values.addAll(coins.values());
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            order.add(k);
        }
        if (byValue) {
            order.sort((x, y) -> {
                int c = Double.compare(values.get(x), values.get(y));
                return c != 0 ? c : names.get(x).compareTo(names.get(y));
            });
        } else {
            order.sort((x, y) -> names.get(x).compareTo(names.get(y)));
        }
        List<String> out = new ArrayList<>();
        for (int k : order) {
            out.add(names.get(k));
        }
        return out;
    }

    private boolean hasCoins(AccountState s) {
        for (int b = 0; b < s.balanceCount(); b++) {
            int a = s.balanceAsset(b);
            if (!arrays.isStablecoin(a)) {
                return true;
            }
        }
        return false;
    }

    private double notionalPerUnit(int i) {
        return io.upm.engine.liquidation.InstrumentFigures.notionalPerUnit(arrays, i);
    }

    private MarketSnapshot snapshot(int m) {
        MarketSnapshot.Builder b = MarketSnapshot.builder(paths.start().plusSeconds(60L * m));
        b.price("USDC", 1.0).price("USDT", 1.0);
        List<String> u = paths.underlyings();
        for (String x : u) {
            b.price(x, paths.price(x, m) * (1.0 + displacement.get(x)));
            b.flatVol(x, paths.vol(x, m));
            b.adv(x, paths.adv(x));
        }
        for (int k = 0; k < PAIRS.length; k++) {
            String[] ab = PAIRS[k].split("/");
            if (u.contains(ab[0]) && u.contains(ab[1])) {
                b.correlation(PAIRS[k], RHO[k]);
            }
        }
        return b.build();
    }
}
