package io.upm.backtest.model;

import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.input.InputException;

/**
 * Which margin model a backtest runs and its options, as read from a backtest settings document
 * ({@link io.upm.backtest.BacktestSettingsReader}); immutable, validated on construction.
 *
 * @param model      the model name, one of {@link MarginModels#NAMES} ({@code matrix})
 * @param fhs        the FHS options (used by {@code fhs} and {@code max})
 * @param scanRanges the volatility-aware scan ranges, or null for MODEL.md's static ranges; when given, the risk
 *                   matrix of {@code matrix} and {@code max} uses them, and {@code matrix-vol} uses them (or their
 *                   defaults when null)
 */
public record BacktestModelSettings(String model, FhsMarginModel.Settings fhs,
                                    VolatilityScanRangeSettings scanRanges) {
    /** Validates the model name. */
    public BacktestModelSettings {
        if (model == null || !MarginModels.NAMES.contains(model)) {
            throw new InputException("model", "unknown margin model \"" + model + "\"; expected one of "
                + MarginModels.NAMES);
        }
        if (fhs == null) {
            fhs = FhsMarginModel.Settings.defaults();
        }
    }

    /** The risk matrix with static ranges, and the FHS defaults. */
    public static BacktestModelSettings defaults() {
        return new BacktestModelSettings("matrix", FhsMarginModel.Settings.defaults(), null);
    }

    /** This with another model name (e.g. from the command line, which overrides the document). */
    public BacktestModelSettings withModel(String name) {
        return new BacktestModelSettings(name, fhs, scanRanges);
    }
}
