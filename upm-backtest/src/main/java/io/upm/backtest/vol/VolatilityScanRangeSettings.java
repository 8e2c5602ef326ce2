package io.upm.backtest.vol;

import io.upm.input.InputException;
import java.util.Locale;

/**
 * Every option of the volatility-aware scan ranges ({@link VolatilityScanRanges}), defined once here with its
 * unit and default ({@link #defaults()}) and validated on construction: a bad value is an
 * {@link InputException} naming the option by its component name (the key in a settings document, see
 * {@link io.upm.backtest.BacktestSettingsReader}).
 *
 * <p>The scan range of asset u on day t is built in four steps:
 * <ol>
 *   <li>model range {@code R_model = k x sqrt(V_h)}: {@code V_h} the forecast variance of the
 *       {@code horizonDays}-day log return ({@code horizonDays x v} for EWMA, the GARCH term structure for GARCH),
 *       blended with stressed variance when {@code stressedWeight > 0}:
 *       {@code V_h = max(V_h, (1 - w) V_h + w x horizonDays x v_stress)} (EMIR RTS 153/2013 art. 28(1)(b); the
 *       max keeps a forecast above the stressed variance, in a new stress, from being diluted);
 *       {@code k} the multiplier, see {@link Multiplier};</li>
 *   <li>10-year floor (art. 28(1)(c)): {@code R_floor = k x sigma_L x sqrt(horizonDays)}, {@code sigma_L} the
 *       zero-mean daily vol of the returns of the last {@code floorLookbackDays} days (all available when the
 *       history is shorter); {@code R_core = max(R_model, R_floor)};</li>
 *   <li>buffer (art. 28(1)(a)): {@code R_used} targets {@code (1 + buffer) R_core} but is released in stress:
 *       when the target rises above yesterday's {@code R_used}, {@code R_used} rises by at most
 *       {@code buffer x R_core / bufferRebuildDays} a day and never stays below {@code R_core}; when the target
 *       falls, {@code R_used} falls with it;</li>
 *   <li>{@code floorAtStatic}: never below the static R_u of the base parameters (MODEL.md section 4); and never
 *       above {@code maxScanRange}.</li>
 * </ol>
 *
 * @param model                  the variance forecast: {@code EWMA} or {@code GARCH}
 * @param lambda                 EWMA decay factor, in (0, 1) (0.94)
 * @param seedDays               valid returns seeding the EWMA recursion (30), also the fewest returns before any
 *                               range is produced
 * @param garchWindowDays        trailing days of returns in each GARCH fit (1461)
 * @param garchRefitDays         days between GARCH refits; between them the last fit filters each new day (30)
 * @param confidence             one-sided confidence of the range, in (0.5, 1) (0.99)
 * @param horizonDays            horizon of the move in days, at least 1 (1)
 * @param multiplier             how {@code k} is set from {@code confidence}: {@code NORMAL} or {@code EMPIRICAL}
 *                               (EMPIRICAL)
 * @param multiplierLookbackDays trailing days of standardised residuals for the EMPIRICAL multiplier (1461)
 * @param buffer                 art. 28(1)(a) buffer, a fraction of the range, 0 = off (0.25)
 * @param bufferRebuildDays      days over which a released buffer is rebuilt, at least 1 (20)
 * @param stressedWeight         art. 28(1)(b) weight of the stressed variance, in [0, 1), 0 = off (0)
 * @param stressWindowDays       length of the window whose realised variance is the stressed variance: the
 *                               largest over the floor lookback (60)
 * @param floorLookbackDays      art. 28(1)(c) lookback of the floor, days, 0 = off (3650, ten years)
 * @param floorAtStatic          whether a range is never below the base parameters' static R_u (false)
 * @param maxScanRange           the largest range produced, a fraction in (0, 1) (0.9: a move of -R must keep
 *                               prices positive)
 */
public record VolatilityScanRangeSettings(Model model, double lambda, int seedDays, int garchWindowDays,
                                          int garchRefitDays, double confidence, int horizonDays,
                                          Multiplier multiplier, int multiplierLookbackDays, double buffer,
                                          int bufferRebuildDays, double stressedWeight, int stressWindowDays,
                                          int floorLookbackDays, boolean floorAtStatic, double maxScanRange) {

    /** The variance model. */
    public enum Model {
        /** {@link EwmaVolatility}: flat term structure, {@code V_h = h v}. */
        EWMA,
        /** {@link GarchVolatility}: mean-reverting term structure, refitted every {@code garchRefitDays}. */
        GARCH;

        /** The lower-case name used in settings documents. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the multiplier k of the forecast vol is set from the confidence c. */
    public enum Multiplier {
        /** {@code k = Phi^{-1}(c)}, the standard normal quantile (2.326 at 99%). */
        NORMAL,
        /**
         * {@code k = max(-q_{1-c}(z), q_c(z), Phi^{-1}(c))}: the larger one-sided empirical quantile of the
         * model's standardised residuals {@code z = r / sigma} over the last {@code multiplierLookbackDays}, so
         * that the range covers long and short exposures alike, never below the normal quantile. Crypto residuals
         * are fat-tailed (BTC 2017-2025 under EWMA 0.94: 1% quantile -3.05 against the normal -2.33), so this is
         * the default. Falls back to NORMAL with fewer than 250 residuals.
         */
        EMPIRICAL;

        /** The lower-case name used in settings documents. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The fewest standardised residuals for an EMPIRICAL multiplier; below, the normal quantile is used. */
    public static final int MIN_EMPIRICAL_RESIDUALS = 250;

    /** Validates every option. */
    public VolatilityScanRangeSettings {
        if (model == null) {
            throw new InputException("model", "missing");
        }
        if (multiplier == null) {
            throw new InputException("multiplier", "missing");
        }
        if (!(lambda > 0 && lambda < 1)) {
            throw new InputException("lambda", "must be in (0, 1), got " + lambda);
        }
        requireInt(seedDays, 2, 10_000, "seedDays");
        requireInt(garchWindowDays, GarchVolatility.MIN_OBSERVATIONS, 100_000, "garchWindowDays");
        requireInt(garchRefitDays, 1, 100_000, "garchRefitDays");
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new InputException("confidence", "must be in (0.5, 1), got " + confidence);
        }
        requireInt(horizonDays, 1, 365, "horizonDays");
        requireInt(multiplierLookbackDays, 30, 100_000, "multiplierLookbackDays");
        if (!(buffer >= 0 && buffer <= 10)) {
            throw new InputException("buffer", "must be in [0, 10], got " + buffer);
        }
        requireInt(bufferRebuildDays, 1, 10_000, "bufferRebuildDays");
        if (!(stressedWeight >= 0 && stressedWeight < 1)) {
            throw new InputException("stressedWeight", "must be in [0, 1), got " + stressedWeight);
        }
        requireInt(stressWindowDays, 2, 10_000, "stressWindowDays");
        requireInt(floorLookbackDays, 0, 100_000, "floorLookbackDays");
        if (floorLookbackDays > 0 && floorLookbackDays < 30) {
            throw new InputException("floorLookbackDays", "must be 0 (off) or at least 30, got " + floorLookbackDays);
        }
        if (!(maxScanRange > 0 && maxScanRange < 1)) {
            throw new InputException("maxScanRange", "must be in (0, 1), got " + maxScanRange);
        }
    }

    /**
     * The defaults: EWMA 0.94 seeded with 30 days, 99% one-sided, 1 day, EMPIRICAL multiplier over 4 years,
     * a 25% buffer rebuilt over 20 days, a 10-year floor, no stressed weight, not floored at the static ranges,
     * capped at 0.9.
     */
    public static VolatilityScanRangeSettings defaults() {
        return new VolatilityScanRangeSettings(Model.EWMA, EwmaVolatility.DEFAULT_LAMBDA,
            EwmaVolatility.DEFAULT_SEED_DAYS, 1461, 30, 0.99, 1, Multiplier.EMPIRICAL, 1461, 0.25, 20, 0.0, 60, 3650,
            false, 0.9);
    }

    /** This with another model. */
    public VolatilityScanRangeSettings withModel(Model m) {
        return new VolatilityScanRangeSettings(m, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, multiplier, multiplierLookbackDays, buffer, bufferRebuildDays, stressedWeight,
            stressWindowDays, floorLookbackDays, floorAtStatic, maxScanRange);
    }

    /** This with another multiplier rule. */
    public VolatilityScanRangeSettings withMultiplier(Multiplier m) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, m, multiplierLookbackDays, buffer, bufferRebuildDays, stressedWeight, stressWindowDays,
            floorLookbackDays, floorAtStatic, maxScanRange);
    }

    /** This with another buffer and rebuild period (0 = no buffer). */
    public VolatilityScanRangeSettings withBuffer(double b, int rebuildDays) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, multiplier, multiplierLookbackDays, b, rebuildDays, stressedWeight, stressWindowDays,
            floorLookbackDays, floorAtStatic, maxScanRange);
    }

    /** This with another floor lookback (0 = no floor). */
    public VolatilityScanRangeSettings withFloorLookbackDays(int days) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, multiplier, multiplierLookbackDays, buffer, bufferRebuildDays, stressedWeight,
            stressWindowDays, days, floorAtStatic, maxScanRange);
    }

    /** This with another stressed weight and window. */
    public VolatilityScanRangeSettings withStressedWeight(double w, int windowDays) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, multiplier, multiplierLookbackDays, buffer, bufferRebuildDays, w, windowDays,
            floorLookbackDays, floorAtStatic, maxScanRange);
    }

    /** This with {@code floorAtStatic} set. */
    public VolatilityScanRangeSettings withFloorAtStatic(boolean f) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            horizonDays, multiplier, multiplierLookbackDays, buffer, bufferRebuildDays, stressedWeight,
            stressWindowDays, floorLookbackDays, f, maxScanRange);
    }

    /** This with another horizon. */
    public VolatilityScanRangeSettings withHorizonDays(int h) {
        return new VolatilityScanRangeSettings(model, lambda, seedDays, garchWindowDays, garchRefitDays, confidence,
            h, multiplier, multiplierLookbackDays, buffer, bufferRebuildDays, stressedWeight, stressWindowDays,
            floorLookbackDays, floorAtStatic, maxScanRange);
    }

    private static void requireInt(int v, int min, int max, String field) {
        if (v < min || v > max) {
            throw new InputException(field, "must be an integer in [" + min + ", " + max + "], got " + v);
        }
    }
}
