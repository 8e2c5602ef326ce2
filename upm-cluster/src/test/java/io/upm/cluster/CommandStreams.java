package io.upm.cluster;

import io.upm.product.EuropeanOption;
import io.upm.product.Future;
import io.upm.product.Instrument;
import io.upm.product.Perpetual;
import io.upm.product.Settlement;
import io.upm.testkit.SyntheticVenue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A frozen copy of upm-engine's test streams (io.upm.engine.core.CommandStreams) as they were before the engine
 * quoted prices and liquidated: the engine's streams now hold leveraged accounts and crashes, and a partition does not
 * reproduce liquidation, whose cascade guard budget and auto-deleveraging are venue-wide (on those streams a
 * partitioned run parts from {@code upm engine} at the first liquidation step; docs/cluster.md). Until the cluster
 * has its venue-wide liquidation stage, its equivalence is checked on these streams, which liquidate no account.
 * Seeded random command streams for the engine's tests: a market on BTC, ETH and SOL (forwards, marks, flat vols,
 * correlations, ADV), deposits, orders (and their fills, partial or whole), cancels, direct fills on every
 * instrument kind (linear and inverse perpetuals, futures and options), market ticks, funding, the passage of time
 * over the first weekly expiry (settled by the engine itself), a few malformed lines, and a report for every
 * account at the end. Times never decrease; the stream depends on the seed only.
 */
final class CommandStreams {
    static final SyntheticVenue VENUE = SyntheticVenue.create(2026L);

    private CommandStreams() {
    }

    static List<String> stream(long seed, int accounts, int commands) {
        return stream(seed, accounts, commands, 120);
    }

    /**
     * A stream whose commands are 1 to {@code maxStepSeconds} apart (plus the hours that pass now and then); 0: a
     * venue's pace, a hundred commands a second, no hours passing, and trading on a set of instruments (one in 30 of
     * the venue's) rather than on any.
     */
    static List<String> stream(long seed, int accounts, int commands, int maxStepSeconds) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        List<Instrument> universe = VENUE.universe();
        if (maxStepSeconds == 0) {
            // a venue's pace: trading concentrates on a set of instruments listed early (every 30th of the venue's)
            List<Instrument> liquid = new ArrayList<>();
            for (int k = 0; k < universe.size(); k += 30) {
                liquid.add(universe.get(k));
            }
            universe = liquid;
        }
        long t = SyntheticVenue.TIME.getEpochSecond();
        double[] spot = {VENUE.spot("BTC"), VENUE.spot("ETH"), VENUE.spot("SOL")};
        out.add(market(t, spot, true));
        for (int a = 0; a < accounts; a++) {
            out.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"acct-%d\",\"asset\":\"USDC\",\"amount\":%d}",
                at(t), a, 200_000 + rnd.nextInt(2_000_000)));
            if (rnd.nextDouble() < 0.3) {
                out.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"acct-%d\",\"asset\":\"BTC\",\"amount\":%s}",
                    at(t), a, 0.5 + rnd.nextInt(10) / 4.0));
            }
        }
        List<String[]> resting = new ArrayList<>(); // account, id, instrument, size, price
        List<String[]> traded = new ArrayList<>(); // account, instrument, size
        int orderId = 0;
        while (out.size() < commands) {
            t += maxStepSeconds > 0 ? 1 + rnd.nextInt(maxStepSeconds) : (out.size() % 100 == 0 ? 1 : 0);
            double x = rnd.nextDouble();
            String acct = "acct-" + rnd.nextInt(accounts);
            if (x < 0.10) {
                for (int u = 0; u < 3; u++) {
                    spot[u] *= 1 + 0.02 * (rnd.nextDouble() - 0.5);
                }
                out.add(market(t, spot, false));
            } else if (x < 0.35) {
                Instrument ins = universe.get(rnd.nextInt(universe.size()));
                double size = size(rnd, ins, spot);
                String id = "o" + orderId++;
                double price = price(rnd, ins, spot);
                out.add(String.format(Locale.ROOT, "{\"type\":\"order\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                    at(t), acct, id, ins.name(), size, price));
                resting.add(new String[] {acct, id, ins.name(), String.valueOf(size), String.valueOf(price)});
            } else if (x < 0.50 && !resting.isEmpty()) {
                String[] o = resting.remove(rnd.nextInt(resting.size()));
                double size = Double.parseDouble(o[3]);
                double part = rnd.nextBoolean() ? size : Math.round(size * 0.5 * 1e6) / 1e6;
                out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s,\"fee\":%s,\"order\":\"%s\"}",
                    at(t), o[0], o[2], part == 0 ? size : part, o[4], Math.round(rnd.nextDouble() * 100) / 10.0, o[1]));
            } else if (x < 0.55 && !resting.isEmpty()) {
                String[] o = resting.remove(rnd.nextInt(resting.size()));
                out.add(String.format(Locale.ROOT, "{\"type\":\"cancel\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"%s\"}", at(t), o[0], o[1]));
            } else if (x < 0.70 && !traded.isEmpty()) {
                // reduce, close or flip an earlier trade: realised P&L
                String[] old = traded.get(rnd.nextInt(traded.size()));
                Instrument ins = io.upm.product.InstrumentNames.parse(old[1], "x");
                double f = new double[] {-0.5, -1.0, -1.5}[rnd.nextInt(3)];
                out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                    at(t), old[0], old[1], Math.round(Double.parseDouble(old[2]) * f * 1e4) / 1e4, price(rnd, ins, spot)));
            } else if (x < 0.80) {
                Instrument ins = universe.get(rnd.nextInt(universe.size()));
                double size = size(rnd, ins, spot);
                out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                    at(t), acct, ins.name(), size, price(rnd, ins, spot)));
                traded.add(new String[] {acct, ins.name(), String.valueOf(size)});
            } else if (x < 0.85) {
                String perp = new String[] {"BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "ETH-PERPETUAL", "SOL_USDC-PERPETUAL"}[rnd.nextInt(4)];
                out.add(String.format(Locale.ROOT, "{\"type\":\"funding\",\"time\":\"%s\",\"instrument\":\"%s\",\"rate\":%s}",
                    at(t), perp, (rnd.nextDouble() - 0.3) * 2e-4));
            } else if (x < 0.90) {
                out.add(String.format(Locale.ROOT, "{\"type\":\"withdraw\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":%d}",
                    at(t), acct, 1_000 + rnd.nextInt(300_000)));
            } else if (x < 0.93) {
                out.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":%d}",
                    at(t), acct, 1_000 + rnd.nextInt(100_000)));
            } else if (x < 0.95) {
                out.add(malformed(rnd, t, acct));
            } else {
                int hours = 1 + rnd.nextInt(6);
                t += maxStepSeconds > 0 ? 3_600L * hours : 0; // hours pass: options decay, the weekly expiry comes and is settled
                out.add(String.format(Locale.ROOT, "{\"type\":\"report\",\"time\":\"%s\",\"account\":\"%s\"}", at(t), acct));
            }
        }
        t += 1;
        for (int a = 0; a < accounts; a++) {
            out.add(String.format(Locale.ROOT, "{\"type\":\"report\",\"time\":\"%s\",\"account\":\"acct-%d\"}", at(t), a));
        }
        return out;
    }

    /**
     * A crash: {@link #stream(long, int, int, int) a stream} at a venue's pace of a few seconds, then its accounts
     * lever up on perpetuals (long, 5 to 15 times their first deposit) and every price falls by about 1% to 4% a tick
     * for {@code ticks} ticks 5 to 40 seconds apart, with deposits, reports and trades in between: accounts fall below
     * MM together, in several partitions, the guard's budget binds, the fund grows and pays bad debt.
     */
    static List<String> crash(long seed, int accounts, int commands, int ticks) {
        return crash(seed, accounts, commands, ticks, 150_000.0, 0.03);
    }

    /** As {@link #crash(long, int, int, int)} with the perpetual notional per unit of leverage and the largest extra fall per tick. */
    static List<String> crash(long seed, int accounts, int commands, int ticks, double notionalPerLeverage, double fall) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<String> out = new ArrayList<>(stream(seed, accounts, commands, 4));
        long t = java.time.Instant.parse(lastTime(out)).getEpochSecond() + 1;
        double[] spot = {VENUE.spot("BTC"), VENUE.spot("ETH"), VENUE.spot("SOL")};
        String[] perps = {"BTC_USDC-PERPETUAL", "ETH_USDC-PERPETUAL", "SOL_USDC-PERPETUAL"};
        out.add(market(t, spot, false));
        for (int a = 0; a < accounts; a++) {
            int u = rnd.nextInt(3);
            double usd = (5 + rnd.nextInt(11)) * notionalPerLeverage / 3;
            out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"acct-%d\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                at(t), a, perps[u], Math.round(usd / spot[u] * 1e4) / 1e4, round(spot[u])));
        }
        for (int k = 0; k < ticks; k++) {
            t += 5 + rnd.nextInt(36);
            for (int u = 0; u < 3; u++) {
                spot[u] *= 1 - 0.01 - fall * rnd.nextDouble();
            }
            out.add(market(t, spot, false));
            for (int j = rnd.nextInt(4); j > 0; j--) {
                t += rnd.nextInt(3);
                String acct = "acct-" + rnd.nextInt(accounts);
                out.add(rnd.nextBoolean()
                    ? String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":%d}",
                        at(t), acct, 1_000 + rnd.nextInt(50_000))
                    : String.format(Locale.ROOT, "{\"type\":\"report\",\"time\":\"%s\",\"account\":\"%s\"}", at(t), acct));
            }
        }
        t += 61;
        for (int a = 0; a < accounts; a++) {
            out.add(String.format(Locale.ROOT, "{\"type\":\"report\",\"time\":\"%s\",\"account\":\"acct-%d\"}", at(t), a));
        }
        return out;
    }

    private static String lastTime(List<String> lines) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"time\":\"([^\"]+)\"").matcher(lines.getLast());
        if (!m.find()) {
            throw new IllegalStateException("no time in " + lines.getLast());
        }
        return m.group(1);
    }

    private static String malformed(SplittableRandom rnd, long t, String acct) {
        return switch (rnd.nextInt(8)) {
            case 0 -> "not json";
            case 1 -> String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":\"NaN\"}", at(t), acct);
            case 2 -> String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"%s\",\"instrument\":\"BTC-32DEC25\",\"size\":1,\"price\":1}", at(t), acct);
            case 3 -> String.format(Locale.ROOT, "{\"type\":\"order\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"x\",\"instrument\":\"BTC-PERPETUAL\",\"size\":1e400,\"price\":1}", at(t), acct);
            case 4 -> String.format(Locale.ROOT, "{\"type\":\"withdraw\",\"time\":\"%s\",\"account\":\"nobody\",\"asset\":\"USDC\",\"amount\":1}", at(t));
            case 5 -> String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"%s\",\"asset\":\"USDC\",\"amount\":5,\"extra\":1}", at(t), acct);
            case 6 -> String.format(Locale.ROOT, "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":-1}}", at(t));
            default -> String.format(Locale.ROOT, "{\"type\":\"cancel\",\"time\":\"%s\",\"account\":\"%s\",\"id\":\"never\"}", at(t), acct);
        };
    }

    private static int unit(Instrument ins) {
        return switch (ins.underlying()) {
            case "BTC" -> 0;
            case "ETH" -> 1;
            default -> 2;
        };
    }

    private static double size(SplittableRandom rnd, Instrument ins, double[] spot) {
        double usd = (rnd.nextBoolean() ? 1 : -1) * (5_000 + rnd.nextInt(200_000));
        boolean inverseDelta1 = !(ins instanceof EuropeanOption) && ins.settlement() == Settlement.INVERSE;
        double q = inverseDelta1 ? Math.round(usd / 10) * 10.0 : usd / spot[unit(ins)];
        return Math.round(q * 1e4) / 1e4 == 0 ? 1e-4 : Math.round(q * 1e4) / 1e4;
    }

    private static double price(SplittableRandom rnd, Instrument ins, double[] spot) {
        double s = spot[unit(ins)];
        if (ins instanceof EuropeanOption o) {
            double intrinsic = o.type().isCall() ? Math.max(0, s - o.strike()) : Math.max(0, o.strike() - s);
            double usd = intrinsic + s * (0.01 + 0.05 * rnd.nextDouble());
            double p = o.settlement() == Settlement.INVERSE ? usd / s : usd;
            return Math.round(p * 1e6) / 1e6;
        }
        double basis = ins instanceof Future ? 1.01 : ins instanceof Perpetual ? 1.0003 : 1.0;
        return Math.round(s * basis * (1 + 0.004 * (rnd.nextDouble() - 0.5)) * 100) / 100.0;
    }

    private static String at(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    static String market(long t, double[] spot, boolean full) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "{\"type\":\"market\",\"time\":\"%s\",\"prices\":{\"BTC\":%s,\"ETH\":%s,\"SOL\":%s",
            at(t), round(spot[0]), round(spot[1]), round(spot[2])));
        if (full) {
            b.append(",\"USDC\":1,\"USDT\":1}");
            b.append(",\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7},\"SOL\":{\"flat\":0.9}}");
            b.append(",\"correlations\":{\"BTC/ETH\":0.8,\"BTC/SOL\":0.7,\"ETH/SOL\":0.75}");
            b.append(",\"adv\":{\"BTC\":25000000000,\"ETH\":12000000000,\"SOL\":3000000000}");
        } else {
            b.append("}");
        }
        b.append(String.format(Locale.ROOT, ",\"marks\":{\"BTC-PERPETUAL\":%s,\"BTC_USDC-PERPETUAL\":%s,\"ETH-PERPETUAL\":%s,\"ETH_USDC-PERPETUAL\":%s}",
            round(spot[0] * 1.0002), round(spot[0] * 1.0003), round(spot[1] * 1.0002), round(spot[1] * 1.0001)));
        b.append("}");
        return b.toString();
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
