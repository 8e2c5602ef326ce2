package io.upm.hedge;

import io.upm.input.InputException;
import java.util.Locale;

/**
 * What a hedge must achieve (MODEL.md section 6 figures after the trades and their cost):
 * <ul>
 *   <li>{@code healthy}: equity &gt;= IM (the account may trade and withdraw again);</li>
 *   <li>{@code min-mm}: the lowest maintenance margin the candidates can reach, and among the plans within a
 *       tolerance of it the cheapest;</li>
 *   <li>{@code target-ratio:R}: margin ratio MM / equity &lt;= R, 0 &lt; R &lt;= 1 ({@code healthy} is
 *       {@code target-ratio:0.8} with the default IM multiplier of 1.25).</li>
 * </ul>
 * Immutable.
 *
 * @param kind        the kind of goal
 * @param targetRatio R for {@link Kind#TARGET_RATIO}, NaN otherwise
 */
public record HedgeGoal(Kind kind, double targetRatio) {
    /** The kinds of goal. */
    public enum Kind {
        /** Equity covers the initial margin. */
        HEALTHY,
        /** The least maintenance margin. */
        MIN_MM,
        /** Margin ratio at most a target. */
        TARGET_RATIO
    }

    /** Equity &gt;= IM. */
    public static final HedgeGoal HEALTHY = new HedgeGoal(Kind.HEALTHY, Double.NaN);
    /** The least MM. */
    public static final HedgeGoal MIN_MM = new HedgeGoal(Kind.MIN_MM, Double.NaN);

    /** A validated goal. */
    public HedgeGoal {
        if (kind == null) {
            throw new InputException("goal", "missing");
        }
        if (kind == Kind.TARGET_RATIO) {
            if (!(targetRatio > 0 && targetRatio <= 1)) {
                throw new InputException("goal", "target ratio must be in (0, 1], got " + targetRatio);
            }
        } else {
            targetRatio = Double.NaN;
        }
    }

    /** Margin ratio MM / equity at most {@code r}, 0 &lt; r &lt;= 1. */
    public static HedgeGoal targetRatio(double r) {
        return new HedgeGoal(Kind.TARGET_RATIO, r);
    }

    /**
     * Parses {@code healthy}, {@code min-mm} or {@code target-ratio:R}.
     *
     * @param field the input field, for the error
     * @throws InputException naming {@code field} for anything else
     */
    public static HedgeGoal parse(String text, String field) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("healthy")) {
            return HEALTHY;
        }
        if (t.equals("min-mm")) {
            return MIN_MM;
        }
        if (t.startsWith("target-ratio:")) {
            String r = t.substring("target-ratio:".length());
            double v;
            try {
                v = Double.parseDouble(r);
            } catch (NumberFormatException e) {
                throw new InputException(field, "target ratio \"" + r + "\" is not a number");
            }
            if (!(v > 0 && v <= 1)) {
                throw new InputException(field, "target ratio must be in (0, 1], got " + r);
            }
            return targetRatio(v);
        }
        throw new InputException(field, "expected healthy, min-mm or target-ratio:R, got \"" + text + "\"");
    }

    /** The goal as written on the command line and in the JSON output. */
    public String wireName() {
        return switch (kind) {
            case HEALTHY -> "healthy";
            case MIN_MM -> "min-mm";
            case TARGET_RATIO -> "target-ratio:" + targetRatio;
        };
    }

    /**
     * The multiple m of MM that equity must cover ({@code equity >= m x MM}): the IM multiplier for
     * {@code healthy}, 1 / R for a target ratio, NaN for {@code min-mm}.
     */
    public double marginMultiple(double initialMarginMultiplier) {
        return switch (kind) {
            case HEALTHY -> initialMarginMultiplier;
            case TARGET_RATIO -> 1.0 / targetRatio;
            case MIN_MM -> Double.NaN;
        };
    }

    /**
     * Whether figures meet a healthy or target-ratio goal ({@code min-mm} is met by any plan: it asks for the least
     * MM, not for a level).
     */
    public boolean isMet(double equity, double maintenanceMargin, double initialMarginMultiplier) {
        if (kind == Kind.MIN_MM) {
            return true;
        }
        return equity >= marginMultiple(initialMarginMultiplier) * maintenanceMargin && equity > 0;
    }
}
