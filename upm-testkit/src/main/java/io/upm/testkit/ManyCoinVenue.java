package io.upm.testkit;

import io.upm.market.MarketSnapshot;
import io.upm.pricing.Black76;
import io.upm.product.EuropeanOption;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.OptionType;
import io.upm.product.Perpetual;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import io.upm.product.Settlement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded synthetic venue of many coins (up to {@link #MAX_COINS}), for accounts of many risk units: per coin an
 * index price, an ADV, linear and inverse perpetuals and linear options on three expiries (seven strikes, calls
 * and puts) under a flat vol; correlations of a one-factor model (rho_ab = l_a l_b, loadings 0.55 to 0.95: a
 * valid correlation matrix), every pair given.
 *
 * <p>{@link #accounts} draws the mix of a universal venue: most accounts on 1 to 3 coins, some on 4 to 20, a few
 * on 30 to 50; each coin of an account carries one strategy (a short straddle with a perpetual hedge, a
 * directional perpetual, a covered call, a long put, a coin balance), with USDC collateral. Test support only.
 */
public final class ManyCoinVenue {
    /** The most coins a venue lists. */
    public static final int MAX_COINS = 60;
    /** The snapshot time. */
    public static final Instant TIME = Instant.parse("2025-11-25T08:00:00Z");
    private static final String[] EXPIRIES = {"26DEC25", "27MAR26", "25SEP26"};
    private static final double[] MONEYNESS = {0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5};

    private final int coins;
    private final String[] code;
    private final double[] spot;
    private final double[] strikeStep;
    private final MarketSnapshot market;
    private final List<Instrument> universe;
    private final Perpetual[][] perps;          // [coin][0 linear, 1 inverse]
    private final EuropeanOption[][][][] options; // [coin][expiry][strike][0 call, 1 put]
    private final double[][][][] optionValue;

    private ManyCoinVenue(int coins, long seed) {
        if (coins < 1 || coins > MAX_COINS) {
            throw new IllegalArgumentException("coins must be in [1, " + MAX_COINS + "]: " + coins);
        }
        this.coins = coins;
        SplittableRandom rnd = new SplittableRandom(seed);
        code = new String[coins];
        spot = new double[coins];
        strikeStep = new double[coins];
        perps = new Perpetual[coins][2];
        options = new EuropeanOption[coins][EXPIRIES.length][MONEYNESS.length][2];
        optionValue = new double[coins][EXPIRIES.length][MONEYNESS.length][2];
        double[] loading = new double[coins];
        MarketSnapshot.Builder b = MarketSnapshot.builder(TIME);
        b.price("USDC", 1.0);
        List<Instrument> all = new ArrayList<>();
        for (int c = 0; c < coins; c++) {
            code[c] = coinCode(c);
            double magnitude = Math.pow(10, -1 + 5 * rnd.nextDouble());
            strikeStep[c] = Math.pow(10, Math.floor(Math.log10(magnitude)) - 1);
            spot[c] = Math.round(magnitude / strikeStep[c] * 10) * strikeStep[c] / 10;
            double vol = 0.45 + 0.7 * rnd.nextDouble();
            loading[c] = Math.sqrt(0.55 + 0.4 * rnd.nextDouble());
            b.price(code[c], spot[c]).adv(code[c], Math.pow(10, 7 + 3 * rnd.nextDouble())).flatVol(code[c], vol);
            perps[c][0] = new Perpetual(code[c] + "_USDC-PERPETUAL", code[c], Settlement.LINEAR);
            perps[c][1] = new Perpetual(code[c] + "-PERPETUAL", code[c], Settlement.INVERSE);
            all.add(perps[c][0]);
            all.add(perps[c][1]);
            for (int e = 0; e < EXPIRIES.length; e++) {
                Instant expiry = ExpiryCodes.parse(EXPIRIES[e], "expiry");
                double t = (expiry.getEpochSecond() - TIME.getEpochSecond()) / MarketSnapshot.SECONDS_PER_YEAR;
                for (int k = 0; k < MONEYNESS.length; k++) {
                    double strike = Math.max(strikeStep[c], Math.round(spot[c] * MONEYNESS[k] / strikeStep[c]) * strikeStep[c]);
                    String kt = strikeText(strike);
                    for (int p = 0; p < 2; p++) {
                        EuropeanOption o = new EuropeanOption(code[c] + "_USDC-" + EXPIRIES[e] + "-" + kt.replace('.', 'd')
                            + (p == 0 ? "-C" : "-P"),
                            code[c], Settlement.LINEAR, expiry, Double.parseDouble(kt), p == 0 ? OptionType.CALL : OptionType.PUT);
                        options[c][e][k][p] = o;
                        optionValue[c][e][k][p] = Black76.price(p == 0, spot[c], o.strike(), t, vol, 0.0);
                        all.add(o);
                    }
                }
            }
        }
        for (int a = 0; a < coins; a++) {
            for (int z = a + 1; z < coins; z++) {
                b.correlation(code[a] + "/" + code[z], Math.round(loading[a] * loading[z] * 1e4) / 1e4);
            }
        }
        market = b.build();
        universe = Collections.unmodifiableList(all);
    }

    /** A venue listing {@code coins} coins. */
    public static ManyCoinVenue create(int coins, long seed) {
        return new ManyCoinVenue(coins, seed);
    }

    /** The market snapshot at {@link #TIME}. */
    public MarketSnapshot market() {
        return market;
    }

    /** Every listed instrument. */
    public List<Instrument> universe() {
        return universe;
    }

    /** Number of coins. */
    public int coins() {
        return coins;
    }

    /** The code of coin c: three or four upper-case letters, unique. */
    public static String coinCode(int c) {
        return "C" + (char) ('A' + c / 26) + (char) ('A' + c % 26);
    }

    private static String strikeText(double strike) {
        String s = java.math.BigDecimal.valueOf(strike).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s.substring(0, Math.min(s.length(), s.indexOf('.') + 5)).replaceAll("0+$", "") : s;
    }

    /**
     * {@code count} accounts ({@code acct-0}, ...), account i depending only on the seed and i: the unit count
     * drawn as a universal venue's (70% 1 to 3 coins, 25% 4 to 20, 5% 30 to 50, capped at the venue's coins).
     */
    public List<Portfolio> accounts(int count, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        List<Portfolio> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SplittableRandom rnd = root.split();
            double x = rnd.nextDouble();
            int units = x < 0.70 ? 1 + rnd.nextInt(3) : x < 0.95 ? 4 + rnd.nextInt(17) : 30 + rnd.nextInt(21);
            out.add(account("acct-" + i, Math.min(units, coins), rnd));
        }
        return out;
    }

    /** An account on {@code units} distinct coins, one strategy each. */
    public Portfolio account(String id, int units, SplittableRandom rnd) {
        List<Position> positions = new ArrayList<>();
        Map<String, Double> balances = new TreeMap<>();
        int[] pick = new int[coins];
        for (int c = 0; c < coins; c++) {
            pick[c] = c;
        }
        double notional = 0.0;
        for (int u = 0; u < units; u++) {
            int j = u + rnd.nextInt(coins - u);
            int c = pick[j];
            pick[j] = pick[u];
            pick[u] = c;
            double usd = 1e4 * Math.exp(2.5 * rnd.nextDouble());
            double q = usd / spot[c];
            notional += usd;
            int e = rnd.nextInt(EXPIRIES.length);
            int s = rnd.nextInt(5);
            switch (s) {
                case 0 -> { // short straddle, delta-hedged with the linear perpetual
                    positions.add(Position.of(options[c][e][3][0], -q, Double.NaN, "x"));
                    positions.add(Position.of(options[c][e][3][1], -q, Double.NaN, "x"));
                    positions.add(Position.of(perps[c][0], q * (rnd.nextDouble() - 0.5) * 0.4, spot[c], "x"));
                }
                case 1 -> { // directional perpetual, linear or inverse
                    double sign = rnd.nextBoolean() ? 1 : -1;
                    if (rnd.nextBoolean()) {
                        positions.add(Position.of(perps[c][0], sign * q, spot[c] * (1 + 0.02 * (rnd.nextDouble() - 0.5)), "x"));
                    } else {
                        positions.add(Position.of(perps[c][1], sign * usd, spot[c] * (1 + 0.02 * (rnd.nextDouble() - 0.5)), "x"));
                    }
                }
                case 2 -> { // covered call
                    balances.merge(code[c], q, Double::sum);
                    positions.add(Position.of(options[c][e][4 + rnd.nextInt(3)][0], -q, Double.NaN, "x"));
                }
                case 3 -> { // long put against a coin balance
                    balances.merge(code[c], q, Double::sum);
                    positions.add(Position.of(options[c][e][1 + rnd.nextInt(2)][1], q, Double.NaN, "x"));
                }
                default -> balances.merge(code[c], rnd.nextBoolean() ? q : -q * 0.5, Double::sum);
            }
        }
        balances.merge("USDC", (double) Math.round(notional * (0.05 + 0.6 * rnd.nextDouble())), Double::sum);
        return new Portfolio(id, balances, positions);
    }
}
