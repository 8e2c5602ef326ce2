package io.upm.backtest.strategy;

import io.upm.backtest.BacktestDay;
import io.upm.backtest.DailyHistory;
import io.upm.backtest.HistoricalSnapshots;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
import io.upm.pricing.Black76;
import io.upm.pricing.OptionSensitivities;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The built-in strategies of the backtest (docs/strategies.md), each rebuilt every day at the day's close
 * with {@value #NOTIONAL_USD} USD of notional per leg: options are linear (USDC-settled) BTC options at a
 * fixed moneyness with the Friday 08:00 UTC expiry nearest to {@value #OPTION_TENOR_DAYS} days ahead
 * (so they are re-struck and rolled daily, never held within 26 days of expiry); futures are linear BTC
 * quarterlies, the front one being the first at least {@value #FUTURE_ROLL_DAYS} days from expiry.
 * Perpetuals and futures enter at the day's mark (the perpetual's mark, the expiry's forward: the index when
 * forwards are flat). Stateless and thread-safe.
 */
public final class BuiltInStrategy implements Strategy {
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

    /** Long BTC perpetual. */
    public static final BuiltInStrategy LONG_PERP = new BuiltInStrategy("long-perp",
        "long 1M USD of BTC_USDC-PERPETUAL", BuiltInStrategy::longPerp);
    /** Long BTC spot, short the front BTC quarterly future. */
    public static final BuiltInStrategy CASH_AND_CARRY = new BuiltInStrategy("cash-and-carry",
        "long 1M USD of BTC spot, short the same BTC amount of the front linear quarterly future",
        BuiltInStrategy::cashAndCarry);
    /** Short ATM call and put. */
    public static final BuiltInStrategy SHORT_STRADDLE = new BuiltInStrategy("short-straddle",
        "short 30-day at-the-money BTC calls and puts, 1M USD notional each", BuiltInStrategy::shortStraddle);
    /** Long spot, short OTM call. */
    public static final BuiltInStrategy COVERED_CALL = new BuiltInStrategy("covered-call",
        "long 1M USD of BTC spot, short the same amount of 30-day 110% BTC calls", BuiltInStrategy::coveredCall);
    /** Long OTM call, short OTM put. */
    public static final BuiltInStrategy RISK_REVERSAL = new BuiltInStrategy("risk-reversal",
        "long 30-day 110% BTC calls, short 30-day 90% BTC puts, 1M USD notional each", BuiltInStrategy::riskReversal);
    /** Short OTM strangle, delta-hedged with the perpetual. */
    public static final BuiltInStrategy SHORT_STRANGLE_HEDGED = new BuiltInStrategy("short-strangle-hedged",
        "short 30-day 110% BTC calls and 90% puts, 1M USD notional each, delta-hedged daily with BTC_USDC-PERPETUAL",
        BuiltInStrategy::shortStrangleHedged);
    /** Long BTC perp against a beta-weighted short ETH perp. */
    public static final BuiltInStrategy BTC_ETH_HEDGE = new BuiltInStrategy("btc-eth-hedge",
        "long 1M USD of BTC_USDC-PERPETUAL, short beta x 1M USD of ETH_USDC-PERPETUAL (beta of BTC on ETH, 90 days)",
        BuiltInStrategy::btcEthHedge);
    /** BTC, ETH and SOL bought with a USDC loan. */
    public static final BuiltInStrategy LONG_SPOT_LOAN = new BuiltInStrategy("long-spot-loan",
        "1M USD of USDC borrowed, one third each in BTC, ETH and SOL spot (split among those priced)",
        BuiltInStrategy::longSpotLoan);
    /** Long the front, short the next BTC quarterly. */
    public static final BuiltInStrategy CALENDAR_SPREAD = new BuiltInStrategy("calendar-spread",
        "long 1M USD of the front BTC linear quarterly future, short the same BTC amount of the next quarterly",
        BuiltInStrategy::calendarSpread);

    private static final List<BuiltInStrategy> ALL = List.of(LONG_PERP, CASH_AND_CARRY, SHORT_STRADDLE, COVERED_CALL,
        RISK_REVERSAL, SHORT_STRANGLE_HEDGED, BTC_ETH_HEDGE, LONG_SPOT_LOAN, CALENDAR_SPREAD);

    private final String cliName;
    private final String description;
    private final Function<Day, Portfolio> build;

    private BuiltInStrategy(String cliName, String description, Function<Day, Portfolio> build) {
        this.cliName = cliName;
        this.description = description;
        this.build = build;
    }

    /** All built-in strategies, in documentation order. */
    public static List<BuiltInStrategy> all() {
        return ALL;
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
        return ALL.stream().filter(s -> s.cliName.equals(name)).findFirst();
    }

    /** The names of all built-in strategies, in documentation order. */
    public static List<String> names() {
        return ALL.stream().map(BuiltInStrategy::name).toList();
    }

    @Override
    public Optional<Portfolio> holdings(BacktestDay day) {
        Day d = new Day(day);
        try {
            return Optional.of(build.apply(d));
        } catch (Unavailable e) {
            return Optional.empty();
        }
    }

    private static Portfolio longPerp(Day d) {
        return d.portfolio("long-perp").perp("BTC", NOTIONAL_USD / d.spot("BTC")).done();
    }

    private static Portfolio cashAndCarry(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        return d.portfolio("cash-and-carry").balance("BTC", q).future("BTC", d.quarterly(0), -q).done();
    }

    private static Portfolio shortStraddle(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        Instant e = d.optionExpiry();
        return d.portfolio("short-straddle").option("BTC", e, 1.0, true, -q).option("BTC", e, 1.0, false, -q).done();
    }

    private static Portfolio coveredCall(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        return d.portfolio("covered-call").balance("BTC", q).option("BTC", d.optionExpiry(), 1.0 + OTM, true, -q).done();
    }

    private static Portfolio riskReversal(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        Instant e = d.optionExpiry();
        return d.portfolio("risk-reversal").option("BTC", e, 1.0 + OTM, true, q).option("BTC", e, 1.0 - OTM, false, -q)
            .done();
    }

    private static Portfolio shortStrangleHedged(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        Instant e = d.optionExpiry();
        Legs legs = d.portfolio("short-strangle-hedged").option("BTC", e, 1.0 + OTM, true, -q)
            .option("BTC", e, 1.0 - OTM, false, -q);
        return legs.perp("BTC", -legs.optionDelta("BTC")).done();
    }

    private static Portfolio btcEthHedge(Day d) {
        double beta = d.beta("BTC", "ETH");
        return d.portfolio("btc-eth-hedge").perp("BTC", NOTIONAL_USD / d.spot("BTC"))
            .perp("ETH", -beta * NOTIONAL_USD / d.spot("ETH")).done();
    }

    private static Portfolio longSpotLoan(Day d) {
        List<String> held = new ArrayList<>();
        for (String a : List.of("BTC", "ETH", "SOL")) {
            if (d.hasPrice(a)) {
                held.add(a);
            }
        }
        Legs legs = d.portfolio("long-spot-loan").balance(HistoricalSnapshots.STABLECOIN, -NOTIONAL_USD);
        for (String a : held) {
            legs.balance(a, NOTIONAL_USD / held.size() / d.spot(a));
        }
        return legs.done();
    }

    private static Portfolio calendarSpread(Day d) {
        double q = NOTIONAL_USD / d.spot("BTC");
        return d.portfolio("calendar-spread").future("BTC", d.quarterly(0), q).future("BTC", d.quarterly(1), -q).done();
    }

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

        Instant quarterly(int index) {
            return DeribitExpiries.quarterly(time(), FUTURE_ROLL_DAYS, index);
        }

        Instant optionExpiry() {
            return DeribitExpiries.fridayNearest(time(), OPTION_TENOR_DAYS);
        }

        /** Hedge ratio: cov(r_a, r_b) / var(r_b) of daily log returns over {@link #BETA_WINDOW} days. */
        double beta(String a, String b) {
            DailyHistory.CoMoments m = day.history().coMoments(a, b, day.index(), BETA_WINDOW);
            if (m.count() < HistoricalSnapshots.MIN_CORRELATION_RETURNS) {
                throw new Unavailable();
            }
            return m.beta(1.0);
        }

        Legs portfolio(String account) {
            return new Legs(account, day.market());
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
            price(u);
            positions.add(Position.of(p, size, market.perpetualMark((Perpetual) p), "strategy"));
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
