package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.product.InstrumentNames;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The index parameters of every asset (MODEL.md section 9): the {@code index} section of a parameters file,
 * {@link MarginParameters#index()}. {@link #defaults()} apply to any asset that {@link #assets()} does not
 * name. The live engine builds its {@code PriceIndex} from this table.
 *
 * <pre>{@code
 * index:
 *   default: { staleAfterSeconds: 60, outlierBand: 0.03 }   # any asset not named
 *   BTC:     { outlierBand: 0.02 }                          # on top of default
 * }</pre>
 *
 * <p>Immutable and always valid: the asset codes are checked (upper-case letters and digits, not
 * {@code default}), the map is copied in code order.
 *
 * @param defaults the settings of any asset not named
 * @param assets   settings by asset code
 */
public record IndexSettingsTable(IndexSettings defaults, Map<String, IndexSettings> assets) {

    /** The key of the section in a parameters file. */
    public static final String KEY = "index";
    /** The key, in the section, of the settings of any asset not named ({@link #defaults()}). */
    public static final String DEFAULT_KEY = "default";
    /** MODEL.md's values for every asset, no per-asset entry. */
    public static final IndexSettingsTable DEFAULTS = new IndexSettingsTable(IndexSettings.DEFAULTS, Map.of());

    /**
     * A validated table.
     *
     * @throws InputException {@code index.<code>} for a key that is not an asset code
     */
    public IndexSettingsTable {
        Objects.requireNonNull(defaults, "defaults");
        for (Map.Entry<String, IndexSettings> e : assets.entrySet()) {
            String code = e.getKey();
            if (code.equals(DEFAULT_KEY) || !InstrumentNames.isAssetCode(code)) {
                throw new InputException(KEY + "." + code, "\"" + code + "\" is neither an asset code (upper-case "
                    + "letters and digits) nor \"" + DEFAULT_KEY + "\"");
            }
            Objects.requireNonNull(e.getValue(), KEY + "." + code);
        }
        assets = Map.copyOf(new TreeMap<>(assets));
    }

    /** The settings of {@code asset}: its own entry, else {@link #defaults()}. */
    public IndexSettings of(String asset) {
        IndexSettings s = assets.get(asset);
        return s == null ? defaults : s;
    }
}
