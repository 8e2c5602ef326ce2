package io.upm.engine.liquidation;

import io.upm.engine.event.MarginCallEvent;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.pricing.ResolvedInstrument;
import java.util.TreeSet;

/**
 * The margin call of MODEL.md section 11: an account whose MM a move of {@code marginCallSigmas} standard deviations
 * over {@code marginCallHorizonDays} (2 sigma, one hour) of any one unit would breach gets a {@code margin-call}
 * event, once per episode, before it is liquidated.
 *
 * <p>The move of unit u: dS = k sigma_u sqrt(h / 365) S_u (sigma_u annualised, from {@link UnitVolatility} or the
 * engine's EWMA; h the horizon in days), up and down; the unit's P&amp;L to second order, from its Greeks (its
 * positions and its coin balance): delta dS + gamma dS^2 / 2. The shortfall is the largest, over units, of
 * MM - (equity + min(0, worst P&amp;L of the unit)), when positive; MM itself is taken as it is now (a move that
 * lowers equity usually raises MM too, so this is the lenient side: an account flagged here is surely at risk). An
 * account already below MM always has a shortfall, so the call always precedes the first liquidation step. A unit
 * without a vol is not moved.
 *
 * <p>Episodes: an account is called when its shortfall turns positive and not again until it has been back to no
 * shortfall. The set of accounts in an episode is part of the engine's state (its snapshot must keep it). Mutable,
 * single-threaded.
 */
public final class MarginCallRule {
    private final LiquidationParameters params;
    private final TreeSet<String> inEpisode = new TreeSet<>();

    /** A rule with no account called yet. */
    public MarginCallRule(LiquidationParameters params) {
        this.params = params;
    }

    /** The relative move of an underlying of annualised vol {@code sigma}: k sigma sqrt(h / 365). */
    public double relativeMove(double sigma) {
        return params.marginCallSigmas() * sigma * Math.sqrt(params.marginCallHorizonDays() / 365.0);
    }

    /**
     * The shortfall at the move (USD, 0 when the account stays at or above MM), from the calculator's last compute of
     * the account (any of its compute methods).
     *
     * @param vol per asset index, the annualised vol (NaN: the unit is not moved)
     */
    public double shortfallUsd(RiskArrays arrays, AccountMarginCalculator calc, double[] vol) {
        double equity = calc.equity();
        double mm = calc.maintenanceMargin();
        double shortfall = mm - equity;
        for (int u = 0; u < calc.unitCount(); u++) {
            int a = calc.unitAsset(u);
            double sigma = a < vol.length ? vol[a] : Double.NaN;
            if (!(sigma > 0.0)) {
                continue;
            }
            double ds = relativeMove(sigma) * arrays.assetPrice(a);
            double delta = calc.unitGreek(u, ResolvedInstrument.DELTA);
            double gamma = calc.unitGreek(u, ResolvedInstrument.GAMMA);
            double up = delta * ds + 0.5 * gamma * ds * ds;
            double down = -delta * ds + 0.5 * gamma * ds * ds;
            double worst = Math.min(0.0, Math.min(up, down));
            shortfall = Math.max(shortfall, mm - (equity + worst));
        }
        return Math.max(0.0, shortfall);
    }

    /**
     * The {@code margin-call} event due for an account with this shortfall, or null: one when the shortfall is
     * positive and the account is not already in an episode; a shortfall of 0 ends its episode.
     */
    public MarginCallEvent check(long seq, String account, double equity, double maintenanceMargin, double shortfallUsd) {
        if (!(shortfallUsd > 0.0)) {
            inEpisode.remove(account);
            return null;
        }
        if (!inEpisode.add(account)) {
            return null;
        }
        return new MarginCallEvent(seq, account, equity, maintenanceMargin, shortfallUsd);
    }

    /** True while the account is in a margin-call episode. */
    public boolean inEpisode(String account) {
        return inEpisode.contains(account);
    }
}
