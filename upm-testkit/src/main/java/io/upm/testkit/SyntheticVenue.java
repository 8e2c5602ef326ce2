package io.upm.testkit;

import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.pricing.OptionSensitivities;
import io.upm.product.EuropeanOption;
import io.upm.product.ExpiryCodes;
import io.upm.product.Future;
import io.upm.product.Instrument;
import io.upm.product.OptionType;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.product.Settlement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic crypto-derivatives venue, generated deterministically from a seed: a realistic market
 * snapshot at {@link #TIME} (BTC about 90,000, ETH about 3,000, SOL about 140, USDC and USDT 1; Friday
 * expiries from 3 days to 10 months with a small contango; perpetual marks near the index; a smiled vol
 * surface per underlying on strikes from 0.5x to 2x spot; correlations BTC/ETH 0.8, BTC/SOL 0.7, ETH/SOL
 * 0.75; an average daily volume per underlying), the universe of about 2,000 listed instruments (linear
 * and inverse perpetuals, futures, calls and puts on every (expiry, strike) of the surface, inverse and
 * linear), and account portfolios of about 20 positions mixing hedged and naked books.
 *
 * <p>Nothing here is market data: the numbers are plausible, not observed. Every output is a pure
 * function of the seeds (java.util.SplittableRandom, Box-Muller with StrictMath), so a seed names a
 * workload for tests and benchmarks.
 *
 * <p>Immutable after {@link #create}; the generators are thread-safe (each call uses its own random
 * stream). Generating 100,000 accounts takes about a second.
 */
public final class SyntheticVenue {
    /** The snapshot time: Tuesday 2025-11-25 08:00 UTC. */
    public static final Instant TIME = Instant.parse("2025-11-25T08:00:00Z");
    /** The listed expiries (Fridays, 08:00 UTC): weeklies, monthlies and quarterlies. */
    public static final List<String> EXPIRY_CODES = List.of("28NOV25", "5DEC25", "12DEC25", "26DEC25", "30JAN26",
        "27FEB26", "27MAR26", "26JUN26", "25SEP26");
    /** The underlyings. */
    public static final List<String> UNDERLYINGS = List.of("BTC", "ETH", "SOL");

    private static final double[] BASE_PRICE = {90_000.0, 3_000.0, 140.0};
    private static final double[] STRIKE_STEP = {1_000.0, 50.0, 5.0};
    private static final double[] ATM_VOL = {0.50, 0.65, 0.85};
    private static final double[] SKEW = {-0.20, -0.25, -0.15};
    private static final double[] BASIS = {0.065, 0.055, 0.08};
    private static final double[] ADV = {25e9, 12e9, 3e9};
    private static final double[] SCAN_RANGE = {0.16, 0.18, 0.25};
    /** Lot sizes of options and linear contracts, underlying units. */
    private static final double[] LOT = {0.1, 1.0, 10.0};
    /** A typical position size per account scale, underlying units (about 90k USD). */
    private static final double[] TYPICAL = {1.0, 30.0, 600.0};
    private static final double[] MONEYNESS = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2,
        1.3, 1.4, 1.5, 1.75, 2.0};

    private final MarketSnapshot market;
    private final List<Instrument> universe;
    private final int ne;
    private final Instant[] expiry;
    private final double[] spot = new double[3];
    private final double[][] forward;
    private final double[][] years;
    private final double[][] strikes;
    private final Perpetual[][] perps = new Perpetual[3][2];      // [u][0 linear, 1 inverse]
    private final double[][] perpMark = new double[3][2];
    private final Future[][][] futures;                           // [u][e][settlement]
    private final EuropeanOption[][][][] options;                 // [u][e][k][c]: c = 2 x settlement + put
    private final double[][][][] optionValue;                     // USD per unit of size
    private final double[][][][] optionDelta;                     // dV/dS per unit of size

    private SyntheticVenue(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ne = EXPIRY_CODES.size();
        forward = new double[3][ne];
        years = new double[3][ne];
        strikes = new double[3][];
        futures = new Future[3][ne][2];
        options = new EuropeanOption[3][ne][][];
        optionValue = new double[3][ne][][];
        optionDelta = new double[3][ne][][];
        expiry = new Instant[ne];
        for (int e = 0; e < ne; e++) {
            expiry[e] = ExpiryCodes.parse(EXPIRY_CODES.get(e), "expiry");
        }
        MarketSnapshot.Builder b = MarketSnapshot.builder(TIME);
        b.price("USDC", 1.0).price("USDT", 1.0);
        List<Instrument> all = new ArrayList<>();
        for (int u = 0; u < 3; u++) {
            String code = UNDERLYINGS.get(u);
            double tick = STRIKE_STEP[u] / 100.0;
            spot[u] = Math.round(BASE_PRICE[u] * (1.0 + 0.01 * gaussian(rnd)) / tick) * tick;
            b.price(code, spot[u]).adv(code, ADV[u]);
            perps[u][0] = new Perpetual(code + "_USDC-PERPETUAL", code, Settlement.LINEAR);
            perps[u][1] = new Perpetual(code + "-PERPETUAL", code, Settlement.INVERSE);
            for (int s = 0; s < 2; s++) {
                perpMark[u][s] = spot[u] * (1.0 + 3e-4 * gaussian(rnd));
                b.mark(perps[u][s].name(), perpMark[u][s]);
                all.add(perps[u][s]);
            }
            strikes[u] = new double[MONEYNESS.length];
            for (int k = 0; k < MONEYNESS.length; k++) {
                strikes[u][k] = Math.round(BASE_PRICE[u] * MONEYNESS[k] / STRIKE_STEP[u]) * STRIKE_STEP[u];
            }
            for (int e = 0; e < ne; e++) {
                String ec = EXPIRY_CODES.get(e);
                double t = (expiry[e].getEpochSecond() - TIME.getEpochSecond()) / MarketSnapshot.SECONDS_PER_YEAR;
                years[u][e] = t;
                forward[u][e] = spot[u] * Math.exp((BASIS[u] + 0.01 * gaussian(rnd)) * t);
                b.forward(code, ec, forward[u][e]);
                futures[u][e][0] = new Future(code + "_USDC-" + ec, code, Settlement.LINEAR, expiry[e]);
                futures[u][e][1] = new Future(code + "-" + ec, code, Settlement.INVERSE, expiry[e]);
                all.add(futures[u][e][0]);
                all.add(futures[u][e][1]);
                double atm = ATM_VOL[u] * (1.0 + 0.08 * Math.exp(-t * 12.0) + 0.03 * gaussian(rnd));
                double curvature = 0.4 + 0.12 / Math.sqrt(Math.max(t, 1.0 / 365.0));
                options[u][e] = new EuropeanOption[strikes[u].length][4];
                optionValue[u][e] = new double[strikes[u].length][4];
                optionDelta[u][e] = new double[strikes[u].length][4];
                OptionSensitivities os = new OptionSensitivities();
                for (int k = 0; k < strikes[u].length; k++) {
                    double strike = strikes[u][k];
                    double x = Math.log(strike / forward[u][e]);
                    double smile = 1.0 + SKEW[u] * x + curvature * x * x;
                    double vol = Math.max(0.15, Math.min(3.0, atm * smile * (1.0 + 0.01 * gaussian(rnd))));
                    String kt = String.valueOf((long) strike);
                    b.vol(code, ec, kt, vol);
                    for (int c = 0; c < 4; c++) {
                        boolean inverse = c >= 2;
                        boolean put = (c & 1) == 1;
                        String name = code + (inverse ? "" : "_USDC") + "-" + ec + "-" + kt + (put ? "-P" : "-C");
                        Settlement settlement = inverse ? Settlement.INVERSE : Settlement.LINEAR;
                        EuropeanOption o = new EuropeanOption(name, code, settlement, expiry[e], strike,
                            put ? OptionType.PUT : OptionType.CALL);
                        options[u][e][k][c] = o;
                        all.add(o);
                        Black76.sensitivities(!put, forward[u][e], strike, t, vol, 0.0, os);
                        double toSpot = forward[u][e] / spot[u];
                        optionValue[u][e][k][c] = inverse ? os.value * spot[u] / forward[u][e] : os.value;
                        optionDelta[u][e][k][c] = inverse ? os.delta : os.delta * toSpot;
                    }
                }
            }
        }
        b.correlation("BTC/ETH", 0.8).correlation("BTC/SOL", 0.7).correlation("ETH/SOL", 0.75);
        market = b.build();
        universe = Collections.unmodifiableList(all);
    }

    /** The venue of a seed. */
    public static SyntheticVenue create(long seed) {
        return new SyntheticVenue(seed);
    }

    /** The market snapshot at {@link #TIME}. */
    public MarketSnapshot market() {
        return market;
    }

    /** Every listed instrument: per underlying 2 perpetuals, 18 futures and 648 options. */
    public List<Instrument> universe() {
        return universe;
    }

    /** The index price of an underlying ({@code BTC}, {@code ETH}, {@code SOL}). */
    public double spot(String underlying) {
        return spot[UNDERLYINGS.indexOf(underlying)];
    }

    /**
     * {@code count} accounts named {@code acct-0}, {@code acct-1}, ...: account i depends only on the seed and
     * i (not on count). Each is a mixture of strategies (short strangles hedged with perpetuals, covered
     * calls, calendar spreads, long spot financed with a loan, cross-asset perpetual pairs, cash-and-carry,
     * coin loans, random options), about 20 positions, with a stablecoin balance that leaves most accounts
     * healthy and some restricted, in liquidation or bankrupt.
     */
    public List<Portfolio> accounts(int count, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        List<Portfolio> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(account("acct-" + i, root.split()));
        }
        return out;
    }

    /**
     * A random portfolio for property tests: {@code positions} positions on any instrument of the universe
     * (repeats, exact opposites and the same option series in both settlements on purpose), entry prices
     * near the marks, and random coin balances (long or borrowed) and stablecoin balances.
     */
    public Portfolio randomPortfolio(SplittableRandom rnd, int positions) {
        Book book = new Book();
        int focus = 1 + rnd.nextInt(3);
        int firstUnit = rnd.nextInt(3);
        for (int p = 0; p < positions; p++) {
            double r = rnd.nextDouble();
            if (r < 0.15 && !book.positions.isEmpty()) {
                // repeat or offset an existing position
                Position old = book.positions.get(rnd.nextInt(book.positions.size()));
                double f = rnd.nextDouble() < 0.5 ? -1.0 : lotRound(rnd.nextDouble() * 2 - 1, 0.01);
                book.add(old.instrument(), old.size() * (f == 0 ? 1 : f), old.entryPrice());
                continue;
            }
            int u = (firstUnit + rnd.nextInt(focus)) % 3;
            if (r < 0.25) {
                book.add(perps[u][rnd.nextInt(2)], rnd, u, 1.0);
            } else if (r < 0.35) {
                book.add(futures[u][rnd.nextInt(ne)][rnd.nextInt(2)], rnd, u, 1.0);
            } else {
                int e = rnd.nextInt(ne);
                int k = rnd.nextInt(strikes[u].length);
                int c = rnd.nextInt(4);
                double q = signedSize(rnd, u, 1.0);
                book.add(options[u][e][k][c], q, Double.NaN);
                if (rnd.nextDouble() < 0.1) {
                    // the same series in the other settlement
                    book.add(options[u][e][k][c ^ 2], -q * (rnd.nextDouble() < 0.5 ? 1 : 0.5), Double.NaN);
                    p++;
                }
            }
        }
        for (int u = 0; u < 3; u++) {
            if (rnd.nextDouble() < 0.35) {
                double x = lotRound(TYPICAL[u] * Math.exp(2.0 * gaussian(rnd)) * 0.5, LOT[u] / 10);
                book.balance(UNDERLYINGS.get(u), rnd.nextDouble() < 0.3 ? -x : x);
            }
        }
        double usdc = Math.round(1e6 * Math.exp(1.5 * gaussian(rnd)));
        book.balance("USDC", rnd.nextDouble() < 0.1 ? -usdc / 10 : usdc);
        if (rnd.nextDouble() < 0.1) {
            book.balance("USDT", Math.round(2e5 * rnd.nextDouble()));
        }
        return book.portfolio("random");
    }

    // ---------------------------------------------------------------------------------------------

    private Portfolio account(String id, SplittableRandom rnd) {
        Book book = new Book();
        double scale = Math.exp(-1.0 + 2.2 * rnd.nextDouble() + 0.5 * gaussian(rnd));
        int target = 16 + rnd.nextInt(9);
        boolean usesLoan = false;
        while (book.positions.size() < target) {
            int u = pickUnderlying(rnd);
            int s = rnd.nextInt(100);
            if (s < 22) {
                shortStrangle(book, rnd, u, scale);
            } else if (s < 34) {
                coveredCalls(book, rnd, u, scale);
            } else if (s < 46) {
                calendar(book, rnd, u, scale);
            } else if (s < 54) {
                longSpotWithLoan(book, rnd, u, scale);
                usesLoan = true;
            } else if (s < 64) {
                crossAsset(book, rnd, scale);
            } else if (s < 72) {
                cashAndCarry(book, rnd, u, scale);
            } else if (s < 76) {
                coinLoan(book, rnd, u, scale);
            } else {
                randomOptions(book, rnd, u, scale);
            }
        }
        // collateral: equity about a multiple of a rough (conservative) requirement
        double requirement = book.roughRequirement();
        double x = rnd.nextDouble();
        double targetEquity;
        if (x < 0.80) {
            targetEquity = requirement * (1.2 + 3.0 * rnd.nextDouble());
        } else if (x < 0.93) {
            targetEquity = requirement * (0.3 + 0.9 * rnd.nextDouble());
        } else if (x < 0.98) {
            targetEquity = requirement * 0.3 * rnd.nextDouble();
        } else {
            targetEquity = -requirement * 0.1 * rnd.nextDouble();
        }
        double topUp = Math.round(targetEquity - book.roughEquity());
        book.balance(usesLoan ? "USDT" : "USDC", topUp);
        return book.portfolio(id);
    }

    private void shortStrangle(Book book, SplittableRandom rnd, int u, double scale) {
        int legs = 1 + rnd.nextInt(2);
        double delta = 0.0;
        int c = rnd.nextInt(2) * 2; // settlement
        for (int l = 0; l < legs; l++) {
            int e = rnd.nextInt(ne);
            int put = 2 + rnd.nextInt(5);   // 0.7..0.9
            int call = 10 + rnd.nextInt(5); // 1.1..1.4
            double q = -size(rnd, u, scale);
            book.add(options[u][e][put][c + 1], q, Double.NaN);
            book.add(options[u][e][call][c], q, Double.NaN);
            delta += q * (optionDelta[u][e][put][c + 1] + optionDelta[u][e][call][c]);
        }
        if (rnd.nextDouble() < 0.8) {
            hedge(book, rnd, u, -delta * (0.7 + 0.6 * rnd.nextDouble()));
        }
    }

    private void coveredCalls(Book book, SplittableRandom rnd, int u, double scale) {
        double x = size(rnd, u, scale);
        book.balance(UNDERLYINGS.get(u), x);
        int e = rnd.nextInt(ne);
        int k = 9 + rnd.nextInt(6);
        book.add(options[u][e][k][rnd.nextInt(2) * 2], -x, Double.NaN);
    }

    private void calendar(Book book, SplittableRandom rnd, int u, double scale) {
        int near = rnd.nextInt(ne - 2);
        int far = near + 1 + rnd.nextInt(ne - near - 1);
        int k = 6 + rnd.nextInt(7);
        int c = rnd.nextInt(4);
        double q = size(rnd, u, scale);
        book.add(options[u][near][k][c], -q, Double.NaN);
        book.add(options[u][far][k][c], q, Double.NaN);
    }

    private void longSpotWithLoan(Book book, SplittableRandom rnd, int u, double scale) {
        double x = size(rnd, u, scale) * 2;
        book.balance(UNDERLYINGS.get(u), x);
        book.balance("USDC", -Math.round(x * spot[u] * (0.3 + 0.5 * rnd.nextDouble())));
        if (rnd.nextDouble() < 0.5) {
            // protective puts
            book.add(options[u][3 + rnd.nextInt(ne - 3)][4 + rnd.nextInt(4)][1 + 2 * rnd.nextInt(2)], x, Double.NaN);
        }
    }

    private void crossAsset(Book book, SplittableRandom rnd, double scale) {
        int a = rnd.nextDouble() < 0.7 ? 0 : 2;
        int b = 1;
        double notional = scale * BASE_PRICE[0] * (0.5 + 2.0 * rnd.nextDouble());
        double sign = rnd.nextDouble() < 0.5 ? 1 : -1;
        perpNotional(book, rnd, a, sign * notional);
        perpNotional(book, rnd, b, -sign * notional * (0.8 + 0.4 * rnd.nextDouble()));
    }

    private void cashAndCarry(Book book, SplittableRandom rnd, int u, double scale) {
        int e = 3 + rnd.nextInt(ne - 3);
        int s = rnd.nextInt(2);
        double q = size(rnd, u, scale) * 2;
        if (s == 0) {
            book.add(futures[u][e][0], q, near(rnd, forward[u][e], 0.01));
            book.add(perps[u][0], -q, near(rnd, perpMark[u][0], 0.01));
        } else {
            double usd = Math.round(q * spot[u] / 10) * 10.0;
            book.add(futures[u][e][1], usd, near(rnd, forward[u][e], 0.01));
            book.add(perps[u][1], -usd, near(rnd, perpMark[u][1], 0.01));
        }
    }

    private void coinLoan(Book book, SplittableRandom rnd, int u, double scale) {
        double x = size(rnd, u, scale);
        book.balance(UNDERLYINGS.get(u), -x);
        book.balance("USDC", Math.round(x * spot[u]));
    }

    private void randomOptions(Book book, SplittableRandom rnd, int u, double scale) {
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            int e = rnd.nextInt(ne);
            int k = rnd.nextInt(strikes[u].length);
            book.add(options[u][e][k][rnd.nextInt(4)], signedSize(rnd, u, scale), Double.NaN);
        }
    }

    private void hedge(Book book, SplittableRandom rnd, int u, double deltaCoin) {
        if (Math.abs(deltaCoin) < LOT[u] / 10) {
            return;
        }
        perpNotional(book, rnd, u, deltaCoin * spot[u]);
    }

    /** A perpetual position of about {@code usd} delta notional, linear or inverse at random. */
    private void perpNotional(Book book, SplittableRandom rnd, int u, double usd) {
        int s = rnd.nextInt(2);
        double entry = near(rnd, perpMark[u][s], 0.02);
        if (s == 0) {
            double q = lotRound(usd / spot[u], LOT[u] / 10);
            if (q != 0) {
                book.add(perps[u][0], q, entry);
            }
        } else {
            double q = Math.round(usd / 10) * 10.0;
            if (q != 0) {
                book.add(perps[u][1], q, entry);
            }
        }
    }

    private int pickUnderlying(SplittableRandom rnd) {
        double r = rnd.nextDouble();
        return r < 0.55 ? 0 : r < 0.85 ? 1 : 2;
    }

    private static double size(SplittableRandom rnd, int u, double scale) {
        double q = lotRound(TYPICAL[u] * scale * Math.exp(0.7 * gaussian(rnd)), LOT[u]);
        return q == 0 ? LOT[u] : q;
    }

    private static double signedSize(SplittableRandom rnd, int u, double scale) {
        return rnd.nextDouble() < 0.5 ? -size(rnd, u, scale) : size(rnd, u, scale);
    }

    /** x rounded to a multiple of lot, exact for decimal lots (0.1 x 3 gives 0.3, not 0.30000000000000004). */
    private static double lotRound(double x, double lot) {
        if (lot >= 1) {
            return Math.round(x / lot) * lot;
        }
        double perUnit = Math.round(1.0 / lot);
        return Math.round(x * perUnit) / perUnit;
    }

    private static double near(SplittableRandom rnd, double mark, double relative) {
        return Math.round(mark * (1.0 + relative * gaussian(rnd)) * 100.0) / 100.0;
    }

    /** A standard normal draw: Box-Muller with StrictMath, stable across JVMs. */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    private int expiryIndex(Instant t) {
        for (int e = 0; e < ne; e++) {
            if (expiry[e].equals(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not a listed expiry: " + t);
    }

    private int underlyingIndex(Instrument ins) {
        return switch (ins.underlying()) {
            case "BTC" -> 0;
            case "ETH" -> 1;
            default -> 2;
        };
    }

    /** An account under construction, with the running figures of the rough requirement. */
    private final class Book {
        final List<Position> positions = new ArrayList<>(32);
        final Map<String, Double> balances = new LinkedHashMap<>();
        double value;
        double requirement;

        void add(Instrument ins, SplittableRandom rnd, int u, double scale) {
            if (ins instanceof Perpetual p) {
                int s = p.isLinear() ? 0 : 1;
                double q = signedSize(rnd, u, scale);
                add(ins, s == 0 ? q : Math.round(q * spot[u] / 10) * 10.0, near(rnd, perpMark[u][s], 0.03));
            } else {
                Future f = (Future) ins;
                int e = expiryIndex(f.expiry());
                double q = signedSize(rnd, u, scale);
                add(ins, f.isLinear() ? q : Math.round(q * spot[u] / 10) * 10.0, near(rnd, forward[u][e], 0.03));
            }
        }

        void add(Instrument ins, double size, double entry) {
            if (size == 0) {
                return;
            }
            positions.add(Position.of(ins, size, entry, "positions"));
            int u = underlyingIndex(ins);
            double r = SCAN_RANGE[u];
            switch (ins) {
                case Perpetual p -> {
                    int s = p.isLinear() ? 0 : 1;
                    double m = perpMark[u][s];
                    value += p.isLinear() ? size * (m - entry) : size * (1 / entry - 1 / m) * spot[u];
                    requirement += (p.isLinear() ? Math.abs(size) * spot[u] : Math.abs(size)) * r * 1.1;
                }
                case Future f -> {
                    int e = expiryIndex(f.expiry());
                    double m = forward[u][e];
                    value += f.isLinear() ? size * (m - entry) : size * (1 / entry - 1 / m) * spot[u];
                    requirement += (f.isLinear() ? Math.abs(size) * spot[u] : Math.abs(size)) * r * 1.1;
                }
                case EuropeanOption o -> {
                    int e = expiryIndex(o.expiry());
                    int k = java.util.Arrays.binarySearch(strikes[u], o.strike());
                    int c = (o.isLinear() ? 0 : 2) + (o.type() == OptionType.PUT ? 1 : 0);
                    value += size * optionValue[u][e][k][c];
                    if (size < 0) {
                        double d = Math.abs(optionDelta[u][e][k][c]);
                        requirement += -size * spot[u] * (r * (0.3 + d) + 0.01);
                    }
                }
            }
        }

        void balance(String asset, double amount) {
            balances.merge(asset, amount, Double::sum);
        }

        double roughEquity() {
            double eq = value;
            for (Map.Entry<String, Double> b : balances.entrySet()) {
                int u = UNDERLYINGS.indexOf(b.getKey());
                eq += b.getValue() * (u < 0 ? 1.0 : spot[u]);
            }
            return eq;
        }

        double roughRequirement() {
            double req = requirement;
            for (Map.Entry<String, Double> b : balances.entrySet()) {
                int u = UNDERLYINGS.indexOf(b.getKey());
                double usd = b.getValue() * (u < 0 ? 1.0 : spot[u]);
                req += u < 0 ? 0.0 : Math.abs(usd) * SCAN_RANGE[u];
                req += usd < 0 ? 0.05 * -usd : 0.0;
            }
            return Math.max(req, 1000.0);
        }

        Portfolio portfolio(String id) {
            return new Portfolio(id, balances, positions);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SyntheticVenue[BTC %.0f, ETH %.2f, SOL %.2f, %d instruments]", spot[0],
            spot[1], spot[2], universe.size());
    }
}
