package io.upm.market;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.input.ValueRange;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plausibility bands market data must lie in before UPM margins anything with it: absurd input (a
 * forward quoted in thousands, a price of 1e-300, a mark 1000 times its index, an expiry in 2099) is bad
 * input, rejected with an {@link InputException}, never margined. Each band is a parameter, set under
 * {@code marketSanity} in a parameters file; docs/methodology.md ("Market sanity bands") gives each one's
 * meaning, unit, default and why.
 *
 * <p>The bands are wide on purpose: they catch data errors (units, decimal shifts, typos), not stressed
 * markets; a real crash must still be margined. {@link #check(MarketSnapshot)} checks a snapshot and
 * {@link #checkInstrument(Instrument, MarketSnapshot, String)} an instrument against one; both are pure and
 * name the offending input leaf as the input spells it ({@code forwards.BTC.27MAR26}, {@code prices.BTC},
 * or the caller's field for an instrument), with the value, the band and the parameter that sets it.
 * Structural rules that need no band (a correlation or vols for an asset without a price) are checked by
 * {@link MarketSnapshot.Builder#build()}.
 *
 * <p>Immutable and thread-safe. The checks allocate a little (sorted views, messages): they run once per
 * market update or per new instrument, not per scenario.
 *
 * @param minPrice                  lowest index price accepted, USD ({@code prices.*})
 * @param maxPrice                  highest index price accepted, USD ({@code prices.*})
 * @param maxForwardLogBasis        |ln(forward / index)| allowed at zero time to expiry ({@code forwards.*.*})
 * @param maxForwardLogBasisPerYear what |ln(forward / index)| may add per year to expiry
 * @param maxPerpetualMarkLogBasis  |ln(mark / index)| allowed for a perpetual's mark ({@code marks.*})
 * @param minAdv                    lowest average daily volume accepted, USD ({@code adv.*})
 * @param maxAdv                    highest average daily volume accepted, USD ({@code adv.*})
 * @param maxAbsRate                largest |rate| accepted, continuously compounded per year ({@code rate})
 * @param maxStrikeRatio            k: an option's strike must lie in [index / k, index x k]
 * @param maxExpiryYears            latest expiry accepted, in years after the snapshot time (instruments, and
 *                                  the snapshot's forwards and vol slices)
 */
public record MarketSanityBands(double minPrice, double maxPrice, double maxForwardLogBasis,
                                double maxForwardLogBasisPerYear, double maxPerpetualMarkLogBasis, double minAdv,
                                double maxAdv, double maxAbsRate, double maxStrikeRatio, double maxExpiryYears) {

    /** The key of the bands in a parameters file, and the prefix of the parameter names in error messages. */
    public static final String PARAMETERS_KEY = "marketSanity";

    /**
     * Lowest index price, USD: 1e-8. The cheapest listed coins trade around 1e-5 USD (SHIB, PEPE, BONK);
     * venues list sub-1e-6 coins as multiples (1000BONK). A price below this is a unit or parsing error.
     */
    public static final NumberOption MIN_PRICE = NumberOption.of("minPrice", "USD", 1e-8,
        ValueRange.aboveTo(0, MarketSnapshot.MAX_PRICE));
    /** Highest index price, USD: 1e9, about 10,000 times BTC's price: anything above is a unit error. */
    public static final NumberOption MAX_PRICE = NumberOption.of("maxPrice", "USD", 1e9,
        ValueRange.aboveTo(0, MarketSnapshot.MAX_PRICE));
    /**
     * |ln(F/S)| allowed at zero time to expiry: 0.2 (a forward within about -18%/+22% of its index). The
     * band for an expiry T years away is this plus {@link #MAX_FORWARD_LOG_BASIS_PER_YEAR} x T.
     */
    public static final NumberOption MAX_FORWARD_LOG_BASIS = NumberOption.of("maxForwardLogBasis",
        "natural log of forward / index", 0.2, ValueRange.aboveTo(0, 10));
    /** What the forward band adds per year to expiry: 0.5, an annualised basis of 50%, above the 2021 peaks. */
    public static final NumberOption MAX_FORWARD_LOG_BASIS_PER_YEAR = NumberOption.of("maxForwardLogBasisPerYear",
        "natural log of forward / index, per year to expiry", 0.5, ValueRange.closed(0, 10));
    /** |ln(mark/S)| allowed for a perpetual: 0.2. Funding keeps a perpetual within a few percent of its index. */
    public static final NumberOption MAX_PERPETUAL_MARK_LOG_BASIS = NumberOption.of("maxPerpetualMarkLogBasis",
        "natural log of mark / index", 0.2, ValueRange.aboveTo(0, 10));
    /** Lowest ADV, USD per day: 1e3. Below it the liquidity add-on 0.1 N sqrt(N / ADV) is meaningless. */
    public static final NumberOption MIN_ADV = NumberOption.of("minAdv", "USD per day", 1e3,
        ValueRange.aboveTo(0, MarketSnapshot.MAX_ADV));
    /**
     * Highest ADV, USD per day: 1e12, about ten times BTC's whole daily volume. A larger ADV would shrink the
     * liquidity add-on towards 0 and lower the margin.
     */
    public static final NumberOption MAX_ADV = NumberOption.of("maxAdv", "USD per day", 1e12,
        ValueRange.aboveTo(0, MarketSnapshot.MAX_ADV));
    /** Largest |rate|: 0.25 per year (continuously compounded), far beyond any USD rate since 1981. */
    public static final NumberOption MAX_ABS_RATE = NumberOption.of("maxAbsRate", "per year, continuously compounded",
        0.25, ValueRange.closed(0, 1));
    /** k of the strike band [S / k, S x k]: 10. Venues list strikes within about [S / 5, 5 S]. */
    public static final NumberOption MAX_STRIKE_RATIO = NumberOption.of("maxStrikeRatio", "strike / index",
        10, ValueRange.aboveTo(1, 1e6));
    /** Latest expiry, years after the snapshot time: 3. Crypto venues list expiries up to about two years out. */
    public static final NumberOption MAX_EXPIRY_YEARS = NumberOption.of("maxExpiryYears", "years", 3,
        ValueRange.aboveTo(0, 100));

    /** Every band, in component (and parameters-file) order. */
    public static final List<NumberOption> OPTIONS = List.of(MIN_PRICE, MAX_PRICE, MAX_FORWARD_LOG_BASIS,
        MAX_FORWARD_LOG_BASIS_PER_YEAR, MAX_PERPETUAL_MARK_LOG_BASIS, MIN_ADV, MAX_ADV, MAX_ABS_RATE,
        MAX_STRIKE_RATIO, MAX_EXPIRY_YEARS);

    /**
     * Validated bands: each in its option's range, {@code minPrice < maxPrice} and {@code minAdv < maxAdv}.
     *
     * @throws InputException naming the band by its key ({@code maxStrikeRatio}); a caller that reads the bands
     *                        from a document puts it under its path with {@link InputException#under(String)}
     */
    public MarketSanityBands {
        MIN_PRICE.check(minPrice, "");
        MAX_PRICE.check(maxPrice, "");
        MAX_FORWARD_LOG_BASIS.check(maxForwardLogBasis, "");
        MAX_FORWARD_LOG_BASIS_PER_YEAR.check(maxForwardLogBasisPerYear, "");
        MAX_PERPETUAL_MARK_LOG_BASIS.check(maxPerpetualMarkLogBasis, "");
        MIN_ADV.check(minAdv, "");
        MAX_ADV.check(maxAdv, "");
        MAX_ABS_RATE.check(maxAbsRate, "");
        MAX_STRIKE_RATIO.check(maxStrikeRatio, "");
        MAX_EXPIRY_YEARS.check(maxExpiryYears, "");
        if (!(minPrice < maxPrice)) {
            throw new InputException(MAX_PRICE.key(), "must be above minPrice (" + ValueRange.format(minPrice)
                + "), got " + ValueRange.format(maxPrice));
        }
        if (!(minAdv < maxAdv)) {
            throw new InputException(MAX_ADV.key(), "must be above minAdv (" + ValueRange.format(minAdv)
                + "), got " + ValueRange.format(maxAdv));
        }
    }

    /** The default bands (each option's default). */
    public static MarketSanityBands defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these bands. */
    public Builder toBuilder() {
        return new Builder().minPrice(minPrice).maxPrice(maxPrice).maxForwardLogBasis(maxForwardLogBasis)
            .maxForwardLogBasisPerYear(maxForwardLogBasisPerYear).maxPerpetualMarkLogBasis(maxPerpetualMarkLogBasis)
            .minAdv(minAdv).maxAdv(maxAdv).maxAbsRate(maxAbsRate).maxStrikeRatio(maxStrikeRatio)
            .maxExpiryYears(maxExpiryYears);
    }

    /**
     * Checks every value of a snapshot against the bands: index prices, forwards (and their expiries),
     * perpetual marks, ADVs, the rate, and the expiries of vol slices. The first value outside its band, in
     * that order and by sorted key, is reported.
     *
     * @param market the snapshot
     * @throws InputException whose field is the offending leaf as the snapshot document spells it
     *                        ({@code prices.BTC}, {@code forwards.BTC.27MAR26}, {@code marks.BTC-PERPETUAL},
     *                        {@code adv.BTC}, {@code rate}, {@code vols.BTC.27MAR99}) and whose message gives the
     *                        value, the band and the parameter that sets it
     */
    public void check(MarketSnapshot market) {
        for (Map.Entry<String, Double> e : new TreeMap<>(market.prices()).entrySet()) {
            checkPrice(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Map<Instant, Double>> u : new TreeMap<>(market.forwards()).entrySet()) {
            String underlying = u.getKey();
            double index = market.priceOrNaN(underlying);
            for (Map.Entry<Instant, Double> f : new TreeMap<>(u.getValue()).entrySet()) {
                String field = "forwards." + underlying + "." + market.expiryCode(underlying, f.getKey());
                checkExpiry(f.getKey(), market, field, "forward for");
                checkForward(f.getValue(), index, underlying, market.yearFraction(f.getKey()), field);
            }
        }
        for (Map.Entry<String, Double> m : new TreeMap<>(market.marks()).entrySet()) {
            String underlying = market.markUnderlying(m.getKey());
            checkMark(m.getKey(), m.getValue(), market.priceOrNaN(underlying), underlying);
        }
        for (Map.Entry<String, Double> a : new TreeMap<>(market.adv()).entrySet()) {
            checkAdv(a.getKey(), a.getValue());
        }
        if (Math.abs(market.rate()) > maxAbsRate) {
            throw new InputException("rate", "rate " + ValueRange.format(market.rate()) + " is outside the band [-"
                + ValueRange.format(maxAbsRate) + ", " + ValueRange.format(maxAbsRate) + "] set by "
                + parameter(MAX_ABS_RATE));
        }
        for (Map.Entry<String, VolSurface> v : new TreeMap<>(market.vols()).entrySet()) {
            for (long expiry : v.getValue().expiries()) {
                Instant at = Instant.ofEpochSecond(expiry);
                checkExpiry(at, market, "vols." + v.getKey() + "." + market.expiryCode(v.getKey(), at), "vols for");
            }
        }
    }

    /**
     * Checks an instrument against the bands and a snapshot: its expiry at most {@link #maxExpiryYears()}
     * after the snapshot time, and an option's strike within [S / k, S x k] of its underlying's index S
     * (k = {@link #maxStrikeRatio()}). An expiry before the snapshot time is
     * {@link io.upm.pricing.ResolvedInstrument#resolve}'s to reject.
     *
     * @param instrument the instrument
     * @param market     the snapshot it is to be valued against
     * @param field      the input field naming the instrument, e.g. {@code positions[2].instrument}
     * @throws InputException with {@code field}, the value, the band and the parameter that sets it; also when
     *                        the snapshot has no index price for the underlying of an option
     */
    public void checkInstrument(Instrument instrument, MarketSnapshot market, String field) {
        if (instrument.expiry() != null) {
            double years = market.yearFraction(instrument.expiry());
            if (years > maxExpiryYears) {
                throw new InputException(field, instrument.name() + " expires at " + instrument.expiry() + ", "
                    + derived(years) + " years after the snapshot time " + market.time() + ": beyond the band of "
                    + ValueRange.format(maxExpiryYears) + " years set by " + parameter(MAX_EXPIRY_YEARS));
            }
        }
        if (instrument instanceof EuropeanOption option) {
            String u = option.underlying();
            double index = market.priceOrNaN(u);
            if (Double.isNaN(index)) {
                throw new InputException(field, "no index price for " + u + " in the market snapshot (prices." + u
                    + ")");
            }
            double k = option.strike();
            if (!(k >= index / maxStrikeRatio && k <= index * maxStrikeRatio)) {
                throw new InputException(field, "strike " + ValueRange.format(k) + " of " + option.name() + " is "
                    + derived(k / index) + " times the index " + ValueRange.format(index) + " (prices." + u
                    + "): outside the band [index / " + ValueRange.format(maxStrikeRatio) + ", index x "
                    + ValueRange.format(maxStrikeRatio) + "] set by " + parameter(MAX_STRIKE_RATIO));
            }
        }
    }

    private void checkPrice(String asset, double usd) {
        String field = "prices." + asset;
        if (usd < minPrice) {
            throw new InputException(field, "price " + ValueRange.format(usd) + " USD is below the band's floor "
                + ValueRange.format(minPrice) + " USD set by " + parameter(MIN_PRICE));
        }
        if (usd > maxPrice) {
            throw new InputException(field, "price " + ValueRange.format(usd) + " USD is above the band's ceiling "
                + ValueRange.format(maxPrice) + " USD set by " + parameter(MAX_PRICE));
        }
    }

    private void checkExpiry(Instant expiry, MarketSnapshot market, String field, String what) {
        double years = market.yearFraction(expiry);
        if (years > maxExpiryYears) {
            throw new InputException(field, what + " an expiry " + derived(years) + " years after the snapshot time "
                + market.time() + ": beyond the band of " + ValueRange.format(maxExpiryYears) + " years set by "
                + parameter(MAX_EXPIRY_YEARS));
        }
    }

    private void checkForward(double forward, double index, String underlying, double years, String field) {
        double logBasis = Math.log(forward / index);
        double band = maxForwardLogBasis + maxForwardLogBasisPerYear * Math.max(0.0, years);
        if (!(Math.abs(logBasis) <= band)) {
            throw new InputException(field, "forward " + ValueRange.format(forward) + " is " + derived(forward / index)
                + " times the index " + ValueRange.format(index) + " (prices." + underlying
                + "): |ln(forward/index)| = " + derived(Math.abs(logBasis)) + " exceeds the band " + ValueRange.format(maxForwardLogBasis) + " + "
                + ValueRange.format(maxForwardLogBasisPerYear) + " x " + derived(years) + " years = " + derived(band)
                + " set by " + parameter(MAX_FORWARD_LOG_BASIS) + " and " + parameter(MAX_FORWARD_LOG_BASIS_PER_YEAR));
        }
    }

    private void checkMark(String perpetual, double mark, double index, String underlying) {
        double logBasis = Math.log(mark / index);
        if (!(Math.abs(logBasis) <= maxPerpetualMarkLogBasis)) {
            throw new InputException("marks." + perpetual, "mark " + ValueRange.format(mark) + " is "
                + derived(mark / index) + " times the index " + ValueRange.format(index) + " (prices." + underlying
                + "): |ln(mark/index)| = " + derived(Math.abs(logBasis)) + " exceeds the band "
                + ValueRange.format(maxPerpetualMarkLogBasis) + " set by " + parameter(MAX_PERPETUAL_MARK_LOG_BASIS));
        }
    }

    private void checkAdv(String underlying, double usd) {
        String field = "adv." + underlying;
        if (usd < minAdv) {
            throw new InputException(field, "average daily volume " + ValueRange.format(usd)
                + " USD is below the band's floor " + ValueRange.format(minAdv) + " USD set by " + parameter(MIN_ADV));
        }
        if (usd > maxAdv) {
            throw new InputException(field, "average daily volume " + ValueRange.format(usd)
                + " USD is above the band's ceiling " + ValueRange.format(maxAdv) + " USD set by "
                + parameter(MAX_ADV));
        }
    }

    /** The path of a band in a parameters file, as the messages name it: {@code marketSanity.minPrice}. */
    public static String parameter(NumberOption band) {
        return band.path(PARAMETERS_KEY);
    }

    /** A computed quantity (a ratio, a log, a year count), to four significant digits. */
    private static String derived(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * Collects bands, starting from the defaults; {@link #build()} validates them. Not thread-safe.
     */
    public static final class Builder {
        private double minPrice = MIN_PRICE.defaultValue();
        private double maxPrice = MAX_PRICE.defaultValue();
        private double maxForwardLogBasis = MAX_FORWARD_LOG_BASIS.defaultValue();
        private double maxForwardLogBasisPerYear = MAX_FORWARD_LOG_BASIS_PER_YEAR.defaultValue();
        private double maxPerpetualMarkLogBasis = MAX_PERPETUAL_MARK_LOG_BASIS.defaultValue();
        private double minAdv = MIN_ADV.defaultValue();
        private double maxAdv = MAX_ADV.defaultValue();
        private double maxAbsRate = MAX_ABS_RATE.defaultValue();
        private double maxStrikeRatio = MAX_STRIKE_RATIO.defaultValue();
        private double maxExpiryYears = MAX_EXPIRY_YEARS.defaultValue();

        private Builder() {
        }

        /** {@link #MIN_PRICE}: lowest index price, USD. */
        public Builder minPrice(double usd) {
            this.minPrice = usd;
            return this;
        }

        /** {@link #MAX_PRICE}: highest index price, USD. */
        public Builder maxPrice(double usd) {
            this.maxPrice = usd;
            return this;
        }

        /** {@link #MAX_FORWARD_LOG_BASIS}: |ln(F/S)| allowed at zero time to expiry. */
        public Builder maxForwardLogBasis(double logRatio) {
            this.maxForwardLogBasis = logRatio;
            return this;
        }

        /** {@link #MAX_FORWARD_LOG_BASIS_PER_YEAR}: what the forward band adds per year to expiry. */
        public Builder maxForwardLogBasisPerYear(double logRatioPerYear) {
            this.maxForwardLogBasisPerYear = logRatioPerYear;
            return this;
        }

        /** {@link #MAX_PERPETUAL_MARK_LOG_BASIS}: |ln(mark/S)| allowed for a perpetual. */
        public Builder maxPerpetualMarkLogBasis(double logRatio) {
            this.maxPerpetualMarkLogBasis = logRatio;
            return this;
        }

        /** {@link #MIN_ADV}: lowest average daily volume, USD. */
        public Builder minAdv(double usd) {
            this.minAdv = usd;
            return this;
        }

        /** {@link #MAX_ADV}: highest average daily volume, USD. */
        public Builder maxAdv(double usd) {
            this.maxAdv = usd;
            return this;
        }

        /** {@link #MAX_ABS_RATE}: largest |rate|, per year. */
        public Builder maxAbsRate(double perYear) {
            this.maxAbsRate = perYear;
            return this;
        }

        /** {@link #MAX_STRIKE_RATIO}: k of the strike band [S / k, S x k]. */
        public Builder maxStrikeRatio(double k) {
            this.maxStrikeRatio = k;
            return this;
        }

        /** {@link #MAX_EXPIRY_YEARS}: latest expiry, years after the snapshot time. */
        public Builder maxExpiryYears(double years) {
            this.maxExpiryYears = years;
            return this;
        }

        /**
         * The bands.
         *
         * @throws InputException naming the first band out of its range by its key ({@code minAdv})
         */
        public MarketSanityBands build() {
            return new MarketSanityBands(minPrice, maxPrice, maxForwardLogBasis, maxForwardLogBasisPerYear,
                maxPerpetualMarkLogBasis, minAdv, maxAdv, maxAbsRate, maxStrikeRatio, maxExpiryYears);
        }
    }
}
