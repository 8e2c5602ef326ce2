package io.upm.backtest.simulate;

import io.upm.input.InputException;
import java.util.Arrays;
import java.util.Locale;

/** The liquidation policies a simulation compares on the same venue. */
public enum LiquidationPolicy {
    /**
     * MODEL.md section 11 through {@code io.upm.engine.liquidation}: UPM's portfolio MM, liquidation in slices that
     * lower MM most per USD of cost up to the target between MM and IM, the cascade guard, the fund, then
     * auto-deleveraging; margin calls.
     */
    UPM("upm"),
    /** The common way: UPM's portfolio MM, but the whole account is closed in the market as soon as equity &lt; MM. */
    CLOSE_OUT("close-out"),
    /**
     * Per-position margin (MODEL.md section 7's siloed baseline, no offsets) and per-position liquidation: whole
     * positions, worst value first, until equity is back above the siloed target.
     */
    SILOED("siloed");

    private final String wireName;

    LiquidationPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the command line and in the report. */
    public String wireName() {
        return wireName;
    }

    /**
     * The policy of a name.
     *
     * @throws InputException naming {@code --policy} for an unknown name
     */
    public static LiquidationPolicy byName(String name) {
        for (LiquidationPolicy p : values()) {
            if (p.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new InputException("--policy", "unknown policy \"" + name + "\"; expected one of "
            + Arrays.stream(values()).map(LiquidationPolicy::wireName).toList());
    }
}
