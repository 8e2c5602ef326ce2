package io.upm.service.demo;

import io.upm.product.ExpiryCodes;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's synthetic venue as engine commands: a market (BTC, ETH, USDC; flat vols; correlation 0.8) at the crash
 * path's first prices, and {@code accounts} seeded accounts ({@code demo-01}, ...) with USDC collateral and perpetuals
 * and options bought and sold at various leverages: hedged books, long perpetuals at 1.5x to 4.2x, short puts and short
 * strangles. The leveraged longs and the short puts fall into liquidation when the crash comes. Immutable; the same
 * seed gives the same commands.
 *
 * @param setup  the commands that build the venue (market, deposits, fills), in time order
 * @param expiry the options' expiry code
 */
public record DemoVenue(List<String> setup, String expiry) {

    /** Copies the commands. */
    public DemoVenue {
        setup = List.copyOf(setup);
    }

    /**
     * Builds the venue one minute before the path's first step.
     *
     * @param path     the price path (its first step sets the prices)
     * @param accounts how many accounts (1 to 99)
     * @param seed     the seed of the accounts' books
     */
    public static DemoVenue create(CrashPath path, int accounts, long seed) {
        if (accounts < 1 || accounts > 99) {
            throw new IllegalArgumentException("accounts: 1 to 99, got " + accounts);
        }
        CrashPath.Step first = path.steps().get(0);
        Instant t0 = first.time().minusSeconds(600);
        String expiry = expiryAfter(t0);
        List<String> lines = new ArrayList<>();
        lines.add(market(t0, first.btc(), first.eth(), true));
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant t = t0.plusSeconds(60);
        double btc = first.btc();
        double eth = first.eth();
        for (int a = 1; a <= accounts; a++) {
            String id = String.format(Locale.ROOT, "demo-%02d", a);
            double collateral = 20_000 + Math.round(rnd.nextDouble() * 180) * 1_000;
            lines.add(deposit(t, id, "USDC", collateral));
            int kind = (a - 1) % 5;
            double leverage = 1.5 + rnd.nextDouble() * 2.7;
            switch (kind) {
                case 0 -> // long BTC linear perpetual at 2x to 12x
                    lines.add(fill(t, id, "BTC_USDC-PERPETUAL", round4(collateral * leverage / btc), btc));
                case 1 -> { // long ETH perpetual, short a little BTC against it
                    lines.add(fill(t, id, "ETH_USDC-PERPETUAL", round4(collateral * leverage / eth), eth));
                    lines.add(fill(t, id, "BTC_USDC-PERPETUAL", -round4(collateral * leverage * 0.3 / btc), btc));
                }
                case 2 -> { // short puts 15% below spot
                    double strike = Math.round(btc * 0.85 / 250) * 250;
                    double size = round4(collateral * leverage / btc / 4);
                    lines.add(fill(t, id, "BTC_USDC-" + expiry + "-" + (long) strike + "-P", -size, btc * 0.02));
                }
                case 3 -> { // a hedged book: long spot-like perpetual against short inverse perpetual
                    double usd = Math.round(collateral * leverage / 10) * 10;
                    lines.add(fill(t, id, "BTC-PERPETUAL", -usd, btc));
                    lines.add(fill(t, id, "BTC_USDC-PERPETUAL", round4(usd / btc), btc));
                }
                default -> { // short strangle on ETH
                    double call = Math.round(eth * 1.2 / 5) * 5;
                    double put = Math.round(eth * 0.8 / 5) * 5;
                    double size = round4(collateral * leverage / eth / 6);
                    lines.add(fill(t, id, "ETH_USDC-" + expiry + "-" + (long) call + "-C", -size, eth * 0.03));
                    lines.add(fill(t, id, "ETH_USDC-" + expiry + "-" + (long) put + "-P", -size, eth * 0.03));
                }
            }
        }
        return new DemoVenue(lines, expiry);
    }

    /** The expiry code of the last Friday of the month after next, 08:00 UTC (a Deribit quarterly-like date). */
    static String expiryAfter(Instant t) {
        LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate().plusMonths(2)
            .with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY));
        return ExpiryCodes.format(d.atTime(8, 0).toInstant(ZoneOffset.UTC));
    }

    /** A market command: prices and perpetual marks at the step, and (first time) vols, correlation, ADV. */
    public static String market(Instant t, double btc, double eth, boolean full) {
        StringBuilder sb = new StringBuilder("{\"type\":\"market\",\"time\":\"").append(t).append("\",\"prices\":{\"BTC\":")
            .append(btc).append(",\"ETH\":").append(eth);
        if (full) {
            sb.append(",\"USDC\":1");
        }
        sb.append("},\"marks\":{\"BTC-PERPETUAL\":").append(btc).append(",\"BTC_USDC-PERPETUAL\":").append(btc)
            .append(",\"ETH_USDC-PERPETUAL\":").append(eth).append('}');
        if (full) {
            sb.append(",\"vols\":{\"BTC\":{\"flat\":0.65},\"ETH\":{\"flat\":0.8}},\"correlations\":{\"BTC/ETH\":0.8},"
                + "\"adv\":{\"BTC\":20000000000,\"ETH\":8000000000}");
        }
        return sb.append('}').toString();
    }

    private static String deposit(Instant t, String account, String asset, double amount) {
        return "{\"type\":\"deposit\",\"time\":\"" + t + "\",\"account\":\"" + account + "\",\"asset\":\"" + asset
            + "\",\"amount\":" + amount + "}";
    }

    private static String fill(Instant t, String account, String instrument, double size, double price) {
        return "{\"type\":\"fill\",\"time\":\"" + t + "\",\"account\":\"" + account + "\",\"instrument\":\"" + instrument
            + "\",\"size\":" + size + ",\"price\":" + round2(price) + "}";
    }

    private static double round4(double x) {
        return Math.max(0.0001, Math.round(x * 10_000) / 10_000.0);
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
