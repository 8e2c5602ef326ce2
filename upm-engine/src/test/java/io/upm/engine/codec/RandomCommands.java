package io.upm.engine.codec;

import io.upm.engine.command.CancelCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.CommandType;
import io.upm.engine.command.DepositCommand;
import io.upm.engine.command.FillCommand;
import io.upm.engine.command.FundingCommand;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.command.QuoteCommand;
import io.upm.engine.command.ReportCommand;
import io.upm.engine.command.SettleCommand;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.command.WithdrawCommand;
import io.upm.market.MarketFields;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Perpetual;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random valid commands of every type, with awkward values: ids with quotes, backslashes, control and
 * non-ASCII characters; numbers from 1e-9 to 1e12, integral and not, negative sizes and fees; times with and without
 * fractions of a second; market commands with any subset of the snapshot's fields.
 */
final class RandomCommands {
    private static final String[] ASSETS = {"BTC", "ETH", "SOL", "XRP", "USDC", "A1"};
    private static final String[] UNDERLYINGS = {"BTC", "ETH", "SOL", "XRP"};
    private static final String ID_CHARS = "abcXYZ019-_ .:/\"\\\t\n\u00e9\u4e2d\u0001\u007f\ud83d\ude00";

    private final SplittableRandom rnd;

    RandomCommands(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    Command next() {
        Instant time = time();
        CommandType type = CommandType.values()[rnd.nextInt(CommandType.values().length)];
        return switch (type) {
            case MARKET -> new MarketCommand(time, marketFields(time));
            case QUOTE -> new QuoteCommand(time, id(), asset(), price());
            case DEPOSIT -> new DepositCommand(time, id(), asset(), amount());
            case WITHDRAW -> new WithdrawCommand(time, id(), asset(), amount());
            case ORDER -> new OrderCommand(time, id(), id(), instrument(time), size(), price());
            case CANCEL -> new CancelCommand(time, id(), id());
            case FILL -> new FillCommand(time, id(), instrument(time), size(), price(),
                rnd.nextBoolean() ? OptionalDouble.of(signed(amount())) : OptionalDouble.empty(),
                rnd.nextBoolean() ? Optional.of(id()) : Optional.empty());
            case FUNDING -> new FundingCommand(time, perpetual(), rnd.nextDouble(-1, 1) * pow10(-rnd.nextInt(6)));
            case SETTLE -> new SettleCommand(time, underlying(), expiryAfter(time),
                rnd.nextBoolean() ? OptionalDouble.of(price()) : OptionalDouble.empty());
            case REPORT -> new ReportCommand(time, id());
            case SNAPSHOT -> new SnapshotCommand(time);
            case HEDGE -> new io.upm.engine.command.HedgeCommand(time, id(), switch (rnd.nextInt(4)) {
                case 0 -> java.util.Optional.<io.upm.hedge.HedgeGoal>empty();
                case 1 -> java.util.Optional.of(io.upm.hedge.HedgeGoal.HEALTHY);
                case 2 -> java.util.Optional.of(io.upm.hedge.HedgeGoal.MIN_MM);
                default -> java.util.Optional.of(io.upm.hedge.HedgeGoal.targetRatio(
                    rnd.nextInt(3) == 0 ? 1.0 : 1e-3 + rnd.nextDouble() * 0.999));
            }, rnd.nextBoolean() ? java.util.OptionalInt.of(1 + rnd.nextInt(64)) : java.util.OptionalInt.empty());
            case ACCOUNT -> new io.upm.engine.command.AccountOptionsCommand(time, id(), rnd.nextBoolean());
        };
    }

    Instant time() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(rnd.nextLong(5L * 365 * 86400));
        return switch (rnd.nextInt(3)) {
            case 0 -> t;
            case 1 -> t.plusMillis(rnd.nextInt(1000));
            default -> t.plusNanos(rnd.nextInt(1_000_000_000));
        };
    }

    String id() {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(ID_CHARS.length());
            char c = ID_CHARS.charAt(at);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(ID_CHARS.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        String s = sb.toString();
        return s.isBlank() ? "x" + s : s;
    }

    String asset() {
        return ASSETS[rnd.nextInt(ASSETS.length)];
    }

    String underlying() {
        return UNDERLYINGS[rnd.nextInt(UNDERLYINGS.length)];
    }

    /** Positive, from 1e-9 to 1e12, integral about a third of the time. */
    double price() {
        double v = (1 + rnd.nextDouble() * 9) * pow10(rnd.nextInt(-9, 12));
        return rnd.nextInt(3) == 0 ? Math.max(1, Math.rint(v)) : v;
    }

    double amount() {
        double v = (1 + rnd.nextDouble() * 9) * pow10(rnd.nextInt(-9, 15));
        return rnd.nextInt(3) == 0 ? Math.max(1, Math.rint(v)) : v;
    }

    double size() {
        return signed(amount());
    }

    double signed(double v) {
        return rnd.nextBoolean() ? v : -v;
    }

    Instant expiryAfter(Instant time) {
        LocalDate d = time.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1 + rnd.nextInt(800));
        if (d.getYear() > 2099) {
            d = LocalDate.of(2099, 12, 31);
        }
        return d.atTime(8, 0).toInstant(ZoneOffset.UTC);
    }

    String expiryCode(Instant time) {
        String code = ExpiryCodes.format(expiryAfter(time));
        // DDMMMYY with a leading zero reads as the same expiry
        return code.length() == 6 && rnd.nextInt(4) == 0 ? "0" + code : code;
    }

    Perpetual perpetual() {
        return (Perpetual) InstrumentNames.parse(head() + "-PERPETUAL", "instrument");
    }

    Instrument instrument(Instant time) {
        String name = switch (rnd.nextInt(3)) {
            case 0 -> head() + "-PERPETUAL";
            case 1 -> head() + "-" + expiryCode(time);
            default -> head() + "-" + expiryCode(time) + "-" + strikeText() + "-" + (rnd.nextBoolean() ? "C" : "P");
        };
        return InstrumentNames.parse(name, "instrument");
    }

    private String head() {
        String u = underlying();
        return switch (rnd.nextInt(3)) {
            case 0 -> u;
            case 1 -> u + "_USDC";
            default -> u + "_USDT";
        };
    }

    private String strikeText() {
        return switch (rnd.nextInt(3)) {
            case 0 -> Integer.toString(1 + rnd.nextInt(200_000));
            case 1 -> "0d" + (1 + rnd.nextInt(999));
            default -> (1 + rnd.nextInt(99)) + "." + rnd.nextInt(1, 10);
        };
    }

    MarketFields marketFields(Instant time) {
        MarketFields.Builder b = MarketFields.builder(time);
        if (rnd.nextBoolean()) {
            for (String a : pick(ASSETS)) {
                b.price(a, price());
            }
        }
        if (rnd.nextBoolean()) {
            for (String u : pick(UNDERLYINGS)) {
                Set<Instant> seen = new HashSet<>();
                for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                    String code = expiryCode(time);
                    if (seen.add(ExpiryCodes.parse(code, "x"))) {
                        b.forward(u, code, price());
                    }
                }
            }
        }
        if (rnd.nextBoolean()) {
            for (String u : pick(UNDERLYINGS)) {
                b.mark((rnd.nextBoolean() ? u : u + "_USDC") + "-PERPETUAL", price());
            }
        }
        if (rnd.nextBoolean()) {
            for (String u : pick(UNDERLYINGS)) {
                if (rnd.nextBoolean()) {
                    b.flatVol(u, vol());
                } else {
                    Set<Instant> seen = new HashSet<>();
                    for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                        String code = expiryCode(time);
                        if (!seen.add(ExpiryCodes.parse(code, "x"))) {
                            continue;
                        }
                        Set<Double> strikes = new HashSet<>();
                        for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                            int strike = 1 + rnd.nextInt(200_000);
                            if (strikes.add((double) strike)) {
                                b.vol(u, code, Integer.toString(strike), vol());
                            }
                        }
                    }
                }
            }
        }
        if (rnd.nextBoolean()) {
            List<String> us = pick(UNDERLYINGS);
            for (int i = 0; i + 1 < us.size(); i += 2) {
                b.correlation(us.get(i) + "/" + us.get(i + 1), rnd.nextDouble(-1, 1));
            }
        }
        if (rnd.nextBoolean()) {
            for (String u : pick(UNDERLYINGS)) {
                b.adv(u, (1 + rnd.nextDouble()) * pow10(rnd.nextInt(14)));
            }
        }
        if (rnd.nextBoolean()) {
            b.rate(rnd.nextDouble(-0.2, 0.2));
        }
        return b.build();
    }

    private double vol() {
        return rnd.nextInt(5) == 0 ? 20 : rnd.nextDouble(0.01, 3);
    }

    private List<String> pick(String[] from) {
        List<String> out = new ArrayList<>();
        for (String s : from) {
            if (rnd.nextInt(3) != 0) {
                out.add(s);
            }
        }
        java.util.Collections.shuffle(out, new java.util.Random(rnd.nextLong()));
        return out;
    }

    private static double pow10(int e) {
        return Math.pow(10, e);
    }

    /** A random time step, for streams of commands in time order. */
    Duration step() {
        return Duration.ofMillis(rnd.nextInt(5000));
    }
}
