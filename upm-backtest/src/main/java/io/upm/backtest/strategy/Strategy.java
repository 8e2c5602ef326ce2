package io.upm.backtest.strategy;

import io.upm.backtest.BacktestDay;
import io.upm.product.Portfolio;
import java.util.Optional;

/**
 * A trading strategy replayed in a backtest: the account's holdings on each day, rebuilt from that day's
 * snapshot so that the strategy keeps its shape (fixed notional, options at a fixed moneyness and tenor,
 * hedges reset). Perpetuals and futures enter at the day's mark, so the holdings are worth their balances
 * and option values at the day's close. docs/strategies.md describes each built-in strategy.
 *
 * <p>Implementations read the history only up to the day's index.
 */
public interface Strategy {

    /** The name selected with {@code --strategy}, or the portfolio file's name. */
    String name();

    /** One line: legs, sizes, moneyness, tenor and rules. */
    String description();

    /**
     * The holdings on {@code day}, or empty when the strategy cannot be set up that day (an asset it
     * needs has no price or no vol yet).
     */
    Optional<Portfolio> holdings(BacktestDay day);
}
