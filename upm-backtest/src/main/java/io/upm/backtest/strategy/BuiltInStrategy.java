package io.upm.backtest.strategy;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
import io.upm.pricing.Black76;
import io.upm.pricing.OptionSensitivities;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in strategies of the backtest (docs/strategies.md), each rebuilt every day at the day's close
 * with {@value #NOTIONAL_USD} USD of notional per leg: options are linear (USDC-settled) BTC options at a
 * fixed moneyness with the Friday 08:00 UTC expiry nearest to {@value #OPTION_TENOR_DAYS} days ahead
 * (so they are re-struck and rolled daily, never held within 26 days of expiry); futures are linear BTC
 * quarterlies, the front one being the first at least {@value #FUTURE_ROLL_DAYS} days from expiry.
 * Perpetuals and futures enter at the day's mark. Stateless and thread-safe.
 */
public enum BuiltInStrategy implements Strategy {
    /** Long BTC perpetual. */
    LONG_PERP("long-perp", "long 1M USD of BTC_USDC-PERPETUAL") {
        @Override
        Portfolio build(Day d) {
            return d.portfolio(this).perp("BTC", NOTIONAL_USD / d.spot("BTC")).done();
        }
    },
    /** Long BTC spot, short the front BTC quarterly future. */
    CASH_AND_CARRY("cash-and-carry", "long 1M USD of BTC spot, short the same BTC amount of the front linear quarterly future") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            return d.portfolio(this).balance("BTC", q).future("BTC", DeribitExpiries.quarterly(d.time(), FUTURE_ROLL_DAYS, 0), -q)
                .done();
        }
    },
    /** Short ATM call and put. */
    SHORT_STRADDLE("short-straddle", "short 1M USD notional each of a 30-day at-the-money BTC call and put") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            Instant e = d.optionExpiry();
            return d.portfolio(this).option("BTC", e, 1.0, true, -q).option("BTC", e, 1.0, false, -q).done();
        }
    },
    /** Long spot, short OTM call. */
    COVERED_CALL("covered-call", "long 1M USD of BTC spot, short the same amount of 30-day 110% BTC calls") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            return d.portfolio(this).balance("BTC", q).option("BTC", d.optionExpiry(), 1.0 + OTM, true, -q).done();
        }
    },
    /** Long OTM call, short OTM put. */
    RISK_REVERSAL("risk-reversal", "long 30-day 110% BTC calls, short 30-day 90% BTC puts, 1M USD notional each") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            Instant e = d.optionExpiry();
            return d.portfolio(this).option("BTC", e, 1.0 + OTM, true, q).option("BTC", e, 1.0 - OTM, false, -q).done();
        }
    },
    /** Short OTM strangle, delta-hedged with the perpetual. */
    SHORT_STRANGLE_HEDGED("short-strangle-hedged",
        "short 30-day 110% BTC calls and 90% puts, 1M USD notional each, delta-hedged daily with BTC_USDC-PERPETUAL") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            Instant e = d.optionExpiry();
            Legs legs = d.portfolio(this).option("BTC", e, 1.0 + OTM, true, -q).option("BTC", e, 1.0 - OTM, false, -q);
            return legs.perp("BTC", -legs.optionDelta("BTC")).done();
        }
    },
    /** Long BTC perp against a beta-weighted short ETH perp. */
    BTC_ETH_HEDGE("btc-eth-hedge",
        "long 1M USD of BTC_USDC-PERPETUAL, short beta x 1M USD of ETH_USDC-PERPETUAL (beta of BTC on ETH daily returns, 90 days)") {
        @Override
        Portfolio build(Day d) {
            double beta = d.beta("BTC", "ETH");
            return d.portfolio(this).perp("BTC", NOTIONAL_USD / d.spot("BTC")).perp("ETH", -beta * NOTIONAL_USD / d.spot("ETH"))
                .done();
        }
    },
    /** BTC, ETH and SOL bought with a USDC loan. */
    LONG_SPOT_LOAN("long-spot-loan", "1M USD of USDC borrowed, one third each in BTC, ETH and SOL spot (split among those priced)") {
        @Override
        Portfolio build(Day d) {
            List<String> held = new ArrayList<>();
            for (String a : List.of("BTC", "ETH", "SOL")) {
                if (d.hasPrice(a)) {
                    held.add(a);
                }
            }
            Legs legs = d.portfolio(this).balance(HistoricalSnapshots.STABLECOIN, -NOTIONAL_USD);
            for (String a : held) {
                legs.balance(a, NOTIONAL_USD / held.size() / d.spot(a));
            }
            return legs.done();
        }
    },
    /** Long the front, short the next BTC quarterly. */
    CALENDAR_SPREAD("calendar-spread", "long 1M USD of the front BTC linear quarterly future, short the same BTC amount of the next quarterly") {
        @Override
        Portfolio build(Day d) {
            double q = NOTIONAL_USD / d.spot("BTC");
            return d.portfolio(this).future("BTC", DeribitExpiries.quarterly(d.time(), FUTURE_ROLL_DAYS, 0), q)
                .future("BTC", DeribitExpiries.quarterly(d.time(), FUTURE_ROLL_DAYS, 1), -q).done();
        }
    };

    /** Notional per leg, USD. */
    public static final double NOTIONAL_USD = 1_000_000.0;
    /** Target option tenor, days. */
    public static final double OPTION_TENOR_DAYS = 30.0;
    /** Out-of-the-money distance of the wings (110% calls, 90% puts). */
    public static final double OTM = 0.10;
    /** A quarterly future is rolled when fewer days than this remain to its expiry. */
    public static final double FUTURE_ROLL_DAYS = 14.0;
    /** Days of returns in the BTC/ETH hedge ratio. */
    public static final int BETA_WINDOW = 90;

    private final String cliName;
    private final String description;

    BuiltInStrategy(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    @Override
    public String name() {
        return cliName;
    }

    @Override
    public String description() {
        return description;
    }

    /** The strategy named {@code name} on the command line, if any. */
    public static Optional<BuiltInStrategy> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.cliName.equals(name)).findFirst();
    }

    /** The names of all built-in strategies, in documentation order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(BuiltInStrategy::name).toList();
    }

    @Override
    public Optional<Portfolio> holdings(BacktestDay day) {
        Day d = new Day(day);
        try {
            return Optional.of(build(d));
        } catch (Unavailable e) {
            return Optional.empty();
        }
    }

    abstract Portfolio build(Day d);

    /** A day's market as the strategies read it. */
    static final class Day {
        private final BacktestDay day;

        Day(BacktestDay day) {
            this.day = day;
        }

        Instant time() {
            return day.market().time();
        }

        boolean hasPrice(String asset) {
            return !Double.isNaN(day.market().priceOrNaN(asset));
        }

        double spot(String asset) {
            double s = day.market().priceOrNaN(asset);
            if (Double.isNaN(s)) {
                throw new Unavailable();
            }
            return s;
        }

        Instant optionExpiry() {
            return DeribitExpiries.fridayNearest(time(), OPTION_TENOR_DAYS);
        }

        /** Hedge ratio: cov(r_a, r_b) / var(r_b) of daily log returns over {@link #BETA_WINDOW} days. */
        double beta(String a, String b) {
            int i = day.index();
            double sa = 0;
            double sb = 0;
            double sab = 0;
            double sbb = 0;
            int n = 0;
            for (int k = Math.max(1, i - BETA_WINDOW + 1); k <= i; k++) {
                double ra = day.history().logReturn(a, k);
                double rb = day.history().logReturn(b, k);
                if (!Double.isNaN(ra) && !Double.isNaN(rb)) {
                    sa += ra;
                    sb += rb;
                    sab += ra * rb;
                    sbb += rb * rb;
                    n++;
                }
            }
            if (n < HistoricalSnapshots.MIN_CORRELATION_RETURNS) {
                throw new Unavailable();
            }
            double var = sbb - sb * sb / n;
            return var > 0 ? (sab - sa * sb / n) / var : 1.0;
        }

        Legs portfolio(BuiltInStrategy s) {
            return new Legs(s.cliName, day.market());
        }
    }

    /** Collects balances and positions of one day's portfolio. */
    static final class Legs {
        private final String account;
        private final MarketSnapshot market;
        private final Map<String, Double> balances = new LinkedHashMap<>();
        private final List<Position> positions = new ArrayList<>();
        private final OptionSensitivities scratch = new OptionSensitivities();

        Legs(String account, MarketSnapshot market) {
            this.account = account;
            this.market = market;
        }

        Legs balance(String asset, double amount) {
            balances.merge(asset, amount, Double::sum);
            return this;
        }

        Legs perp(String u, double size) {
            Instrument p = InstrumentNames.parse(u + "_USDC-PERPETUAL", "strategy");
            positions.add(Position.of(p, size, price(u), "strategy"));
            return this;
        }

        Legs future(String u, Instant expiry, double size) {
            Instrument f = InstrumentNames.parse(u + "_USDC-" + ExpiryCodes.format(expiry), "strategy");
            positions.add(Position.of(f, size, market.forward(u, expiry), "strategy"));
            return this;
        }

        Legs option(String u, Instant expiry, double moneyness, boolean call, double size) {
            double k = strike(price(u) * moneyness);
            String name = u + "_USDC-" + ExpiryCodes.format(expiry) + "-" + strikeText(k) + (call ? "-C" : "-P");
            positions.add(Position.of(InstrumentNames.parse(name, "strategy"), size, Double.NaN, "strategy"));
            return this;
        }

        /** Net delta (underlying units) of the options on {@code u} so far, at the day's flat vol. */
        double optionDelta(String u) {
            VolSurface surface = market.volSurface(u);
            if (surface == null) {
                throw new Unavailable();
            }
            double delta = 0.0;
            for (Position p : positions) {
                if (p.instrument() instanceof io.upm.product.EuropeanOption o && o.underlying().equals(u)) {
                    double t = market.yearFraction(o.expiry());
                    double f = market.forward(u, o.expiry());
                    double vol = surface.vol(o.strike(), o.expiry().getEpochSecond(), market.time().getEpochSecond());
                    Black76.sensitivities(o.type().isCall(), f, o.strike(), t, vol, market.rate(), scratch);
                    delta += p.size() * scratch.delta;
                }
            }
            return delta;
        }

        Portfolio done() {
            for (Position p : positions) {
                if (p.instrument() instanceof io.upm.product.EuropeanOption && market.volSurface(p.instrument().underlying())
                    == null) {
                    throw new Unavailable();
                }
            }
            return new Portfolio(account, balances, positions);
        }

        private double price(String u) {
            double s = market.priceOrNaN(u);
            if (Double.isNaN(s)) {
                throw new Unavailable();
            }
            return s;
        }
    }

    /**
     * A Deribit-like strike near {@code k}: a multiple of 2.5% of the power of ten below it (BTC at 60,000:
     * steps of 250; ETH at 3,000: 25; SOL at 150: 2.5).
     */
    static double strike(double k) {
        double step = Math.pow(10, Math.floor(Math.log10(k))) * 0.025;
        double s = Math.round(k / step) * step;
        return Math.round(s * 1e6) / 1e6;
    }

    /** The strike as written in a name: digits, with {@code d} as the decimal mark when needed. */
    static String strikeText(double k) {
        if (k == Math.rint(k)) {
            return Long.toString((long) k);
        }
        String s = String.format(Locale.ROOT, "%.6f", k).replaceAll("0+$", "");
        return s.replace('.', 'd');
    }

    /** The strategy cannot be set up on the day (missing price or vol). */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super(null, null, false, false);
        }
    }
}
