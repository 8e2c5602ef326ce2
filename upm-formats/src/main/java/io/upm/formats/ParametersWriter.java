package io.upm.formats;

import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.DynamicHaircutParameters;
import io.upm.margin.params.HaircutSchedule;
import io.upm.margin.params.IndexSettings;
import io.upm.margin.params.IndexSettingsTable;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSanityBands;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@link MarginParameters} as a complete parameters document in {@link ParametersReader}'s shape,
 * every key present, so that {@code ParametersReader} reads it back to equal parameters. Useful to show
 * the parameters in effect (or the defaults) and as a starting point for a venue's own file.
 * Pretty-printed JSON (valid YAML as well), keys in {@link ParametersReader#ROOT_KEYS} order, assets
 * sorted with {@code default} last, the market sanity bands in {@link ParametersReader#MARKET_SANITY_KEYS}
 * order, the index section with {@code default} first and its keys in {@link ParametersReader#INDEX_KEYS} order,
 * a final newline.
 *
 * <p>Stateless and thread-safe.
 */
public final class ParametersWriter {
    private ParametersWriter() {
    }

    /**
     * The parameters as a JSON document.
     *
     * @throws IllegalStateException if any number is NaN or infinite
     */
    public static String toJson(MarginParameters p) {
        JsonOutput out = JsonOutput.pretty().startObject();
        out.integer("priceSteps", p.priceSteps())
            .number("volUpFloor", p.volUpFloor())
            .number("volDownFloor", p.volDownFloor())
            .number("volShockReferenceDays", p.volShockReferenceDays())
            .number("volShockExponentShort", p.volShockExponentShort())
            .number("volShockExponentLong", p.volShockExponentLong())
            .number("volShockMinDays", p.volShockMinDays());
        out.startArray("extendedMoves");
        for (double e : p.extendedMoves()) {
            out.number(e);
        }
        out.endArray();
        out.number("shortOptionMinimum", p.shortOptionMinimum())
            .number("liquidityFactor", p.liquidityFactor())
            .number("correlationStressWeight", p.correlationStressWeight())
            .number("offsetCap", p.offsetCap())
            .integer("jointLossDirections", p.jointLossDirections())
            .number("borrowingRate", p.borrowingRate())
            .number("initialMarginMultiplier", p.initialMarginMultiplier());
        out.startArray("stablecoins");
        for (String s : new TreeSet<>(p.stablecoins())) {
            out.string(s);
        }
        out.endArray();
        out.number("stablecoinDefaultPrice", p.stablecoinDefaultPrice())
            .number("standardShortOptionMaintenance", p.standardShortOptionMaintenance())
            .number("standardShortOptionInitial", p.standardShortOptionInitial())
            .number("standardShortOptionInitialMin", p.standardShortOptionInitialMin())
            .number("standardLoanMaintenance", p.standardLoanMaintenance())
            .number("standardLoanInitial", p.standardLoanInitial());
        out.startObject("assets");
        for (Map.Entry<String, AssetParameters> e : new TreeMap<>(p.assets()).entrySet()) {
            out.startObject(e.getKey());
            asset(out, e.getValue());
            out.endObject();
        }
        out.startObject(ParametersReader.DEFAULT_ASSET);
        asset(out, p.otherAsset());
        out.endObject();
        out.endObject();
        marketSanity(out, p.marketSanity());
        DynamicHaircutParameters d = p.dynamicHaircut();
        out.startObject(DynamicHaircutParameters.PARAMETERS_KEY)
            .number(DynamicHaircutParameters.VOL_QUANTILE.key(), d.volQuantile())
            .number(DynamicHaircutParameters.DEPEG_TOLERANCE.key(), d.depegTolerance())
            .number(DynamicHaircutParameters.DEPEG_MULTIPLIER.key(), d.depegMultiplier())
            .number(DynamicHaircutParameters.IMPACT_FACTOR.key(), d.impactFactor())
            .endObject();
        index(out, p.index());
        return out.endObject().finish();
    }

    private static void marketSanity(JsonOutput out, MarketSanityBands s) {
        out.startObject(MarketSanityBands.PARAMETERS_KEY)
            .number(MarketSanityBands.MIN_PRICE.key(), s.minPrice())
            .number(MarketSanityBands.MAX_PRICE.key(), s.maxPrice())
            .number(MarketSanityBands.MAX_FORWARD_LOG_BASIS.key(), s.maxForwardLogBasis())
            .number(MarketSanityBands.MAX_FORWARD_LOG_BASIS_PER_YEAR.key(), s.maxForwardLogBasisPerYear())
            .number(MarketSanityBands.MAX_PERPETUAL_MARK_LOG_BASIS.key(), s.maxPerpetualMarkLogBasis())
            .number(MarketSanityBands.MIN_ADV.key(), s.minAdv())
            .number(MarketSanityBands.MAX_ADV.key(), s.maxAdv())
            .number(MarketSanityBands.MAX_ABS_RATE.key(), s.maxAbsRate())
            .number(MarketSanityBands.MAX_STRIKE_RATIO.key(), s.maxStrikeRatio())
            .number(MarketSanityBands.MAX_EXPIRY_YEARS.key(), s.maxExpiryYears())
            .endObject();
    }

    /** The index section: {@code default} first, then the assets in code order, every key. */
    private static void index(JsonOutput out, IndexSettingsTable t) {
        out.startObject(IndexSettingsTable.KEY);
        out.startObject(IndexSettingsTable.DEFAULT_KEY);
        indexEntry(out, t.defaults());
        out.endObject();
        for (Map.Entry<String, IndexSettings> e : new TreeMap<>(t.assets()).entrySet()) {
            out.startObject(e.getKey());
            indexEntry(out, e.getValue());
            out.endObject();
        }
        out.endObject();
    }

    private static void indexEntry(JsonOutput out, IndexSettings s) {
        out.number(IndexSettings.STALE_AFTER.key(), s.staleAfterSeconds())
            .number(IndexSettings.OUTLIER_BAND.key(), s.outlierBand())
            .number(IndexSettings.QUORUM_FRACTION.key(), s.quorumFraction())
            .integer(IndexSettings.MIN_QUORUM.key(), s.minQuorum())
            .number(IndexSettings.CONFIDENCE_FACTOR.key(), s.confidenceFactor())
            .number(IndexSettings.FREE_SPREAD.key(), s.freeSpread())
            .number(IndexSettings.TWAP_WINDOW.key(), s.twapWindowSeconds())
            .integer(IndexSettings.TWAP_CAPACITY.key(), s.twapCapacity());
    }

    private static void asset(JsonOutput out, AssetParameters a) {
        out.number("scanRange", a.scanRange())
            .number("volUpShock", a.volUpShock())
            .number("volDownShock", a.volDownShock())
            .number("rollMinMove", a.rollMinMove())
            .number("rollAnnualMoveRate", a.rollAnnualMoveRate());
        HaircutSchedule h = a.haircut();
        out.startArray("haircut");
        for (int i = 0; i < h.rates().length; i++) {
            out.startObject();
            if (i < h.upToUsd().length) {
                out.number("upToUsd", h.upToUsd()[i]);
            }
            out.number("rate", h.rates()[i]);
            out.endObject();
        }
        out.endArray();
        out.number("standardFutureInitial", a.standardFutureInitial())
            .number("standardFutureMaintenance", a.standardFutureMaintenance());
    }
}
