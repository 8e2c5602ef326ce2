package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.params.MarginParameters;
import io.upm.pricing.ResolvedInstrument;
import io.upm.testkit.SyntheticVenue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The multi-source index inside the engine (MODEL.md section 9, issue 8): quotes from three sources price BTC; one
 * source attacked (a spike, a frozen feed, a slow drift, zeros) moves the index by less than 0.1% and changes no
 * account's status; two sources dark make the index stale and the halt rules hold until they return; the
 * confidence add-on raises IM by exactly rate x |delta x S|; a market command cannot move an indexed price.
 */
class EngineIndexTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MarginParameters PARAMS = MarginParameters.defaults();
    private static final long T0 = SyntheticVenue.TIME.getEpochSecond();
    private static final String[] SOURCES = {"binance", "coinbase", "kraken"};

    private static String at(long t) {
        return Instant.ofEpochSecond(t).toString();
    }

    private static String quote(long t, String source, double price) {
        return String.format(Locale.ROOT, "{\"type\":\"quote\",\"time\":\"%s\",\"source\":\"%s\",\"asset\":\"BTC\",\"price\":%s}",
            at(t), source, price);
    }

    private static String line(String type, long t, String rest) {
        return "{\"type\":\"" + type + "\",\"time\":\"" + at(t) + "\"," + rest + "}";
    }

    /** A market and accounts of several kinds on BTC (and one on ETH only), all healthy with room to spare. */
    private static List<String> opening() {
        List<String> l = new ArrayList<>();
        l.add(CommandStreams.market(T0, new double[] {90_000, 3_000, 150}, true));
        String[][] accounts = {
            {"long-perp", "BTC_USDC-PERPETUAL", "2"}, {"short-perp", "BTC_USDC-PERPETUAL", "-2"},
            {"inverse", "BTC-PERPETUAL", "-100000"}, {"eth-only", "ETH_USDC-PERPETUAL", "10"}};
        for (String[] a : accounts) {
            l.add(line("deposit", T0, "\"account\":\"" + a[0] + "\",\"asset\":\"USDC\",\"amount\":200000"));
            if (a[1].equals("BTC-PERPETUAL")) {
                l.add(line("deposit", T0, "\"account\":\"" + a[0] + "\",\"asset\":\"BTC\",\"amount\":1.2"));
            }
            double price = a[1].startsWith("ETH") ? 3_000 : 90_000;
            l.add(line("fill", T0, "\"account\":\"" + a[0] + "\",\"instrument\":\"" + a[1] + "\",\"size\":" + a[2]
                + ",\"price\":" + price));
        }
        return l;
    }

    /** What a source does at step k of the path (price at time t; NaN: silent). */
    @FunctionalInterface
    private interface Source {
        double price(int k, long t, double honest);
    }

    /** Two hours of quotes every 10 s along a seeded honest path; source 2 replaced by {@code attacker}. */
    private static List<String> path(long seed, Source attacker) {
        List<String> l = opening();
        SplittableRandom rnd = new SplittableRandom(seed);
        double s = 90_000;
        for (int k = 0; k < 720; k++) {
            long t = T0 + 10 + 10L * k;
            s *= 1 + 0.0006 * (rnd.nextDouble() - 0.5); // ~1.5% a day of noise at 10 s steps
            for (int q = 0; q < 3; q++) {
                double honest = s * (1 + 0.0001 * (rnd.nextDouble() - 0.5));
                double p = q == 2 && attacker != null ? attacker.price(k, t, honest) : honest;
                if (!Double.isNaN(p)) {
                    l.add(quote(t, SOURCES[q], Math.round(p * 100) / 100.0));
                }
            }
        }
        return l;
    }

    private static List<JsonNode> run(MarginEngine engine, List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        long seq = 0;
        for (String l : lines) {
            seq++;
            ReadResult r = CommandReader.read(l);
            try {
                if (r instanceof ReadResult.Parsed p) {
                    List<String> ev = new ArrayList<>();
                    engine.apply(seq, p.command(), e -> ev.add(EventWriter.toJsonLine(e)));
                    for (String e : ev) {
                        out.add(JSON.readTree(e));
                    }
                } else {
                    out.add(JSON.readTree(EventWriter.toJsonLine(((ReadResult.Malformed) r).toEvent(seq))));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The BTC index after each quote time (the last index event of each seq). */
    private static TreeMap<Long, Double> indexPath(List<JsonNode> events) {
        TreeMap<Long, Double> out = new TreeMap<>();
        for (JsonNode e : events) {
            if (e.get("type").asText().equals("index") && e.get("asset").asText().equals("BTC") && !e.get("price").isNull()) {
                out.put(e.get("seq").asLong(), e.get("price").asDouble());
            }
        }
        return out;
    }

    /** Each account's statuses, in order. */
    private static Map<String, List<String>> statuses(List<JsonNode> events) {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode e : events) {
            if (e.get("type").asText().equals("margin")) {
                List<String> s = out.computeIfAbsent(e.get("account").asText(), k -> new ArrayList<>());
                String status = e.get("status").asText();
                if (s.isEmpty() || !s.get(s.size() - 1).equals(status)) {
                    s.add(status);
                }
            }
        }
        return out;
    }

    @Test
    void oneAttackedSourceOfThreeMovesTheIndexByLessThanATenthOfAPercentAndNoStatus() {
        List<JsonNode> honest = run(new MarginEngine(PARAMS), path(1, null));
        TreeMap<Long, Double> honestPath = indexPath(honest);
        assertThat(honestPath).hasSizeGreaterThan(500);
        Map<String, Source> attacks = new LinkedHashMap<>();
        attacks.put("a +50% spike for ten minutes", (k, t, h) -> k >= 300 && k < 360 ? h * 1.5 : h);
        double[] frozen = new double[1];
        attacks.put("a feed frozen after 20 minutes", (k, t, h) -> {
            if (k <= 120) {
                frozen[0] = h;
            }
            return frozen[0];
        });
        attacks.put("a slow drift of 1% an hour", (k, t, h) -> h * (1 + 0.01 * (k * 10) / 3600.0));
        attacks.put("a feed quoting 0 (rejected: the source goes silent)", (k, t, h) -> k >= 100 ? 0.0 : h);
        for (var a : attacks.entrySet()) {
            frozen[0] = 0;
            List<JsonNode> attacked = run(new MarginEngine(PARAMS), path(1, a.getValue()));
            TreeMap<Long, Double> p = indexPath(attacked);
            // the same command positions carry the same honest quotes: compare the index at each quote time
            double worst = 0;
            Double last = null;
            Double lastHonest = null;
            for (long seq = 1; seq <= Math.max(p.lastKey(), honestPath.lastKey()); seq++) {
                last = p.getOrDefault(seq, last);
                lastHonest = honestPath.getOrDefault(seq, lastHonest);
                if (last != null && lastHonest != null) {
                    worst = Math.max(worst, Math.abs(last / lastHonest - 1));
                }
            }
            assertThat(worst).as(a.getKey()).isLessThan(0.001);
            assertThat(statuses(attacked)).as(a.getKey()).isEqualTo(statuses(honest));
            assertThat(attacked.stream().filter(e -> e.get("type").asText().equals("index"))
                .noneMatch(e -> e.get("status").asText().equals("stale"))).as(a.getKey()).isTrue();
        }
    }

    @Test
    void twoSourcesDarkMakeTheIndexStaleAndTheHaltRulesHoldUntilTheyReturn() {
        List<String> l = opening();
        long t = T0 + 10;
        for (; t < T0 + 600; t += 10) {
            for (String s : SOURCES) {
                l.add(quote(t, s, 90_000));
            }
        }
        // coinbase and kraken go dark: only binance quotes; 60 s later the index is stale
        for (; t < T0 + 900; t += 10) {
            l.add(quote(t, "binance", 90_100));
        }
        int before = l.size();
        l.add(line("order", t, "\"account\":\"long-perp\",\"id\":\"more\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,\"price\":90000"));
        l.add(line("order", t, "\"account\":\"long-perp\",\"id\":\"less\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":-1,\"price\":90000"));
        l.add(line("withdraw", t, "\"account\":\"long-perp\",\"asset\":\"USDC\",\"amount\":10"));
        l.add(line("withdraw", t, "\"account\":\"eth-only\",\"asset\":\"USDC\",\"amount\":10"));
        // they return
        t += 10;
        for (String s : SOURCES) {
            l.add(quote(t, s, 90_050));
        }
        l.add(line("order", t, "\"account\":\"long-perp\",\"id\":\"more2\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,\"price\":90000"));
        l.add(line("withdraw", t, "\"account\":\"long-perp\",\"asset\":\"USDC\",\"amount\":10"));
        MarginEngine engine = new MarginEngine(PARAMS);
        List<JsonNode> events = run(engine, l);

        List<String> btcStatuses = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.get("type").asText().equals("index") && e.get("asset").asText().equals("BTC")) {
                btcStatuses.add(e.get("status").asText());
            }
        }
        // two of three dark: no quorum at once (ok, then stale); back, they quote one by one (degraded, then ok)
        assertThat(btcStatuses.subList(0, 2)).containsExactly("ok", "stale");
        assertThat(btcStatuses.get(btcStatuses.size() - 1)).isEqualTo("ok");
        Map<Long, JsonNode> answer = new TreeMap<>();
        for (JsonNode e : events) {
            String type = e.get("type").asText();
            if (type.equals("accepted") || type.equals("rejected")) {
                answer.put(e.get("seq").asLong(), e);
            }
        }
        JsonNode more = answer.get((long) before + 1);
        assertThat(more.get("type").asText()).isEqualTo("rejected");
        assertThat(more.get("reason").asText()).contains("BTC").contains("stale").contains("raise the maintenance margin");
        assertThat(answer.get((long) before + 2).get("type").asText()).as("a risk-reducing order").isEqualTo("accepted");
        JsonNode withdraw = answer.get((long) before + 3);
        assertThat(withdraw.get("type").asText()).isEqualTo("rejected");
        assertThat(withdraw.get("reason").asText()).contains("BTC").contains("stale");
        assertThat(answer.get((long) before + 4).get("type").asText()).as("an account without BTC").isEqualTo("accepted");
        assertThat(answer.get((long) before + 8).get("type").asText()).as("after the return").isEqualTo("accepted");
        assertThat(answer.get((long) before + 9).get("type").asText()).as("after the return").isEqualTo("accepted");
        // while stale the index kept its last value; the market took the index price
        assertThat(engine.market().priceOrNaN("BTC")).isEqualTo(90_050.0);
    }

    @Test
    void theConfidenceAddOnRaisesInitialMarginByRateTimesDeltaTimesSpot() {
        // the same account, priced by one source and by three sources that disagree by 2% (all within the band)
        List<String> one = opening();
        one.add(quote(T0 + 10, "binance", 91_000));
        one.add(line("deposit", T0 + 11, "\"account\":\"long-perp\",\"asset\":\"USDC\",\"amount\":1"));
        List<String> three = opening();
        three.add(quote(T0 + 10, "binance", 90_000));
        three.add(quote(T0 + 10, "coinbase", 91_000));
        three.add(quote(T0 + 10, "kraken", 91_800));
        three.add(line("deposit", T0 + 11, "\"account\":\"long-perp\",\"asset\":\"USDC\",\"amount\":1"));
        MarginEngine a = new MarginEngine(PARAMS);
        MarginEngine b = new MarginEngine(PARAMS);
        List<JsonNode> ea = run(a, one);
        List<JsonNode> eb = run(b, three);
        JsonNode ma = ea.get(ea.size() - 1);
        JsonNode mb = eb.get(eb.size() - 1);
        assertThat(ma.get("type").asText()).isEqualTo("margin");
        assertThat(a.market().priceOrNaN("BTC")).isEqualTo(91_000.0);
        assertThat(b.market().priceOrNaN("BTC")).isEqualTo(91_000.0);
        assertThat(mb.get("maintenanceMargin").asDouble()).isEqualTo(ma.get("maintenanceMargin").asDouble());
        assertThat(mb.get("equity").asDouble()).isEqualTo(ma.get("equity").asDouble());
        double d = (91_800.0 - 90_000.0) / 91_000.0;
        double rate = 1.0 * Math.max(0, d - 0.005);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        calc.compute(b.universe(), b.account("long-perp").resolve(b.universe()), -1);
        double deltaUsd = 0;
        for (int u = 0; u < calc.unitCount(); u++) {
            if (b.universe().asset(calc.unitAsset(u)).equals("BTC")) {
                deltaUsd = Math.abs(calc.unitGreek(u, ResolvedInstrument.DELTA) * 91_000.0);
            }
        }
        assertThat(deltaUsd).isGreaterThan(100_000);
        double added = mb.get("initialMargin").asDouble() - ma.get("initialMargin").asDouble();
        assertThat(added).isCloseTo(rate * deltaUsd, org.assertj.core.data.Percentage.withPercentage(1e-7));
    }

    @Test
    void aMarketCommandCannotMoveThePriceOfAnAssetThatSourcesQuote() {
        List<String> l = opening();
        l.add(quote(T0 + 10, "binance", 90_500));
        l.add(line("market", T0 + 20, "\"prices\":{\"BTC\":50000,\"ETH\":3100}"));
        MarginEngine engine = new MarginEngine(PARAMS);
        List<JsonNode> events = run(engine, l);
        assertThat(events).noneMatch(e -> e.get("type").asText().equals("rejected"));
        assertThat(engine.market().priceOrNaN("BTC")).isEqualTo(90_500.0);
        assertThat(engine.market().priceOrNaN("ETH")).isEqualTo(3_100.0);
    }
}
