package io.upm.backtest.simulate;

import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;

/**
 * The settings of a simulation, each with its unit and default, validated once here: a bad value is an
 * {@link InputException} naming the command-line option.
 *
 * @param accounts            accounts on the venue, market makers included (--accounts, default 400; 10 to 100,000)
 * @param seed                the venue's seed (--seed, default 1)
 * @param openInterestShare   the venue's gross notional per underlying as a fraction of the underlying's ADV
 *                            (--oi-share, default 0.10)
 * @param fundShare           the insurance fund at the start as a fraction of the venue's gross notional
 *                            (--fund-share, default 0.0025)
 * @param evaluateEveryMinutes every account is re-margined every this many minutes (--step-minutes, default 5;
 *                            accounts in liquidation every minute)
 * @param impactHalfLifeMinutes the half-life of the price impact of liquidation flow, minutes (60)
 * @param liquidation         MODEL.md section 11's parameters (defaults)
 * @param margin              the margin parameters the venue is margined with (--params; MODEL.md's defaults)
 * @param hedgeFirst          every account opted in to hedge first under the {@code upm} policy (--hedge-first,
 *                            default false; docs/engine.md "Hedge first")
 * @param hedgeOptions        hedge first may also trade the listed linear options of the account's underlyings
 *                            (--hedge-options, default false; docs/simulation.md)
 */
public record SimulationSettings(int accounts, long seed, double openInterestShare, double fundShare,
                                 int evaluateEveryMinutes, double impactHalfLifeMinutes,
                                 LiquidationParameters liquidation, MarginParameters margin, boolean hedgeFirst,
                                 boolean hedgeOptions) {
    /** Settings without hedge first. */
    public SimulationSettings(int accounts, long seed, double openInterestShare, double fundShare,
                              int evaluateEveryMinutes, double impactHalfLifeMinutes,
                              LiquidationParameters liquidation, MarginParameters margin) {
        this(accounts, seed, openInterestShare, fundShare, evaluateEveryMinutes, impactHalfLifeMinutes, liquidation,
            margin, false, false);
    }

    /** The same with hedge first allowed (or not) to trade listed options. */
    public SimulationSettings withHedgeOptions(boolean on) {
        return new SimulationSettings(accounts, seed, openInterestShare, fundShare, evaluateEveryMinutes,
            impactHalfLifeMinutes, liquidation, margin, hedgeFirst, on);
    }

    /** The same with every account opted in to hedge first (or none: then without options too). */
    public SimulationSettings withHedgeFirst(boolean on) {
        return new SimulationSettings(accounts, seed, openInterestShare, fundShare, evaluateEveryMinutes,
            impactHalfLifeMinutes, liquidation, margin, on, on && hedgeOptions);
    }

    /** Checks every field. */
    public SimulationSettings {
        if (accounts < 10 || accounts > 100_000) {
            throw new InputException("--accounts", "must be from 10 to 100000, got " + accounts);
        }
        if (!(openInterestShare > 0 && openInterestShare <= 10)) {
            throw new InputException("--oi-share", "must be in (0, 10], got " + openInterestShare);
        }
        if (!(fundShare >= 0 && fundShare <= 1)) {
            throw new InputException("--fund-share", "must be in [0, 1], got " + fundShare);
        }
        if (evaluateEveryMinutes < 1 || evaluateEveryMinutes > 240) {
            throw new InputException("--step-minutes", "must be from 1 to 240, got " + evaluateEveryMinutes);
        }
        if (!(impactHalfLifeMinutes > 0 && impactHalfLifeMinutes <= 10_000)) {
            throw new InputException("impactHalfLifeMinutes", "must be in (0, 10000], got " + impactHalfLifeMinutes);
        }
        if (liquidation == null) {
            throw new InputException("liquidation", "missing");
        }
        if (margin == null) {
            throw new InputException("--params", "missing");
        }
        if (hedgeOptions && !hedgeFirst) {
            throw new InputException("--hedge-options", "only with --hedge-first");
        }
    }

    /** The defaults for a number of accounts and a seed. */
    public static SimulationSettings defaults(int accounts, long seed) {
        return new SimulationSettings(accounts, seed, 0.10, 0.0025, 5, 60.0, LiquidationParameters.defaults(),
            MarginParameters.defaults());
    }

    /** The same with another open-interest share. */
    public SimulationSettings withOpenInterestShare(double share) {
        return new SimulationSettings(accounts, seed, share, fundShare, evaluateEveryMinutes, impactHalfLifeMinutes,
            liquidation, margin, hedgeFirst, hedgeOptions);
    }

    /** The same with other margin parameters. */
    public SimulationSettings withMargin(MarginParameters parameters) {
        return new SimulationSettings(accounts, seed, openInterestShare, fundShare, evaluateEveryMinutes,
            impactHalfLifeMinutes, liquidation, parameters, hedgeFirst, hedgeOptions);
    }

    /** The same with another fund share. */
    public SimulationSettings withFundShare(double share) {
        return new SimulationSettings(accounts, seed, openInterestShare, share, evaluateEveryMinutes,
            impactHalfLifeMinutes, liquidation, margin, hedgeFirst, hedgeOptions);
    }

    /** The same with another evaluation step. */
    public SimulationSettings withEvaluateEveryMinutes(int minutes) {
        return new SimulationSettings(accounts, seed, openInterestShare, fundShare, minutes, impactHalfLifeMinutes,
            liquidation, margin, hedgeFirst, hedgeOptions);
    }
}
