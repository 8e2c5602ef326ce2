package io.upm.pricing;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
import io.upm.product.EuropeanOption;
import io.upm.product.Future;
import io.upm.product.Instrument;
import io.upm.product.Perpetual;

/**
 * An instrument resolved once against a market snapshot: the index S of its underlying, its own mark
 * (perpetual mark or forward of its expiry), its year fraction, implied vol and the rate. It prices one
 * unit of size under MODEL.md section 2, at the snapshot or under a scenario (a relative price move of
 * the underlying, applied to S and the mark alike, and a vol), without reaching out for any other data.
 *
 * <p>Immutable and thread-safe; the pricing methods allocate nothing.
 */
public final class ResolvedInstrument {
    /** What kind of contract, for branch-light pricing. */
    public enum Kind { PERPETUAL, FUTURE, OPTION }

    private final Instrument instrument;
    private final Kind kind;
    private final boolean linear;
    private final boolean call;
    private final double strike;
    private final double spot;
    private final double mark;
    private final double yearFraction;
    private final double vol;
    private final double rate;

    private ResolvedInstrument(Instrument instrument, Kind kind, double strike, boolean call, double spot, double mark,
                               double yearFraction, double vol, double rate) {
        this.instrument = instrument;
        this.kind = kind;
        this.linear = instrument.isLinear();
        this.call = call;
        this.strike = strike;
        this.spot = spot;
        this.mark = mark;
        this.yearFraction = yearFraction;
        this.vol = vol;
        this.rate = rate;
    }

    /**
     * Resolves an instrument against a snapshot.
     *
     * @param field the field naming the instrument in the input, for errors
     * @throws InputException if the snapshot lacks the underlying's price or (for an option) its vol, or the
     *                        instrument expired before the snapshot time
     */
    public static ResolvedInstrument resolve(Instrument instrument, MarketSnapshot market, String field) {
        String u = instrument.underlying();
        double s = market.priceOrNaN(u);
        if (Double.isNaN(s)) {
            throw new InputException(field, "no index price for " + u + " in the market snapshot (prices." + u + ")");
        }
        if (instrument.expiry() != null && instrument.expiry().isBefore(market.time())) {
            throw new InputException(field, instrument.name() + " expired at " + instrument.expiry()
                + ", before the snapshot time " + market.time() + "; it should have been settled");
        }
        return switch (instrument) {
            case Perpetual p -> new ResolvedInstrument(p, Kind.PERPETUAL, Double.NaN, false, s, market.perpetualMark(p),
                0.0, Double.NaN, market.rate());
            case Future f -> new ResolvedInstrument(f, Kind.FUTURE, Double.NaN, false, s,
                market.forward(u, f.expiry()), market.yearFraction(f.expiry()), Double.NaN, market.rate());
            case EuropeanOption o -> {
                VolSurface surface = market.volSurface(u);
                if (surface == null) {
                    throw new InputException(field, "no implied vol for " + u + " in the market snapshot (vols." + u + ")");
                }
                double sigma = surface.vol(o.strike(), o.expiry().getEpochSecond(), market.time().getEpochSecond());
                yield new ResolvedInstrument(o, Kind.OPTION, o.strike(), o.type().isCall(), s,
                    market.forward(u, o.expiry()), market.yearFraction(o.expiry()), sigma, market.rate());
            }
        };
    }

    /** The instrument. */
    public Instrument instrument() {
        return instrument;
    }

    /** Perpetual, future or option. */
    public Kind kind() {
        return kind;
    }

    /** True when the contract settles in a stablecoin. */
    public boolean isLinear() {
        return linear;
    }

    /** True for an option. */
    public boolean isOption() {
        return kind == Kind.OPTION;
    }

    /** True for an inverse perpetual or future, whose risk scales with size / entry price. */
    public boolean isInverseDelta1() {
        return !linear && kind != Kind.OPTION;
    }

    /** Index price S of the underlying, USD. */
    public double spot() {
        return spot;
    }

    /** The perpetual mark or the forward of the expiry, USD. */
    public double mark() {
        return mark;
    }

    /** Year fraction to expiry (0 for a perpetual). */
    public double yearFraction() {
        return yearFraction;
    }

    /** The option's implied vol from the surface (NaN for non-options). */
    public double vol() {
        return vol;
    }

    /** The rate. */
    public double rate() {
        return rate;
    }

    /** The strike (NaN for non-options). */
    public double strike() {
        return strike;
    }

    /** True for a call. */
    public boolean isCall() {
        return call;
    }

    /**
     * USD value of one unit of size at the snapshot (MODEL.md section 2).
     *
     * @param entryPrice the position's entry price (perpetuals and futures; ignored for options)
     */
    public double value(double entryPrice) {
        return value(entryPrice, 0.0, vol);
    }

    /**
     * USD value of one unit of size in a scenario: S and the mark multiplied by {@code 1 + priceMove}, the
     * option repriced at {@code scenarioVol}; no time passes.
     */
    public double value(double entryPrice, double priceMove, double scenarioVol) {
        double f = 1.0 + priceMove;
        double s = spot * f;
        double m = mark * f;
        return switch (kind) {
            case PERPETUAL, FUTURE -> linear ? m - entryPrice : (1.0 / entryPrice - 1.0 / m) * s;
            case OPTION -> {
                double premium = Black76.price(call, m, strike, yearFraction, scenarioVol, rate);
                yield linear ? premium : premium * s / m;
            }
        };
    }

    /**
     * Greeks of one unit of size with respect to the index S (all forwards and marks of the underlying
     * moving in proportion), MODEL.md section 2, written into {@code out} as
     * [delta, gamma, vegaPerVolPoint, thetaPerDay, vannaPerVolPoint, volgaPerVolPoint^2].
     *
     * @param entryPrice the entry price (inverse perpetuals and futures)
     * @param scratch    reusable Black-76 result holder
     * @param out        six doubles, overwritten
     */
    public void greeks(double entryPrice, OptionSensitivities scratch, double[] out) {
        java.util.Arrays.fill(out, 0, 6, 0.0);
        switch (kind) {
            case PERPETUAL, FUTURE -> out[0] = linear ? mark / spot : 1.0 / entryPrice;
            case OPTION -> {
                Black76.sensitivities(call, mark, strike, yearFraction, vol, rate, scratch);
                double k = mark / spot;
                if (linear) {
                    out[0] = scratch.delta * k;
                    out[1] = scratch.gamma * k * k;
                    out[2] = scratch.vega * 0.01;
                    out[3] = scratch.theta / 365.0;
                    out[4] = scratch.vanna * k * 0.01;
                    out[5] = scratch.volga * 1e-4;
                } else {
                    double coin = spot / mark;
                    out[0] = scratch.delta;
                    out[1] = scratch.gamma * k;
                    out[2] = scratch.vega * coin * 0.01;
                    out[3] = scratch.theta * coin / 365.0;
                    out[4] = scratch.vanna * 0.01;
                    out[5] = scratch.volga * coin * 1e-4;
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Index of delta in the array filled by {@link #greeks}. */
    public static final int DELTA = 0;
    /** Index of gamma. */
    public static final int GAMMA = 1;
    /** Index of vega per vol point. */
    public static final int VEGA = 2;
    /** Index of theta per calendar day. */
    public static final int THETA = 3;
    /** Index of vanna: change of delta per vol point. */
    public static final int VANNA = 4;
    /** Index of volga: change of vega (per vol point) per vol point. */
    public static final int VOLGA = 5;
    /** Number of Greeks. */
    public static final int GREEK_COUNT = 6;
}
