package io.upm.margin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything MODEL.md section 8 asks a report to show for one account, as plain immutable data in USD
 * (the shape of FORMATS.md's margin report; writers live in upm-formats).
 *
 * @param account           account id
 * @param time              snapshot time
 * @param equity            equity
 * @param initialMargin     IM
 * @param maintenanceMargin MM
 * @param marginRatio       MM / equity, null when equity &lt;= 0
 * @param status            account status
 * @param standard          the siloed baseline
 * @param units             per risk unit, by asset code (sorted)
 * @param crossUnit         cross-unit terms
 * @param borrowingCharge   the borrowing charge
 * @param positions         per position, in input order
 * @param balances          per non-zero balance, by asset code: its value and the haircut applied to it
 */
public record MarginReport(String account, Instant time, double equity, double initialMargin, double maintenanceMargin,
                           Double marginRatio, AccountStatus status, Requirements standard, Map<String, Unit> units,
                           CrossUnit crossUnit, double borrowingCharge, List<PositionLine> positions,
                           List<BalanceLine> balances) {

    /** A report; a null {@code balances} is no balance lines. */
    public MarginReport {
        balances = balances == null ? List.of() : List.copyOf(balances);
    }

    /** A report without balance lines (the shape before they were added). */
    public MarginReport(String account, Instant time, double equity, double initialMargin, double maintenanceMargin,
                        Double marginRatio, AccountStatus status, Requirements standard, Map<String, Unit> units,
                        CrossUnit crossUnit, double borrowingCharge, List<PositionLine> positions) {
        this(account, time, equity, initialMargin, maintenanceMargin, marginRatio, status, standard, units, crossUnit,
            borrowingCharge, positions, List.of());
    }

    /** A pair of requirements. */
    public record Requirements(double initialMargin, double maintenanceMargin) {
    }

    /** Sensitivities in MODEL.md section 2's units (vega, vanna and volga per vol point, theta per day). */
    public record Greeks(double delta, double gamma, double vega, double theta, double vanna, double volga) {
    }

    /** The cell of the worst loss. */
    public record Cell(double priceMove, String volState) {
    }

    /**
     * One risk unit.
     *
     * @param priceMoves         the relative price moves of the rows
     * @param volStates          the vol states of the columns
     * @param pnl                pnl[j][v], USD
     * @param worstLoss          W
     * @param worstCell          the worst cell
     * @param extendedLoss       X
     * @param shortOptionMinimum SOM
     * @param coreCharge         C = max(W, X, SOM)
     * @param rollShock          RS
     * @param liquidityAddOn     LA
     * @param greeks             the unit's Greeks (positions plus its spot balance)
     */
    public record Unit(double[] priceMoves, List<String> volStates, double[][] pnl, double worstLoss, Cell worstCell,
                       double extendedLoss, double shortOptionMinimum, double coreCharge, double rollShock,
                       double liquidityAddOn, Greeks greeks) {
    }

    /**
     * The cross-unit terms.
     *
     * @param jointLoss         J(rho)
     * @param stressedJointLoss J(Q_stress)
     * @param floor             (1 - c_max) x sum of W
     * @param charge            CU
     * @param jointLossMethod   {@code exact} or {@code bounded} (a certified upper bound of J(rho))
     * @param stressedJointLossMethod {@code exact} or {@code bounded}, for J(Q_stress)
     */
    public record CrossUnit(double jointLoss, double stressedJointLoss, double floor, double charge,
                            String jointLossMethod, String stressedJointLossMethod) {
        /** The method word for an exactness flag. */
        public static String method(boolean exact) {
            return exact ? EXACT : BOUNDED;
        }

        /** J resolved exactly. */
        public static final String EXACT = "exact";
        /** J replaced by a certified upper bound. */
        public static final String BOUNDED = "bounded";
    }

    /**
     * One position.
     *
     * @param instrument         instrument name
     * @param size               signed size
     * @param value              USD value
     * @param greeks             its Greeks
     * @param marginContribution MM with it minus MM without it
     */
    public record PositionLine(String instrument, double size, double value, Greeks greeks, double marginContribution) {
    }

    /**
     * One balance and its haircut (MODEL.md sections 6 and 10). For a loan (negative amount) every haircut figure is
     * 0 and the term is {@code tier}: loans count in full.
     *
     * @param asset             asset code
     * @param amount            the balance, units of the asset (negative: a loan)
     * @param price             the asset's USD price used
     * @param value             amount x price, USD
     * @param haircut           the haircut rate applied, a fraction of the value: min(1, max(tier, volatility, depeg)
     *                          + size)
     * @param haircutUsd        the haircut in USD (value x haircut); equity counts value - haircutUsd
     * @param haircutTerm       which term set the rate before the size term: {@code tier}, {@code volatility} or
     *                          {@code depeg}
     * @param tierHaircut       the tiered schedule's effective rate on this value (section 6, the floor)
     * @param volatilityHaircut the volatility term (assets without a risk unit, i.e. stablecoins), a rate
     * @param depegHaircut      the depeg term (stablecoins), a rate
     * @param sizeHaircut       the size term (where ADV is known), a rate
     * @param sigma             the annualised volatility behind the volatility and size terms; null when unknown
     */
    public record BalanceLine(String asset, double amount, double price, double value, double haircut,
                              double haircutUsd, String haircutTerm, double tierHaircut, double volatilityHaircut,
                              double depegHaircut, double sizeHaircut, Double sigma) {
    }
}
