package io.upm.margin.params;

/**
 * The margin parameters of one asset (MODEL.md sections 4, 6, 7). Immutable.
 *
 * @param scanRange                  R_u: the largest price move of the risk matrix, a fraction
 * @param volUpShock                 VRU: relative vol-up shock at 30 days to expiry
 * @param volDownShock               VRD: relative vol-down shock at 30 days to expiry
 * @param rollMinMove                minMove_u of the roll (basis) shock, a fraction
 * @param rollAnnualMoveRate         amr_u of the roll shock, per year
 * @param haircut                    tiered haircut on a positive balance
 * @param standardFutureInitial      siloed baseline IM of a perpetual or future, fraction of notional
 * @param standardFutureMaintenance  siloed baseline MM of a perpetual or future, fraction of notional
 */
public record AssetParameters(double scanRange, double volUpShock, double volDownShock, double rollMinMove,
                              double rollAnnualMoveRate, HaircutSchedule haircut, double standardFutureInitial,
                              double standardFutureMaintenance) {

    /** This with another scan range. */
    public AssetParameters withScanRange(double r) {
        return new AssetParameters(r, volUpShock, volDownShock, rollMinMove, rollAnnualMoveRate, haircut,
            standardFutureInitial, standardFutureMaintenance);
    }

    /** This with another haircut schedule. */
    public AssetParameters withHaircut(HaircutSchedule h) {
        return new AssetParameters(scanRange, volUpShock, volDownShock, rollMinMove, rollAnnualMoveRate, h,
            standardFutureInitial, standardFutureMaintenance);
    }
}
