package io.upm.backtest.simulate;

import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A synthetic venue for the crash simulator, generated from a seed at the window's first prices: accounts of many
 * kinds and leverages whose positions net to zero across the venue, instrument by instrument, exactly (sizes are
 * whole lots; every trade has a long and a short side; what no account of the generated kinds takes is held by four
 * well-capitalised market makers).
 *
 * <p>Kinds (share of the accounts): {@code long-perp} and {@code short-perp} in mirrored pairs (36%), {@code pair}
 * BTC against ETH in mirrored pairs (10%), {@code basis} long coin bought with a USDC loan and short the perpetual
 * (10%), {@code spot-loan} long coin with a USDC loan (8%), {@code coin-loan} a borrowed coin sold for USDC (4%),
 * {@code short-strangle} (delta-hedged with the perpetual) against an {@code option-buyer} (28%), {@code protective-put}
 * long coin and long put (6%). The underlying of a trade is drawn in proportion to its ADV; account sizes are
 * log-normal (and 2% of accounts ten times larger), scaled so that the venue's gross notional is about
 * {@code openInterestShare} of the ADVs. Each account has a utilisation: its equity as a multiple of its initial
 * margin under the policy simulated (70% from 1.1 to 3, 20% from 1.02 to 1.1, 10% from 3 to 8; market makers 3), the
 * same draw for every policy. Entry prices are the window's first prices (perpetual marks at the index); options are
 * linear (USDC), expiring on the first Friday at least 28 days after the window.
 *
 * <p>Immutable; a pure function of its inputs (SplittableRandom, StrictMath for the draws).
 */
public final class SimulatedVenue {
    /** The number of market makers. */
    public static final int MARKET_MAKERS = 4;

    /**
     * One position of an account.
     *
     * @param instrument the instrument's name
     * @param lots       signed whole lots
     * @param size       lots x lot size (underlying units; USD for inverse perpetuals)
     * @param entry      entry price (NaN for options)
     */
    public record Holding(String instrument, long lots, double size, double entry) {
    }

    /**
     * An account as generated, before its collateral.
     *
     * @param id          account id
     * @param kind        the kind (see the class documentation)
     * @param utilisation equity as a multiple of the initial margin of the policy simulated
     * @param holdings    positions, by instrument name
     * @param balances    coin and stablecoin balances before the collateral top-up (loans negative)
     */
    public record Account(String id, String kind, double utilisation, List<Holding> holdings,
                          Map<String, Double> balances) {
    }

    private final Instant start;
    private final Map<String, Double> startPrice;
    private final List<Instrument> universe;
    private final List<Account> accounts;
    private final Instant optionExpiry;

    private record Trade(int longAccount, int shortAccount, String instrument, double size) {
    }

    private SimulatedVenue(Instant start, Map<String, Double> startPrice, List<Instrument> universe, List<Account> accounts,
                           Instant optionExpiry) {
        this.start = start;
        this.startPrice = startPrice;
        this.universe = universe;
        this.accounts = accounts;
        this.optionExpiry = optionExpiry;
    }

    /**
     * Generates a venue.
     *
     * @param prices  the underlyings present (BTC first) and their prices at the window's start
     * @param adv     their ADVs, USD
     * @param start   the window's start
     * @param end     the window's end (options expire at least 28 days later)
     */
    public static SimulatedVenue generate(Map<String, Double> prices, Map<String, Double> adv, Instant start, Instant end,
                                          SimulationSettings settings) {
        List<String> unders = new ArrayList<>(prices.keySet());
        ZonedDateTime e = end.plusSeconds(28L * 86400).atZone(ZoneOffset.UTC).withHour(8).withMinute(0).withSecond(0)
            .withNano(0);
        while (e.getDayOfWeek() != DayOfWeek.FRIDAY || !e.toInstant().isAfter(end.plusSeconds(28L * 86400 - 1))) {
            e = e.plusDays(1);
        }
        Instant expiry = e.toInstant();
        String code = ExpiryCodes.format(expiry);
        Map<String, Instrument> byName = new LinkedHashMap<>();
        for (String u : unders) {
            double s = prices.get(u);
            for (String n : new String[] {u + "_USDC-PERPETUAL", u + "-PERPETUAL", option(u, code, s, 0.85, "P"),
                option(u, code, s, 0.90, "P"), option(u, code, s, 1.15, "C")}) {
                byName.putIfAbsent(n, InstrumentNames.parse(n, "instrument"));
            }
        }
        SplittableRandom rnd = new SplittableRandom(settings.seed());
        int target = settings.accounts() - MARKET_MAKERS;
        List<String> kinds = new ArrayList<>();
        List<Double> util = new ArrayList<>();
        List<Double> scale = new ArrayList<>();
        List<Trade> trades = new ArrayList<>();
        List<Map<String, Double>> balances = new ArrayList<>();
        double totalAdv = 0;
        for (String u : unders) {
            totalAdv += adv.get(u);
        }
        while (kinds.size() < target) {
            double r = rnd.nextDouble() * 100;
            double n = notional(rnd);
            String u = pick(rnd, unders, adv, totalAdv);
            double s = prices.get(u);
            boolean linear = rnd.nextBoolean();
            String perp = linear ? u + "_USDC-PERPETUAL" : u + "-PERPETUAL";
            double perpSize = linear ? n / s : n;
            if (r < 36 && kinds.size() + 2 <= target) {
                int a = add(kinds, util, scale, balances, rnd, "long-perp", n);
                int b = add(kinds, util, scale, balances, rnd, "short-perp", n);
                trades.add(new Trade(a, b, perp, perpSize));
            } else if (r < 46 && unders.contains("ETH") && kinds.size() + 2 <= target) {
                int a = add(kinds, util, scale, balances, rnd, "pair", n);
                int b = add(kinds, util, scale, balances, rnd, "pair", n);
                double eth = n * (0.9 + 0.2 * rnd.nextDouble()) / prices.get("ETH");
                trades.add(new Trade(a, b, "BTC_USDC-PERPETUAL", n / prices.get("BTC")));
                trades.add(new Trade(b, a, "ETH_USDC-PERPETUAL", eth));
            } else if (r < 56) {
                int a = add(kinds, util, scale, balances, rnd, "basis", n);
                balances.get(a).merge(u, n / s, Double::sum);
                balances.get(a).merge("USDC", -n * (0.6 + 0.35 * rnd.nextDouble()), Double::sum);
                trades.add(new Trade(-1, a, perp, perpSize));
            } else if (r < 64) {
                int a = add(kinds, util, scale, balances, rnd, "spot-loan", n);
                balances.get(a).merge(u, n / s, Double::sum);
                balances.get(a).merge("USDC", -n * (0.3 + 0.5 * rnd.nextDouble()), Double::sum);
            } else if (r < 68) {
                int a = add(kinds, util, scale, balances, rnd, "coin-loan", n);
                balances.get(a).merge(u, -n / s, Double::sum);
                balances.get(a).merge("USDC", n, Double::sum);
            } else if (r < 94 && kinds.size() + 2 <= target) {
                int a = add(kinds, util, scale, balances, rnd, "short-strangle", n);
                int b = add(kinds, util, scale, balances, rnd, "option-buyer", n);
                double q = n / s;
                trades.add(new Trade(b, a, option(u, code, s, 0.85, "P"), q));
                trades.add(new Trade(b, a, option(u, code, s, 1.15, "C"), q));
                if (rnd.nextDouble() < 0.8) { // delta hedge: the strangle is short gamma, about delta-neutral
                    double h = q * 0.1 * (rnd.nextDouble() - 0.5);
                    if (h != 0.0) {
                        trades.add(h > 0 ? new Trade(a, -1, u + "_USDC-PERPETUAL", h)
                            : new Trade(-1, a, u + "_USDC-PERPETUAL", -h));
                    }
                }
            } else if (r >= 94) {
                int a = add(kinds, util, scale, balances, rnd, "protective-put", n);
                balances.get(a).merge(u, n / s, Double::sum);
                trades.add(new Trade(a, -1, option(u, code, s, 0.90, "P"), n / s));
            }
        }
        // scale to the open-interest share of the ADVs
        double gross = 0;
        for (Trade t : trades) {
            gross += (t.longAccount >= 0 ? 1 : 0) * usd(t, prices, byName) * scale.get(t.longAccount >= 0 ? t.longAccount : 0)
                + (t.shortAccount >= 0 ? 1 : 0) * usd(t, prices, byName) * scale.get(t.shortAccount >= 0 ? t.shortAccount : 0);
        }
        double k = settings.openInterestShare() * totalAdv / Math.max(gross, 1e-9);
        int total = kinds.size() + MARKET_MAKERS;
        List<TreeMap<String, Long>> lots = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            lots.add(new TreeMap<>());
        }
        TreeMap<String, Long> net = new TreeMap<>();
        for (Trade t : trades) {
            int owner = t.longAccount >= 0 ? t.longAccount : t.shortAccount;
            long l = Math.round(t.size * k * scale.get(owner) / lot(t.instrument));
            if (l == 0) {
                continue;
            }
            if (t.longAccount >= 0) {
                lots.get(t.longAccount).merge(t.instrument, l, Long::sum);
                net.merge(t.instrument, l, Long::sum);
            }
            if (t.shortAccount >= 0) {
                lots.get(t.shortAccount).merge(t.instrument, -l, Long::sum);
                net.merge(t.instrument, -l, Long::sum);
            }
        }
        for (Map.Entry<String, Long> x : net.entrySet()) { // market makers take the rest
            long rest = -x.getValue();
            for (int m = 0; m < MARKET_MAKERS; m++) {
                long share = rest / MARKET_MAKERS + (m == 0 ? rest % MARKET_MAKERS : 0);
                if (share != 0) {
                    lots.get(kinds.size() + m).merge(x.getKey(), share, Long::sum);
                }
            }
        }
        List<Account> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            boolean mm = i >= kinds.size();
            String id = mm ? "mm-" + (i - kinds.size()) : String.format("acct-%05d", i);
            List<Holding> hs = new ArrayList<>();
            for (Map.Entry<String, Long> x : lots.get(i).entrySet()) {
                if (x.getValue() == 0) {
                    continue;
                }
                Instrument ins = byName.get(x.getKey());
                double size = x.getValue() * lot(x.getKey());
                double entry = ins instanceof io.upm.product.EuropeanOption ? Double.NaN : prices.get(ins.underlying());
                hs.add(new Holding(x.getKey(), x.getValue(), size, entry));
            }
            Map<String, Double> b = new TreeMap<>();
            if (!mm) {
                double f = k * scale.get(i);
                balances.get(i).forEach((asset, v) -> b.put(asset, v * f));
            }
            out.add(new Account(id, mm ? "market-maker" : kinds.get(i), mm ? 3.0 : util.get(i),
                Collections.unmodifiableList(hs), Collections.unmodifiableMap(b)));
        }
        return new SimulatedVenue(start, Collections.unmodifiableMap(new LinkedHashMap<>(prices)),
            List.copyOf(byName.values()), Collections.unmodifiableList(out), expiry);
    }

    /**
     * A venue of given accounts (hand-made venues for tests and examples): instruments by name (Deribit names), the
     * accounts as they are; nothing is netted or scaled.
     */
    public static SimulatedVenue of(Map<String, Double> prices, Instant start, List<String> instruments,
                                    List<Account> accounts) {
        List<Instrument> universe = new ArrayList<>();
        for (String n : instruments) {
            universe.add(InstrumentNames.parse(n, "instrument"));
        }
        return new SimulatedVenue(start, Collections.unmodifiableMap(new LinkedHashMap<>(prices)), List.copyOf(universe),
            List.copyOf(accounts), null);
    }

    private static double usd(Trade t, Map<String, Double> prices, Map<String, Instrument> byName) {
        Instrument ins = byName.get(t.instrument);
        boolean inverse = t.instrument.equals(ins.underlying() + "-PERPETUAL");
        return inverse ? t.size : t.size * prices.get(ins.underlying());
    }

    private static int add(List<String> kinds, List<Double> util, List<Double> scale, List<Map<String, Double>> balances,
                           SplittableRandom rnd, String kind, double notional) {
        kinds.add(kind);
        double x = rnd.nextDouble();
        util.add(x < 0.7 ? 1.1 + 1.9 * rnd.nextDouble() : x < 0.9 ? 1.02 + 0.08 * rnd.nextDouble()
            : 3.0 + 5.0 * rnd.nextDouble());
        scale.add(1.0);
        balances.add(new TreeMap<>());
        return kinds.size() - 1;
    }

    /** A notional before scaling: log-normal, 2% ten times larger. */
    private static double notional(SplittableRandom rnd) {
        double g = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - rnd.nextDouble()))
            * StrictMath.cos(2.0 * Math.PI * rnd.nextDouble());
        double n = StrictMath.exp(g - 0.5);
        return rnd.nextDouble() < 0.02 ? 10 * n : n;
    }

    private static String pick(SplittableRandom rnd, List<String> unders, Map<String, Double> adv, double totalAdv) {
        double x = rnd.nextDouble() * totalAdv;
        for (String u : unders) {
            x -= adv.get(u);
            if (x < 0) {
                return u;
            }
        }
        return unders.get(unders.size() - 1);
    }

    /** The option name of a moneyness: strike rounded to a step of about 1% of spot (at least 1 USD). */
    static String option(String u, String code, double spot, double moneyness, String type) {
        double step = Math.max(1.0, Math.pow(10, Math.floor(Math.log10(spot * 0.02))));
        long strike = Math.round(spot * moneyness / step) * (long) step;
        return u + "_USDC-" + code + "-" + strike + "-" + type;
    }

    /** The lot of an instrument: perpetuals BTC 0.001, ETH 0.01, SOL 0.1 (inverse: 10 USD); options 0.01, 0.1, 1. */
    static double lot(String instrument) {
        boolean inverse = instrument.endsWith("-PERPETUAL") && !instrument.contains("_");
        if (inverse) {
            return 10.0;
        }
        boolean option = !instrument.endsWith("-PERPETUAL");
        String u = instrument.substring(0, instrument.indexOf(instrument.contains("_") ? '_' : '-'));
        double base = switch (u) {
            case "BTC" -> 0.001;
            case "ETH" -> 0.01;
            default -> 0.1;
        };
        return option ? base * 10 : base;
    }

    /** The window's start. */
    public Instant start() {
        return start;
    }

    /** The underlyings' prices at the start. */
    public Map<String, Double> startPrices() {
        return startPrice;
    }

    /** The instruments listed. */
    public List<Instrument> universe() {
        return universe;
    }

    /** The accounts, market makers last. */
    public List<Account> accounts() {
        return accounts;
    }

    /** The options' expiry. */
    public Instant optionExpiry() {
        return optionExpiry;
    }

    /** The net position of the venue in an instrument, in lots (0 for every instrument). */
    public long netLots(String instrument) {
        long n = 0;
        for (Account a : accounts) {
            for (Holding h : a.holdings()) {
                if (h.instrument().equals(instrument)) {
                    n += h.lots();
                }
            }
        }
        return n;
    }
}
