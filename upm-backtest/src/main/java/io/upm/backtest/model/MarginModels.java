package io.upm.backtest.model;

import io.upm.backtest.MarginModel;
import io.upm.backtest.vol.VolatilityScanRangeSettings;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import java.util.List;

/**
 * Builds a margin model by name:
 * <ul>
 *   <li>{@code matrix}: MODEL.md's risk matrix; with the settings' {@code scanRanges} when given (then its
 *       {@link MarginModel#name()} is {@code matrix-vol}), else the static R_u of the parameters;</li>
 *   <li>{@code matrix-vol}: the risk matrix with volatility-aware scan ranges, the settings' or their defaults;</li>
 *   <li>{@code fhs}: {@link FhsMarginModel} with the settings' FHS options;</li>
 *   <li>{@code max}: {@link MaxMarginModel} of the {@code matrix} model above and {@code fhs}.</li>
 * </ul>
 * Stateless and thread-safe; each call returns new, single-threaded models.
 */
public final class MarginModels {
    /** The model names, in documentation order. */
    public static final List<String> NAMES = List.of("matrix", "matrix-vol", "fhs", "max");

    private MarginModels() {
    }

    /** The model named by {@code settings.model()}. */
    public static MarginModel create(MarginParameters params, BacktestModelSettings settings) {
        return create(settings.model(), params, settings);
    }

    /**
     * The model {@code name} with the options of {@code settings} (null: {@link BacktestModelSettings#defaults()}).
     *
     * @throws InputException naming {@code model} if the name is unknown
     */
    public static MarginModel create(String name, MarginParameters params, BacktestModelSettings settings) {
        BacktestModelSettings s = settings == null ? BacktestModelSettings.defaults() : settings;
        return switch (name == null ? "" : name) {
            case "matrix" -> new RiskMatrixMarginModel(params, s.scanRanges());
            case "matrix-vol" -> new RiskMatrixMarginModel(params,
                s.scanRanges() == null ? VolatilityScanRangeSettings.defaults() : s.scanRanges());
            case "fhs" -> new FhsMarginModel(params, s.fhs());
            case "max" -> new MaxMarginModel(new RiskMatrixMarginModel(params, s.scanRanges()),
                new FhsMarginModel(params, s.fhs()));
            default -> throw new InputException("model", "unknown margin model \"" + name + "\"; expected one of "
                + NAMES);
        };
    }
}
