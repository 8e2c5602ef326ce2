package io.upm.market;

import io.upm.input.InputException;
import io.upm.product.ExpiryCodes;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The fields of a market snapshot (FORMATS.md, "Market snapshot") with every one of them optional: what the live
 * engine's {@code market} command carries, and, merged command after command ({@link #mergedWith}), what the
 * engine knows of the market. A partial snapshot: {@code prices}, {@code forwards}, {@code marks}, {@code vols},
 * {@code correlations}, {@code adv} and {@code rate}, each leaf as the document gave it (expiry codes and strikes
 * as written, members in document order), without the snapshot's {@code time}.
 *
 * <p>Each leaf is valid on its own: {@link Builder} checks it with the very checks of
 * {@link MarketSnapshot.Builder} (positive finite prices, asset codes, expiry codes not before the time of the
 * command, perpetual names for marks, vols, strikes, ADVs, the rate), each underlying's vols as a whole (flat or by
 * expiry, not both), and each correlation pair on its own (key, range, not given both as A/B and B/A). What needs
 * the rest of the market is left to {@link #toSnapshot(Instant)}: that every asset named has an index price and
 * that the correlation matrix is positive semi-definite.
 *
 * <p>Immutable and thread-safe; equality is by content (members in any order).
 */
public final class MarketFields {
    private static final MarketFields EMPTY = new MarketFields(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
        Map.of(), OptionalDouble.empty());

    private final Map<String, Double> prices;
    private final Map<String, Map<String, Double>> forwards;
    private final Map<String, Double> marks;
    private final Map<String, VolFields> vols;
    private final Map<String, Double> correlations;
    private final Map<String, Double> adv;
    private final OptionalDouble rate;

    private MarketFields(Map<String, Double> prices, Map<String, Map<String, Double>> forwards,
                         Map<String, Double> marks, Map<String, VolFields> vols, Map<String, Double> correlations,
                         Map<String, Double> adv, OptionalDouble rate) {
        this.prices = frozen(prices);
        Map<String, Map<String, Double>> f = new LinkedHashMap<>();
        forwards.forEach((u, m) -> f.put(u, frozen(m)));
        this.forwards = Collections.unmodifiableMap(f);
        this.marks = frozen(marks);
        this.vols = frozen(vols);
        this.correlations = frozen(correlations);
        this.adv = frozen(adv);
        this.rate = rate;
    }

    /** No field at all. */
    public static MarketFields empty() {
        return EMPTY;
    }

    /**
     * A builder whose leaves are checked against {@code time}: a forward or a vol slice may not expire before it.
     *
     * @param time the time of the command (or snapshot) the fields come with
     * @return an empty builder
     * @throws InputException naming {@code time} if it is null
     */
    public static Builder builder(Instant time) {
        return new Builder(time);
    }

    /** Index prices, asset to USD, in document order. */
    public Map<String, Double> prices() {
        return prices;
    }

    /** Forwards, underlying to expiry code (as written) to USD. */
    public Map<String, Map<String, Double>> forwards() {
        return forwards;
    }

    /** Perpetual marks, instrument name to USD. */
    public Map<String, Double> marks() {
        return marks;
    }

    /** Vols, underlying to its whole surface. */
    public Map<String, VolFields> vols() {
        return vols;
    }

    /** Correlations, {@code "A/B"} (as written) to rho. */
    public Map<String, Double> correlations() {
        return correlations;
    }

    /** Average daily volumes, underlying to USD. */
    public Map<String, Double> adv() {
        return adv;
    }

    /** The continuously compounded rate, if given. */
    public OptionalDouble rate() {
        return rate;
    }

    /** True when no field is given. */
    public boolean isEmpty() {
        return prices.isEmpty() && forwards.isEmpty() && marks.isEmpty() && vols.isEmpty() && correlations.isEmpty()
            && adv.isEmpty() && rate.isEmpty();
    }

    /**
     * These fields with {@code later}'s merged in leaf by leaf (FORMATS.md, "The live engine"): an asset's price,
     * one expiry's forward (the same expiry however its code is spelt: {@code 4DEC26} replaces {@code 04DEC26}), a
     * perpetual's mark, one pair's correlation ({@code B/A} replaces {@code A/B}), an ADV and the rate each replace
     * the value they name; the vols {@code later} gives for an underlying replace that underlying's whole surface.
     * Neither operand changes.
     *
     * @param later the fields that win
     * @return the merged fields
     */
    public MarketFields mergedWith(MarketFields later) {
        Map<String, Double> p = new LinkedHashMap<>(prices);
        p.putAll(later.prices);
        Map<String, Map<String, Double>> f = new LinkedHashMap<>(forwards);
        later.forwards.forEach((underlying, byExpiry) -> {
            Map<String, Double> mine = new LinkedHashMap<>(f.getOrDefault(underlying, Map.of()));
            byExpiry.forEach((code, usd) -> {
                Instant expiry = ExpiryCodes.parse(code, "forwards." + underlying + "." + code);
                mine.keySet().removeIf(c -> ExpiryCodes.parse(c, "forwards." + underlying + "." + c).equals(expiry));
                mine.put(code, usd);
            });
            f.put(underlying, mine);
        });
        Map<String, Double> m = new LinkedHashMap<>(marks);
        m.putAll(later.marks);
        Map<String, VolFields> v = new LinkedHashMap<>(vols);
        v.putAll(later.vols);
        Map<String, Double> c = new LinkedHashMap<>(correlations);
        later.correlations.forEach((pair, rho) -> {
            String key = canonicalPair(pair);
            c.keySet().removeIf(k -> canonicalPair(k).equals(key));
            c.put(pair, rho);
        });
        Map<String, Double> a = new LinkedHashMap<>(adv);
        a.putAll(later.adv);
        return new MarketFields(p, f, m, v, c, a, later.rate.isPresent() ? later.rate : rate);
    }

    /**
     * The snapshot at {@code time} made of these fields, validated as a whole by {@link MarketSnapshot.Builder}:
     * every asset named needs an index price, forwards and vol slices may not expire before {@code time}, the
     * correlation matrix must be positive semi-definite.
     *
     * @param time the valuation time
     * @return the snapshot
     * @throws InputException naming the offending field ({@code marks.SOL-PERPETUAL}, {@code correlations})
     */
    public MarketSnapshot toSnapshot(Instant time) {
        MarketSnapshot.Builder b = MarketSnapshot.builder(time);
        prices.forEach(b::price);
        forwards.forEach((u, byExpiry) -> byExpiry.forEach((code, usd) -> b.forward(u, code, usd)));
        marks.forEach(b::mark);
        vols.forEach((u, surface) -> {
            if (surface.flat().isPresent()) {
                b.flatVol(u, surface.flat().getAsDouble());
            } else {
                surface.expiries().forEach((code, strikes) -> strikes.forEach((k, vol) -> b.vol(u, code, k, vol)));
            }
        });
        correlations.forEach(b::correlation);
        adv.forEach(b::adv);
        rate.ifPresent(b::rate);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarketFields other && prices.equals(other.prices) && forwards.equals(other.forwards)
            && marks.equals(other.marks) && vols.equals(other.vols) && correlations.equals(other.correlations)
            && adv.equals(other.adv) && rate.equals(other.rate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prices, forwards, marks, vols, correlations, adv, rate);
    }

    @Override
    public String toString() {
        return "MarketFields[prices=" + prices + ", forwards=" + forwards + ", marks=" + marks + ", vols=" + vols
            + ", correlations=" + correlations + ", adv=" + adv + ", rate=" + rate + "]";
    }

    private static String canonicalPair(String pair) {
        String[] ab = pair.split("/", -1);
        return ab.length == 2 ? Correlations.canonicalKey(ab[0], ab[1]) : pair;
    }

    private static <K, V> Map<K, V> frozen(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * One underlying's whole vol surface as given: either one flat vol, or expiry codes (as written) to strikes
     * (as written) to vols. Immutable.
     *
     * @param flat     the flat vol (annualised fraction), or empty for a surface by expiry
     * @param expiries expiry code to strike to vol; empty for a flat surface
     */
    public record VolFields(OptionalDouble flat, Map<String, Map<String, Double>> expiries) {
        /**
         * Copies the maps (document order kept).
         *
         * @throws IllegalArgumentException unless exactly one of {@code flat} and {@code expiries} is given
         */
        public VolFields {
            Objects.requireNonNull(flat, "flat");
            Map<String, Map<String, Double>> e = new LinkedHashMap<>();
            expiries.forEach((code, strikes) -> e.put(code, frozen(strikes)));
            expiries = Collections.unmodifiableMap(e);
            if (flat.isPresent() == !expiries.isEmpty()) {
                throw new IllegalArgumentException("vol fields need either a flat vol or expiries, not both: " + flat
                    + ", " + expiries);
            }
        }

        /** A flat surface. */
        public static VolFields flat(double vol) {
            return new VolFields(OptionalDouble.of(vol), Map.of());
        }

        /** A surface by expiry: code to strike to vol. */
        public static VolFields byExpiry(Map<String, Map<String, Double>> expiries) {
            return new VolFields(OptionalDouble.empty(), expiries);
        }
    }

    /**
     * Collects the fields of one document or command, checking each leaf as it comes with the checks of
     * {@link MarketSnapshot.Builder} (so the errors name the same fields with the same words), and each
     * underlying's vols and each correlation pair on {@link #build()}. Not thread-safe; discard it after an
     * {@link InputException}.
     */
    public static final class Builder {
        private final MarketSnapshot.Builder leafCheck;
        private final Map<String, Double> prices = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> forwards = new LinkedHashMap<>();
        private final Map<String, Double> marks = new LinkedHashMap<>();
        private final Map<String, Double> flatVols = new LinkedHashMap<>();
        private final Map<String, Map<String, Map<String, Double>>> volSlices = new LinkedHashMap<>();
        private final Map<String, Boolean> volOrder = new LinkedHashMap<>();
        private final Map<String, Double> correlations = new LinkedHashMap<>();
        private final Map<String, Double> adv = new LinkedHashMap<>();
        private OptionalDouble rate = OptionalDouble.empty();

        private Builder(Instant time) {
            this.leafCheck = MarketSnapshot.builder(time);
        }

        /** The index price of an asset, USD: {@link MarketSnapshot.Builder#price}. */
        public Builder price(String asset, double usd) {
            leafCheck.price(asset, usd);
            prices.put(asset, usd);
            return this;
        }

        /** The forward of an underlying for an expiry code: {@link MarketSnapshot.Builder#forward}. */
        public Builder forward(String underlying, String expiryCode, double usd) {
            leafCheck.forward(underlying, expiryCode, usd);
            forwards.computeIfAbsent(underlying, k -> new LinkedHashMap<>()).put(expiryCode, usd);
            return this;
        }

        /** The mark of a perpetual: {@link MarketSnapshot.Builder#mark}. */
        public Builder mark(String instrument, double usd) {
            leafCheck.mark(instrument, usd);
            marks.put(instrument, usd);
            return this;
        }

        /** A flat vol for an underlying: {@link MarketSnapshot.Builder#flatVol}. */
        public Builder flatVol(String underlying, double vol) {
            leafCheck.flatVol(underlying, vol);
            flatVols.put(underlying, vol);
            volOrder.put(underlying, Boolean.TRUE);
            return this;
        }

        /** One point of an underlying's vol surface: {@link MarketSnapshot.Builder#vol}. */
        public Builder vol(String underlying, String expiryCode, String strikeText, double vol) {
            leafCheck.vol(underlying, expiryCode, strikeText, vol);
            volSlices.computeIfAbsent(underlying, k -> new LinkedHashMap<>())
                .computeIfAbsent(expiryCode, k -> new LinkedHashMap<>()).put(strikeText, vol);
            volOrder.put(underlying, Boolean.TRUE);
            return this;
        }

        /** A correlation, keyed {@code "BTC/ETH"}; checked on {@link #build()}. */
        public Builder correlation(String pair, double rho) {
            leafCheck.correlation(pair, rho);
            correlations.put(pair, rho);
            return this;
        }

        /** An underlying's average daily volume: {@link MarketSnapshot.Builder#adv}. */
        public Builder adv(String underlying, double usd) {
            leafCheck.adv(underlying, usd);
            adv.put(underlying, usd);
            return this;
        }

        /** The rate: {@link MarketSnapshot.Builder#rate}. */
        public Builder rate(double r) {
            leafCheck.rate(r);
            rate = OptionalDouble.of(r);
            return this;
        }

        /**
         * The fields.
         *
         * @throws InputException {@code vols.BTC: give either "flat" or expiries, not both}, or a correlation pair's
         *                        error ({@code correlations.BTC/BTC}, {@code correlations.ETH/BTC})
         */
        public MarketFields build() {
            Map<String, VolFields> vols = new LinkedHashMap<>();
            for (String u : volOrder.keySet()) {
                Double flat = flatVols.get(u);
                Map<String, Map<String, Double>> slices = volSlices.get(u);
                if (flat != null && slices != null) {
                    throw MarketSnapshot.Builder.flatAndExpiries(u);
                }
                vols.put(u, flat != null ? VolFields.flat(flat) : VolFields.byExpiry(slices));
            }
            Correlations.canonicalPairs(correlations, "correlations");
            return new MarketFields(prices, forwards, marks, vols, correlations, adv, rate);
        }
    }
}
