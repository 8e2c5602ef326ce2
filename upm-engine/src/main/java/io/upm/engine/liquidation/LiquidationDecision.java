package io.upm.engine.liquidation;

/**
 * What {@link LiquidationPlanner#plan} decided for one account, with the figures it decided on. Immutable.
 *
 * @param outcome        what to do
 * @param step           the step to journal and apply ({@link Outcome#STEP} only; null otherwise)
 * @param equityBefore   the account's equity now, USD
 * @param mmBefore       its MM now, USD
 * @param target         the equity the liquidation aims at: MM + targetFraction x (IM - MM), USD
 * @param equityAfter    equity after the step (NaN without a step)
 * @param mmAfter        MM after the step (NaN without a step)
 * @param impactCostUsd  the step's impact cost: what trading at its price instead of the mark costs the account, USD
 * @param score          MM lowered per USD of liquidation cost (impact + fee) of the chosen slice (NaN without a step)
 * @param candidates     how many slices were evaluated
 */
public record LiquidationDecision(Outcome outcome, LiquidationStep step, double equityBefore, double mmBefore,
                                  double target, double equityAfter, double mmAfter, double impactCostUsd, double score,
                                  int candidates) {
    /** The possible outcomes. */
    public enum Outcome {
        /** Close the slice of {@link #step()}. */
        STEP,
        /** Equity is at or above the target: nothing (more) to do. */
        TARGET_REACHED,
        /** A unit of the account has a stale index (MODEL.md section 9): no liquidation until it is fresh again. */
        STALE_INDEX,
        /** Every slice left is over the cascade guard's budget of its underlying this minute: wait. */
        GUARD_LIMIT,
        /** Below target, but no slice lowers MM (what is left hedges a stablecoin loan, say): nothing to close. */
        NO_SLICE_LOWERS_MM,
        /** Below target with no position and no coin balance left: with negative equity, the bankruptcy path. */
        NO_POSITIONS
    }
}
