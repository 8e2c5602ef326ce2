package io.upm.margin;

import io.upm.margin.haircut.CollateralHaircut;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point for one account: builds the risk arrays of its instruments, computes its portfolio
 * margin, its siloed baseline and each position's contribution, and returns the full
 * {@link MarginReport}. For many accounts on one snapshot, build one {@link RiskArrays} for the universe
 * and call {@link #report(RiskArrays, ResolvedPortfolio, AccountMarginCalculator)} per account.
 *
 * <p>Stateless; the static methods are thread-safe.
 */
public final class MarginCalculator {
    private MarginCalculator() {
    }

    /** The report of one account on a snapshot. */
    public static MarginReport report(MarketSnapshot market, Portfolio portfolio, MarginParameters params) {
        RiskArrays arrays = arraysFor(market, params, List.of(portfolio));
        return report(arrays, ResolvedPortfolio.resolve(portfolio, arrays), new AccountMarginCalculator());
    }

    /** The risk arrays of the instruments held in the given portfolios. */
    public static RiskArrays arraysFor(MarketSnapshot market, MarginParameters params, List<Portfolio> portfolios) {
        List<Instrument> instruments = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (Portfolio p : portfolios) {
            for (int k = 0; k < p.positions().size(); k++) {
                instruments.add(p.positions().get(k).instrument());
                fields.add("positions[" + k + "].instrument");
            }
        }
        return RiskArrays.build(market, params, instruments, fields);
    }

    /** The full report of a resolved account, using {@code calc}'s scratch. */
    public static MarginReport report(RiskArrays arrays, ResolvedPortfolio p, AccountMarginCalculator calc) {
        MarginParameters params = arrays.params();
        int n = p.positionCount();
        double mm = calc.computeDetailed(arrays, p);
        // contributions: each position taken out of its own unit only, the rest of the account reused
        double[] without = new double[n];
        for (int k = 0; k < n; k++) {
            without[k] = calc.maintenanceWithout(arrays, p, k);
        }
        double im = params.initialMarginMultiplier() * mm;
        double equity = calc.equity();
        Double ratio = equity > 0 ? mm / equity : null;
        int moves = params.priceMoveCount();
        Map<String, MarginReport.Unit> units = new LinkedHashMap<>();
        for (int u = 0; u < calc.unitCount(); u++) {
            int a = calc.unitAsset(u);
            double[] priceMoves = new double[moves];
            double[][] pnl = new double[moves][VolShocks.COUNT];
            for (int j = 0; j < moves; j++) {
                priceMoves[j] = arrays.priceMove(a, j);
                for (int v = 0; v < VolShocks.COUNT; v++) {
                    pnl[j][v] = clean(calc.cell(u, j, v));
                }
            }
            int wc = calc.worstCell(u);
            MarginReport.Cell cell = new MarginReport.Cell(priceMoves[wc / VolShocks.COUNT],
                MarginParameters.VOL_STATES.get(wc % VolShocks.COUNT));
            MarginReport.Greeks g = new MarginReport.Greeks(clean(calc.unitGreek(u, 0)), clean(calc.unitGreek(u, 1)),
                clean(calc.unitGreek(u, 2)), clean(calc.unitGreek(u, 3)), clean(calc.unitGreek(u, 4)),
                clean(calc.unitGreek(u, 5)));
            units.put(arrays.asset(a), new MarginReport.Unit(priceMoves, MarginParameters.VOL_STATES, pnl,
                calc.worstLoss(u), cell, calc.extendedLoss(u), calc.shortOptionMinimum(u), calc.coreCharge(u),
                calc.rollShock(u), calc.liquidityAddOn(u), g));
        }
        // position lines in the input order
        MarginReport.PositionLine[] lines = new MarginReport.PositionLine[n];
        for (int k = 0; k < n; k++) {
            int i = p.instrument[k];
            double x = p.exposure[k];
            MarginReport.Greeks g = new MarginReport.Greeks(clean(x * arrays.greek(i, 0)), clean(x * arrays.greek(i, 1)),
                clean(x * arrays.greek(i, 2)), clean(x * arrays.greek(i, 3)), clean(x * arrays.greek(i, 4)),
                clean(x * arrays.greek(i, 5)));
            lines[p.sourceIndex(k)] = new MarginReport.PositionLine(arrays.instrument(i).instrument().name(), p.size[k],
                AccountMarginCalculator.positionValue(arrays, i, p.size[k], p.entry[k]), g, mm - without[k]);
        }
        return new MarginReport(p.account(), arrays.market().time(), equity, im, mm, ratio,
            AccountStatus.of(equity, mm, im), StandardMarginCalculator.compute(arrays, p), units,
            new MarginReport.CrossUnit(calc.jointLoss(), calc.stressedJointLoss(), calc.floor(), calc.crossUnitCharge(),
                MarginReport.CrossUnit.method(calc.jointLossExact()),
                MarginReport.CrossUnit.method(calc.stressedJointLossExact())),
            calc.borrowingCharge(), List.of(lines), balanceLines(arrays, p));
    }

    /** The balance lines of a report, in canonical (asset code) order, with the haircut of each. */
    static List<MarginReport.BalanceLine> balanceLines(RiskArrays arrays, ResolvedPortfolio p) {
        List<MarginReport.BalanceLine> lines = new ArrayList<>();
        for (int b = 0; b < p.balanceAsset.length; b++) {
            int a = p.balanceAsset[b];
            double amount = p.balance[b];
            if (amount == 0) {
                continue;
            }
            double price = arrays.assetPrice(a);
            double value = amount * price;
            double sigmaValue = arrays.haircutSigma(a);
            Double sigma = Double.isNaN(sigmaValue) ? null : sigmaValue;
            if (amount < 0) {
                lines.add(new MarginReport.BalanceLine(arrays.asset(a), amount, price, value, 0.0, 0.0,
                    CollateralHaircut.TERM_NAMES.get(CollateralHaircut.TIER), 0.0, 0.0, 0.0, 0.0, sigma));
                continue;
            }
            double haircutUsd = arrays.haircutUsd(a, value);
            double tierRate = arrays.assetParams(a).haircut().haircutUsd(value) / value;
            double vol = arrays.haircutVolatilityRate(a);
            double depeg = arrays.haircutDepegRate(a);
            lines.add(new MarginReport.BalanceLine(arrays.asset(a), amount, price, value, haircutUsd / value, haircutUsd,
                CollateralHaircut.TERM_NAMES.get(CollateralHaircut.bindingTerm(tierRate, vol, depeg)), tierRate, vol,
                depeg, arrays.haircutSizeRate(a, value), sigma));
        }
        return lines;
    }

    /** Turns a negative zero (e.g. a short position times a zero Greek) into 0.0, for tidy reports. */
    private static double clean(double v) {
        return v + 0.0;
    }

    /** Applies an order to a portfolio (see {@link Order}) at the snapshot's prices. */
    public static Portfolio apply(Portfolio p, Order order, MarketSnapshot market, String field) {
        Instrument ins = order.instrument();
        ResolvedInstrument r = ResolvedInstrument.resolve(ins, market, field);
        if (!r.isOption()) {
            double entry = Double.isNaN(order.price()) ? r.mark() : order.price();
            return p.plus(Position.of(ins, order.size(), entry, field));
        }
        // the premium moves the settlement currency's balance: USD stablecoin for linear options, coin for inverse
        double modelUsd = r.value(0.0);
        String currency = r.isLinear()
            ? ins.name().substring(ins.name().indexOf('_') + 1, ins.name().indexOf('-')) : ins.underlying();
        double modelInCurrency = r.isLinear() ? modelUsd : modelUsd / r.spot();
        double premiumInCurrency = Double.isNaN(order.price()) ? modelInCurrency : order.price();
        return p.plus(Position.of(ins, order.size(), Double.NaN, field))
            .withBalanceChange(currency, -order.size() * premiumInCurrency);
    }

    /**
     * A hypothetical order.
     *
     * @param instrument the instrument
     * @param size       signed size (buy &gt; 0)
     * @param price      for perpetuals and futures the entry price (USD); for options the premium per unit in
     *                   the settlement currency (USD stablecoin for linear, coin for inverse); NaN: at the
     *                   snapshot's mark or model value
     */
    public record Order(Instrument instrument, double size, double price) {
    }
}
