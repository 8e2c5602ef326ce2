package io.upm.market;

import io.upm.input.InputException;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable market snapshot (FORMATS.md, "Market snapshot"): index prices, forwards per expiry,
 * perpetual marks, implied-vol surfaces, correlations, average daily volumes and the rate, all at one
 * valuation time. Validated once, on {@link Builder#build()}: each value on its own, and that everything
 * given for an asset (a forward, a mark, vols, an ADV, a correlation) names an asset the snapshot prices.
 * Whether the values are plausible (a forward near its index, a price neither 0 nor astronomical) is a
 * question of configurable bands: {@link MarketSanityBands#check(MarketSnapshot)}.
 *
 * <p>A scenario is a pure function from one snapshot to another: {@link #withPriceMove} returns the
 * snapshot in which one underlying, every forward and every perpetual mark on it moved by the same
 * relative amount (vols are sticky-strike: unchanged).
 *
 * <p>Thread-safe: immutable.
 */
public final class MarketSnapshot {
    /** Seconds in the year used for year fractions: 365 x 86400 (MODEL.md section 1). */
    public static final double SECONDS_PER_YEAR = 365.0 * 86400.0;
    /** Largest price accepted (USD), to catch absurd or overflowing input. */
    public static final double MAX_PRICE = 1e12;
    /** Largest average daily volume accepted (USD), to catch absurd or overflowing input. */
    public static final double MAX_ADV = 1e15;

    private final Instant time;
    private final Map<String, Double> prices;
    private final Map<String, Map<Instant, Double>> forwards;
    private final Map<String, Map<Instant, String>> expiryCodes;
    private final Map<String, Double> marks;
    private final Map<String, String> markUnderlyings;
    private final Map<String, VolSurface> vols;
    private final Correlations correlations;
    private final Map<String, Double> adv;
    private final double rate;

    private MarketSnapshot(Instant time, Map<String, Double> prices, Map<String, Map<Instant, Double>> forwards,
                           Map<String, Map<Instant, String>> expiryCodes, Map<String, Double> marks,
                           Map<String, String> markUnderlyings, Map<String, VolSurface> vols,
                           Correlations correlations, Map<String, Double> adv, double rate) {
        this.time = time;
        this.prices = prices;
        this.forwards = forwards;
        this.expiryCodes = expiryCodes;
        this.marks = marks;
        this.markUnderlyings = markUnderlyings;
        this.vols = vols;
        this.correlations = correlations;
        this.adv = adv;
        this.rate = rate;
    }

    /** A builder for a snapshot at {@code time}. */
    public static Builder builder(Instant time) {
        return new Builder(time);
    }

    /** The valuation time. */
    public Instant time() {
        return time;
    }

    /** The index price of an asset in USD, or NaN when the snapshot has none. */
    public double priceOrNaN(String asset) {
        Double p = prices.get(asset);
        return p == null ? Double.NaN : p;
    }

    /** All index prices, asset to USD. */
    public Map<String, Double> prices() {
        return prices;
    }

    /** The forward of an underlying for an expiry: the snapshot's where given, else the index price. */
    public double forward(String underlying, Instant expiry) {
        Map<Instant, Double> f = forwards.get(underlying);
        Double v = f == null ? null : f.get(expiry);
        return v == null ? priceOrNaN(underlying) : v;
    }

    /** The forwards given, underlying to expiry to price. */
    public Map<String, Map<Instant, Double>> forwards() {
        return forwards;
    }

    /** The mark of a perpetual: the snapshot's where given, else the index price of its underlying. */
    public double perpetualMark(Perpetual perpetual) {
        Double m = marks.get(perpetual.name());
        return m == null ? priceOrNaN(perpetual.underlying()) : m;
    }

    /** The perpetual marks given, instrument name to price. */
    public Map<String, Double> marks() {
        return marks;
    }

    /** The underlying of a perpetual whose mark the snapshot gives, by name; null for any other name. */
    String markUnderlying(String perpetualName) {
        return markUnderlyings.get(perpetualName);
    }

    /**
     * The expiry code of an underlying's forward or vol slice as the snapshot's input spelt it ({@code 4DEC26}
     * or {@code 04DEC26}), for error messages; the canonical code when it was not given.
     */
    String expiryCode(String underlying, Instant expiry) {
        Map<Instant, String> codes = expiryCodes.get(underlying);
        String code = codes == null ? null : codes.get(expiry);
        return code == null ? ExpiryCodes.format(expiry) : code;
    }

    /** The vol surface of an underlying, or null. */
    public VolSurface volSurface(String underlying) {
        return vols.get(underlying);
    }

    /** All vol surfaces. */
    public Map<String, VolSurface> vols() {
        return vols;
    }

    /** Correlations of underlying moves. */
    public Correlations correlations() {
        return correlations;
    }

    /** The average daily volume of an underlying in USD, or NaN when not given. */
    public double advOrNaN(String underlying) {
        Double a = adv.get(underlying);
        return a == null ? Double.NaN : a;
    }

    /** All ADVs given. */
    public Map<String, Double> adv() {
        return adv;
    }

    /** The continuously compounded rate (0 unless given). */
    public double rate() {
        return rate;
    }

    /** Year fraction from the snapshot time to {@code expiry}: seconds / (365 x 86400). */
    public double yearFraction(Instant expiry) {
        return (expiry.getEpochSecond() - time.getEpochSecond()) / SECONDS_PER_YEAR;
    }

    /**
     * The scenario in which {@code underlying}'s index, all its forwards and all marks of perpetuals on it
     * are multiplied by {@code 1 + relativeMove}. Everything else is unchanged.
     */
    public MarketSnapshot withPriceMove(String underlying, double relativeMove) {
        double factor = 1.0 + relativeMove;
        Map<String, Double> p = new HashMap<>(prices);
        p.computeIfPresent(underlying, (k, v) -> v * factor);
        Map<String, Map<Instant, Double>> f = new HashMap<>(forwards);
        Map<Instant, Double> mine = f.get(underlying);
        if (mine != null) {
            Map<Instant, Double> moved = new TreeMap<>();
            mine.forEach((k, v) -> moved.put(k, v * factor));
            f.put(underlying, Collections.unmodifiableMap(moved));
        }
        Map<String, Double> m = new HashMap<>(marks);
        markUnderlyings.forEach((name, u) -> {
            if (u.equals(underlying)) {
                m.put(name, m.get(name) * factor);
            }
        });
        return new MarketSnapshot(time, Collections.unmodifiableMap(p), Collections.unmodifiableMap(f), expiryCodes,
            Collections.unmodifiableMap(m), markUnderlyings, vols, correlations, adv, rate);
    }

    /**
     * The same snapshot at another valuation time (a clock tick: year fractions shrink, nothing else moves). Forwards
     * and vol slices of expiries before the new time stay in the snapshot; instruments on them are expired.
     */
    public MarketSnapshot withTime(Instant newTime) {
        if (newTime == null) {
            throw new InputException("time", "missing");
        }
        return new MarketSnapshot(newTime, prices, forwards, expiryCodes, marks, markUnderlyings, vols, correlations, adv,
            rate);
    }

    /**
     * The same snapshot with one correlation pair set (validated with the others: a matrix that is not positive
     * semi-definite is rejected).
     *
     * @param pair {@code A/B}
     * @param rho  the correlation, in [-1, 1]
     */
    public MarketSnapshot withCorrelation(String pair, double rho) {
        Map<String, Double> pairs = new LinkedHashMap<>(correlations.pairs());
        String[] ab = pair.split("/");
        String key = ab.length == 2 && ab[0].compareTo(ab[1]) > 0 ? ab[1] + "/" + ab[0] : pair;
        pairs.put(key, rho);
        return new MarketSnapshot(time, prices, forwards, expiryCodes, marks, markUnderlyings, vols,
            Correlations.of(pairs, "correlations"), adv, rate);
    }

    /**
     * Collects and validates the parts of a snapshot, each setter checking its own field. Not thread-safe;
     * discard it after an {@link InputException}.
     */
    public static final class Builder {
        private final Instant time;
        private final Map<String, Double> prices = new TreeMap<>();
        private final Map<String, Map<Instant, Double>> forwards = new TreeMap<>();
        private final Map<String, String> forwardFields = new HashMap<>();
        private final Map<String, Map<Instant, String>> expiryCodes = new TreeMap<>();
        private final Map<String, Double> marks = new TreeMap<>();
        private final Map<String, String> markUnderlyings = new HashMap<>();
        private final Map<String, Double> flatVols = new TreeMap<>();
        private final Map<String, Map<Instant, Map<Double, Double>>> volSlices = new TreeMap<>();
        private final Map<String, String> volFields = new LinkedHashMap<>();
        private final Map<String, Double> correlationPairs = new LinkedHashMap<>();
        private final Map<String, Double> adv = new TreeMap<>();
        private double rate;

        private Builder(Instant time) {
            if (time == null) {
                throw new InputException("time", "missing");
            }
            this.time = time;
        }

        /** The index price of an asset, USD, positive. */
        public Builder price(String asset, double usd) {
            String f = "prices." + asset;
            checkAsset(asset, f);
            checkPrice(usd, f);
            prices.put(asset, usd);
            return this;
        }

        /** The forward of an underlying for an expiry code such as {@code 27MAR26}. */
        public Builder forward(String underlying, String expiryCode, double usd) {
            String f = "forwards." + underlying + "." + expiryCode;
            checkAsset(underlying, "forwards." + underlying);
            Instant expiry = ExpiryCodes.parse(expiryCode, f);
            checkPrice(usd, f);
            if (expiry.isBefore(time)) {
                throw new InputException(f, "expiry is before the snapshot time " + time);
            }
            if (forwards.computeIfAbsent(underlying, k -> new TreeMap<>()).put(expiry, usd) != null) {
                throw new InputException(f, "expiry given twice");
            }
            forwardFields.put(underlying, "forwards." + underlying);
            expiryCodes.computeIfAbsent(underlying, k -> new TreeMap<>()).putIfAbsent(expiry, expiryCode);
            return this;
        }

        /** The mark price of a perpetual, by instrument name. */
        public Builder mark(String instrument, double usd) {
            String f = "marks." + instrument;
            Instrument parsed = InstrumentNames.parse(instrument, f);
            if (!(parsed instanceof Perpetual)) {
                throw new InputException(f, "only perpetuals take a mark; a future's mark is its forward (forwards)");
            }
            checkPrice(usd, f);
            marks.put(instrument, usd);
            markUnderlyings.put(instrument, parsed.underlying());
            return this;
        }

        /** A flat implied vol for an underlying (annualised fraction). */
        public Builder flatVol(String underlying, double vol) {
            String f = "vols." + underlying + ".flat";
            checkAsset(underlying, "vols." + underlying);
            VolSurface.checkVol(vol, f);
            flatVols.put(underlying, vol);
            return this;
        }

        /** One point of an underlying's vol surface; {@code strikeText} is the strike as written. */
        public Builder vol(String underlying, String expiryCode, String strikeText, double vol) {
            String f = "vols." + underlying + "." + expiryCode + "." + strikeText;
            checkAsset(underlying, "vols." + underlying);
            Instant expiry = ExpiryCodes.parse(expiryCode, "vols." + underlying + "." + expiryCode);
            if (expiry.isBefore(time)) {
                throw new InputException("vols." + underlying + "." + expiryCode,
                    "expiry is before the snapshot time " + time);
            }
            double strike;
            try {
                strike = Double.parseDouble(strikeText);
            } catch (NumberFormatException e) {
                throw new InputException(f, "strike \"" + strikeText + "\" is not a number");
            }
            if (!Double.isFinite(strike) || strike <= 0 || strike > MAX_PRICE) {
                throw new InputException(f, "strike must be positive and finite");
            }
            VolSurface.checkVol(vol, f);
            Map<Double, Double> slice = volSlices.computeIfAbsent(underlying, k -> new TreeMap<>())
                .computeIfAbsent(expiry, k -> new TreeMap<>());
            if (slice.put(strike, vol) != null) {
                throw new InputException(f, "strike given twice");
            }
            volFields.put(underlying, "vols." + underlying);
            expiryCodes.computeIfAbsent(underlying, k -> new TreeMap<>()).putIfAbsent(expiry, expiryCode);
            return this;
        }

        /** A correlation, keyed {@code "BTC/ETH"}. */
        public Builder correlation(String pair, double rho) {
            if (correlationPairs.put(pair, rho) != null) {
                throw new InputException("correlations." + pair, "given twice");
            }
            return this;
        }

        /** An underlying's average daily volume in USD, positive. */
        public Builder adv(String underlying, double usd) {
            String f = "adv." + underlying;
            checkAsset(underlying, f);
            if (!Double.isFinite(usd) || usd <= 0 || usd > MAX_ADV) {
                throw new InputException(f, "average daily volume must be positive and finite (USD), got " + usd);
            }
            adv.put(underlying, usd);
            return this;
        }

        /** The continuously compounded rate, a fraction in [-1, 1]. */
        public Builder rate(double r) {
            if (!Double.isFinite(r) || r < -1 || r > 1) {
                throw new InputException("rate", "rate must be a finite fraction in [-1, 1], got " + r);
            }
            this.rate = r;
            return this;
        }

        /**
         * Validates the cross-references and returns the snapshot. Everything given for an asset needs the
         * asset's index price: a forward ({@code forwards.SOL}), a perpetual's mark ({@code marks.SOL-PERPETUAL}),
         * vols ({@code vols.XRP}), an ADV ({@code adv.XRP}) and each asset of a correlation pair
         * ({@code correlations.BTC/EHT}); without one it would be silently unused, or read as a new asset.
         */
        public MarketSnapshot build() {
            for (String u : forwards.keySet()) {
                requirePrice(u, forwardFields.get(u));
            }
            for (Map.Entry<String, String> e : new TreeMap<>(markUnderlyings).entrySet()) {
                requirePrice(e.getValue(), "marks." + e.getKey());
            }
            Set<String> withVols = new TreeSet<>(flatVols.keySet());
            withVols.addAll(volSlices.keySet());
            for (String u : withVols) {
                requirePrice(u, "vols." + u);
            }
            for (String a : adv.keySet()) {
                requirePrice(a, "adv." + a);
            }
            for (String pair : correlationPairs.keySet()) {
                String[] ab = pair.split("/", -1);
                if (ab.length != 2) {
                    continue; // malformed: Correlations.of words that
                }
                for (String asset : ab) {
                    if (!asset.isEmpty() && !prices.containsKey(asset)) {
                        throw new InputException("correlations." + pair, "no index price for " + asset
                            + " in prices: both assets of a correlation need one (a misspelt asset code?)");
                    }
                }
            }
            Map<String, VolSurface> surfaces = new TreeMap<>();
            for (Map.Entry<String, Double> e : flatVols.entrySet()) {
                if (volSlices.containsKey(e.getKey())) {
                    throw flatAndExpiries(e.getKey());
                }
                surfaces.put(e.getKey(), VolSurface.flat(e.getValue(), "vols." + e.getKey() + ".flat"));
            }
            for (Map.Entry<String, Map<Instant, Map<Double, Double>>> e : volSlices.entrySet()) {
                surfaces.put(e.getKey(), VolSurface.ofSlices(e.getValue(), volFields.get(e.getKey())));
            }
            Correlations corr = Correlations.of(correlationPairs, "correlations");
            Map<String, Map<Instant, Double>> fwd = new TreeMap<>();
            forwards.forEach((k, v) -> fwd.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
            Map<String, Map<Instant, String>> codes = new TreeMap<>();
            expiryCodes.forEach((k, v) -> codes.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
            return new MarketSnapshot(time, Collections.unmodifiableMap(new TreeMap<>(prices)),
                Collections.unmodifiableMap(fwd), Collections.unmodifiableMap(codes),
                Collections.unmodifiableMap(new TreeMap<>(marks)),
                Map.copyOf(markUnderlyings), Collections.unmodifiableMap(surfaces), corr,
                Collections.unmodifiableMap(new TreeMap<>(adv)), rate);
        }

        /** The error of an underlying's vols given both flat and by expiry. */
        static InputException flatAndExpiries(String underlying) {
            return new InputException("vols." + underlying, "give either \"flat\" or expiries, not both");
        }

        private void requirePrice(String underlying, String field) {
            if (!prices.containsKey(underlying)) {
                throw new InputException(field, "no index price for " + underlying + " in prices");
            }
        }

        private static void checkAsset(String asset, String field) {
            InstrumentNames.requireAssetCode(asset, field);
        }

        private static void checkPrice(double usd, String field) {
            if (!Double.isFinite(usd) || usd <= 0 || usd > MAX_PRICE) {
                throw new InputException(field, "price must be positive and finite (USD), got " + usd);
            }
        }
    }
}
