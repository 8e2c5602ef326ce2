package io.upm.hedge;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginResult;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Seeded test accounts on the synthetic venue, made short of margin, and the brute force the optimiser is held
 * against: every candidate alone, on a grid of sizes, margined by the risk core.
 */
final class HedgeFixtures {
    static final MarginParameters PARAMS = MarginParameters.defaults();
    static final SyntheticVenue VENUE = SyntheticVenue.create(11);
    static final MarketSnapshot MARKET = VENUE.market();

    private HedgeFixtures() {
    }

    /**
     * An account of about 20 random positions on up to {@code units} underlyings (1 to 3) of the ones a random
     * portfolio holds, with a USDC balance set so that equity is {@code healthFraction} of its IM before that balance's
     * own borrowing charge (below 1: short of margin).
     */
    static Portfolio shortAccount(long seed, int units, double healthFraction) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Portfolio raw = VENUE.randomPortfolio(rnd, 20);
        while (raw.positions().isEmpty()) {
            raw = VENUE.randomPortfolio(rnd, 20);
        }
        List<String> keep = new ArrayList<>(underlyings(raw));
        // the underlyings kept: a seeded choice of `units` of them
        while (keep.size() > units) {
            keep.remove(rnd.nextInt(keep.size()));
        }
        List<Position> positions = new ArrayList<>();
        for (Position p : raw.positions()) {
            if (keep.contains(p.instrument().underlying())) {
                positions.add(p);
            }
        }
        Portfolio noCash = new Portfolio("acct-" + seed, Map.of("USDC", 0.0), positions);
        MarginResult r = margin(noCash);
        double usdc = healthFraction * r.initialMargin() - r.equity();
        Map<String, Double> balances = new LinkedHashMap<>();
        balances.put("USDC", usdc); // negative: a USDC loan, which adds its borrowing charge to MM
        return new Portfolio("acct-" + seed, balances, positions);
    }

    /** The calculator's figures of a portfolio (what {@code upm margin} reports). */
    static MarginResult margin(Portfolio p) {
        RiskArrays arrays = MarginCalculator.arraysFor(MARKET, PARAMS, List.of(p));
        AccountMarginCalculator calc = new AccountMarginCalculator();
        calc.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
        return calc.result(arrays);
    }

    /** The underlyings of an account's positions. */
    static TreeSet<String> underlyings(Portfolio p) {
        TreeSet<String> out = new TreeSet<>();
        p.positions().forEach(x -> out.add(x.instrument().underlying()));
        return out;
    }

    /** The venue's perpetuals and futures on the account's underlyings (linear and inverse). */
    static List<Instrument> deltaOneCandidates(Portfolio p) {
        TreeSet<String> us = underlyings(p);
        List<Instrument> out = new ArrayList<>();
        for (Instrument i : VENUE.universe()) {
            if (!(i instanceof EuropeanOption) && us.contains(i.underlying())) {
                out.add(i);
            }
        }
        return out;
    }

    /** A few listed options per underlying of the account (the calls and puts nearest the money of two expiries). */
    static List<Instrument> someOptions(Portfolio p) {
        TreeSet<String> us = underlyings(p);
        List<Instrument> out = new ArrayList<>();
        for (Instrument i : VENUE.universe()) {
            if (i instanceof EuropeanOption o && us.contains(o.underlying()) && o.isLinear()
                && (o.expiry().equals(java.time.Instant.parse("2025-12-26T08:00:00Z"))
                    || o.expiry().equals(java.time.Instant.parse("2026-03-27T08:00:00Z")))) {
                double m = o.strike() / VENUE.spot(o.underlying());
                if (m > 0.84 && m < 1.16) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** A plan booked as the optimiser books it: at the mark or model premium, the cost taken from USDC. */
    static Portfolio book(Portfolio p, RiskArrays arrays, Instrument ins, double size, TradeCostModel costs) {
        ResolvedInstrument r = arrays.instrument(arrays.instrumentIndex(ins.name()));
        double cost = costs.cost(r, size, costs.volatility(MARKET, ins.underlying()), MARKET.advOrNaN(ins.underlying()));
        Portfolio out;
        if (r.isOption()) {
            out = MarginCalculator.apply(p, new MarginCalculator.Order(ins, size, Double.NaN), MARKET, "t");
        } else {
            out = p.plus(Position.of(ins, size, r.mark(), "t"));
        }
        return out.withBalanceChange("USDC", -cost);
    }

    /** The best single-instrument hedge on a grid. */
    record GridBest(boolean reached, double cost, double leastMargin, String instrument, double size) {
    }

    /**
     * Every candidate alone at sizes t x h for t on [-3, 3] in steps of 0.02, h the size that offsets the account's
     * net delta on that underlying (or its largest position's size): the cheapest size that meets the goal, and the
     * least MM seen.
     */
    static GridBest bruteForce(Portfolio p, List<Instrument> candidates, HedgeGoal goal, TradeCostModel costs) {
        List<Instrument> all = new ArrayList<>(candidates);
        p.positions().forEach(x -> all.add(x.instrument()));
        RiskArrays arrays = RiskArrays.build(MARKET, PARAMS, all, all.stream().map(Instrument::name).toList());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double im = PARAMS.initialMarginMultiplier();
        boolean reached = false;
        double bestCost = Double.POSITIVE_INFINITY;
        double least = Double.POSITIVE_INFINITY;
        String bestName = null;
        double bestSize = 0;
        for (Instrument ins : candidates) {
            int i = arrays.instrumentIndex(ins.name());
            if (!costs.tradable(arrays.instrument(i))) {
                continue;
            }
            double delta = 0.0;
            double gross = 0.0;
            for (Position x : p.positions()) {
                if (x.instrument().underlying().equals(ins.underlying())) {
                    int k = arrays.instrumentIndex(x.instrument().name());
                    double e = arrays.isInverseDelta1(k) ? x.size() / x.entryPrice() : x.size();
                    delta += e * arrays.greek(k, ResolvedInstrument.DELTA);
                    gross = Math.max(gross, Math.abs(e));
                }
            }
            double perSize = arrays.greek(i, ResolvedInstrument.DELTA)
                * (arrays.isInverseDelta1(i) ? 1.0 / arrays.instrument(i).mark() : 1.0);
            double h = Math.abs(perSize) > 0.05 ? Math.abs(delta / perSize) : gross;
            if (arrays.isInverseDelta1(i) && !(Math.abs(perSize) > 0.05)) {
                h = gross * arrays.instrument(i).mark();
            }
            if (!(h > 0)) {
                continue;
            }
            for (int g = -150; g <= 150; g++) {
                if (g == 0) {
                    continue;
                }
                double size = g * 0.02 * h;
                Portfolio hedged = book(p, arrays, ins, size, costs);
                calc.compute(arrays, ResolvedPortfolio.resolve(hedged, arrays), -1);
                MarginResult r = calc.result(arrays);
                double cost = Math.abs(size) * costs.unitCost(arrays.instrument(i), Math.abs(size),
                    costs.volatility(MARKET, ins.underlying()), MARKET.advOrNaN(ins.underlying()));
                least = Math.min(least, r.maintenanceMargin());
                if (goal.kind() != HedgeGoal.Kind.MIN_MM && goal.isMet(r.equity(), r.maintenanceMargin(), im)
                    && cost < bestCost) {
                    reached = true;
                    bestCost = cost;
                    bestName = ins.name();
                    bestSize = size;
                }
            }
        }
        return new GridBest(reached, bestCost, least, bestName, bestSize);
    }
}
