package io.upm.backtest.strategy;

import io.upm.backtest.BacktestDay;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A portfolio file replayed as a strategy: the same balances and position sizes every day, perpetuals and
 * futures re-entered at the day's mark (so each day's P&amp;L starts from zero). Positions in instruments
 * that have expired by the day's close are dropped (they would have been settled); the day is skipped
 * when an underlying or a balance's asset has no price, or an option's underlying no vol. Stateless.
 */
public final class FixedPortfolioStrategy implements Strategy {
    private final String name;
    private final Portfolio portfolio;
    private final Set<String> stablecoins;

    /**
     * @param name        the name in reports (e.g. the file name)
     * @param portfolio   the holdings
     * @param stablecoins assets priced at 1 when the snapshot has no price (the parameters' stablecoins)
     */
    public FixedPortfolioStrategy(String name, Portfolio portfolio, Set<String> stablecoins) {
        this.name = name;
        this.portfolio = portfolio;
        this.stablecoins = Set.copyOf(stablecoins);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "the portfolio " + name + " (account " + portfolio.account() + ") held with fixed sizes";
    }

    @Override
    public Optional<Portfolio> holdings(BacktestDay day) {
        MarketSnapshot m = day.market();
        for (String asset : portfolio.balances().keySet()) {
            if (Double.isNaN(m.priceOrNaN(asset)) && !stablecoins.contains(asset)) {
                return Optional.empty();
            }
        }
        List<Position> out = new ArrayList<>();
        for (Position p : portfolio.positions()) {
            Instrument ins = p.instrument();
            if (ins.expiry() != null && !ins.expiry().isAfter(m.time())) {
                continue;
            }
            if (Double.isNaN(m.priceOrNaN(ins.underlying()))) {
                return Optional.empty();
            }
            switch (ins) {
                case Perpetual perp -> out.add(new Position(ins, p.size(), m.perpetualMark(perp)));
                case io.upm.product.Future f -> out.add(new Position(ins, p.size(), m.forward(f.underlying(), f.expiry())));
                case io.upm.product.EuropeanOption o -> {
                    if (m.volSurface(o.underlying()) == null) {
                        return Optional.empty();
                    }
                    out.add(p);
                }
            }
        }
        return Optional.of(new Portfolio(portfolio.account(), portfolio.balances(), out));
    }
}
