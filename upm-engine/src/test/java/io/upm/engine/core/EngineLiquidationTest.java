package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.engine.journal.Journal;
import io.upm.engine.liquidation.InsuranceFund;
import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.testkit.SyntheticVenue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquidation inside the engine (MODEL.md section 11, issue 9): a venue of leveraged longs and shorts on BTC, then
 * BTC falls 20% in one tick. The engine calls margins, cancels the resting orders of accounts below MM, liquidates
 * them step by step (each step lowers MM), within the cascade guard's budget per minute, worst first; bankrupt
 * accounts end with nothing; money is conserved exactly; the engine's own lines are journaled, and a replay and a
 * restart reproduce everything byte for byte.
 */
class EngineLiquidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MarginParameters PARAMS = MarginParameters.defaults();
    private static final long T0 = SyntheticVenue.TIME.getEpochSecond();

    private static String at(long t) {
        return Instant.ofEpochSecond(t).toString();
    }

    private static String line(String type, long t, String rest) {
        return "{\"type\":\"" + type + "\",\"time\":\"" + at(t) + "\"," + rest + "}";
    }

    /** 40 accounts, longs and shorts of BTC perpetuals at 3x to 7x, some with options and resting orders; a crash. */
    static List<String> crash(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> l = new ArrayList<>();
        // a thin BTC market (ADV 4bn) so that the cascade guard binds: 10% of ADV / 1440 = 278k USD a minute
        l.add(line("market", T0, "\"prices\":{\"BTC\":90000,\"ETH\":3000,\"SOL\":150,\"USDC\":1,\"USDT\":1},"
            + "\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7},\"SOL\":{\"flat\":0.9}},"
            + "\"correlations\":{\"BTC/ETH\":0.8,\"BTC/SOL\":0.7,\"ETH/SOL\":0.75},"
            + "\"adv\":{\"BTC\":4000000000,\"ETH\":12000000000,\"SOL\":3000000000}"));
        for (int a = 0; a < 40; a++) {
            String id = String.format(Locale.ROOT, "acct-%02d", a);
            double equity = 20_000 + rnd.nextInt(40_000);
            double leverage = 3 + 4 * rnd.nextDouble();
            double size = Math.round(equity * leverage / 90_000 * 1e4) / 1e4 * (a % 2 == 0 ? 1 : -1);
            l.add(line("deposit", T0 + 1, "\"account\":\"" + id + "\",\"asset\":\"USDC\",\"amount\":" + equity));
            l.add(line("fill", T0 + 1, "\"account\":\"" + id + "\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":" + size
                + ",\"price\":90000"));
            if (a % 5 == 0) {
                l.add(line("fill", T0 + 1, "\"account\":\"" + id + "\",\"instrument\":\"BTC_USDC-26DEC25-80000-P\","
                    + "\"size\":-1,\"price\":1500"));
            }
            if (a % 4 == 0) {
                l.add(line("order", T0 + 1, "\"account\":\"" + id + "\",\"id\":\"r" + a + "\",\"instrument\":"
                    + "\"BTC_USDC-PERPETUAL\",\"size\":-0.01,\"price\":95000"));
            }
        }
        // the crash, then a command every 20 s for 45 minutes (time moves: the guard's budget renews every minute)
        l.add(line("market", T0 + 60, "\"prices\":{\"BTC\":72000}"));
        for (long t = T0 + 80; t < T0 + 60 + 2_700; t += 20) {
            l.add(line("deposit", t, "\"account\":\"bystander\",\"asset\":\"USDC\",\"amount\":1"));
        }
        return l;
    }

    private static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            try {
                out.add(JSON.readTree(l));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Test
    void aCrashIsLiquidatedStepByStepWithinTheGuardAndReplaysByteForByte(@TempDir Path dir) throws Exception {
        List<String> input = crash(3);
        List<String> out = new ArrayList<>();
        Map<String, Double> flows = new TreeMap<>();
        MarginEngine live;
        try (EngineRunner runner = EngineRunner.open(dir.resolve("j"), PARAMS, 1_000_000, l -> { })) {
            runner.engine().observeFlows((party, asset, kind, amount) -> flows.merge(party + "|" + asset, amount, Double::sum));
            for (int i = 0; i < input.size(); i += 7) {
                runner.submit(input.subList(i, Math.min(input.size(), i + 7)), out::add);
            }
            live = runner.engine();
        }
        List<JsonNode> events = parse(out);
        Map<String, Integer> count = new TreeMap<>();
        events.forEach(e -> count.merge(e.get("type").asText(), 1, Integer::sum));
        assertThat(count.getOrDefault("liquidation", 0)).as(count.toString()).isGreaterThan(20);
        assertThat(count.getOrDefault("margin-call", 0)).isGreaterThan(5);
        assertThat(count.getOrDefault("insurance", 0)).isGreaterThan(20);

        // per account: a margin call before its first step; resting orders cancelled before; MM falls at each step
        Map<String, Double> lastMm = new HashMap<>();
        Map<String, Boolean> called = new HashMap<>();
        for (JsonNode e : events) {
            String type = e.get("type").asText();
            String acct = e.has("account") && !e.get("account").isNull() ? e.get("account").asText() : null;
            if (type.equals("margin-call")) {
                called.put(acct, true);
            }
            if (type.equals("liquidation")) {
                assertThat(called).as("a margin call before " + acct + "'s first step").containsKey(acct);
                double mm = e.get("maintenanceMarginAfter").asDouble();
                Double before = lastMm.put(acct, mm);
                if (before != null && e.get("equityAfter").asDouble() >= 0) {
                    assertThat(mm).as(acct + " MM falls at each step").isLessThan(before);
                }
            }
        }
        // the guard: liquidated notional per underlying and minute within 10% of ADV / 1440
        double budget = LiquidationParameters.defaults().guardBudgetPerMinute(4_000_000_000.0);
        Map<Long, Double> perMinute = new TreeMap<>();
        try (Journal j = Journal.open(dir.resolve("j"))) {
            for (long seq : j.generatedSeqs(1)) {
                for (byte[] b : j.generated(seq)) {
                    JsonNode g = JSON.readTree(b);
                    if (g.get("type").asText().equals("liquidation-step")) {
                        long minute = Math.floorDiv(Instant.parse(g.get("time").asText()).toEpochMilli(), 60_000L);
                        perMinute.merge(minute, g.get("notional").asDouble(), Double::sum);
                    }
                }
            }
        }
        assertThat(perMinute.size()).as("the crash is spread over several minutes").isGreaterThan(2);
        perMinute.values().forEach(v -> assertThat(v).isLessThanOrEqualTo(budget * (1 + 1e-12)));

        // at the end: every account above MM, or bankrupt with nothing left
        for (String id : live.accountIds()) {
            AccountState s = live.account(id);
            io.upm.margin.AccountMarginCalculator calc = new io.upm.margin.AccountMarginCalculator();
            calc.compute(live.universe(), s.resolve(live.universe()), -1);
            if (s.positionCount() == 0 && s.balanceCount() == 0) {
                continue; // taken over by the insurance fund
            }
            assertThat(calc.equity()).as(id).isGreaterThanOrEqualTo(calc.maintenanceMargin());
        }
        assertThat(live.accountsWithStaleFigures()).isEmpty();
        // money: every balance is the running sum of its flows, the fund's too
        for (String id : live.accountIds()) {
            AccountState s = live.account(id);
            for (int b = 0; b < s.balanceCount(); b++) {
                String asset = live.universe().asset(s.balanceAsset(b));
                assertThat(s.balanceAmount(b)).as(id + " " + asset).isEqualTo(flows.get(id + "|" + asset));
            }
        }
        assertThat(live.insuranceFundUsd()).isEqualTo(flows.getOrDefault(InsuranceFund.PARTY + "|USDC", 0.0)
            + flows.getOrDefault(InsuranceFund.PARTY + "|BTC", 0.0) * live.market().priceOrNaN("BTC"));

        // replay and restart: the same events byte for byte, the engine's own lines checked against the journal
        List<String> replayed = new ArrayList<>();
        EngineRunner.replay(dir.resolve("j"), replayed::add);
        assertThat(replayed).isEqualTo(out);
        String hash = live.stateHash();
        try (EngineRunner again = EngineRunner.open(dir.resolve("j"), null, 1_000_000, l -> { })) {
            assertThat(again.engine().stateHash()).isEqualTo(hash);
        }
        // a run on the bare engine (no journal) decides the same
        MarginEngine bare = new MarginEngine(PARAMS);
        List<String> bareOut = new ArrayList<>();
        long seq = 0;
        for (String l : input) {
            seq++;
            var r = io.upm.engine.codec.CommandReader.read(l);
            bare.apply(seq, ((io.upm.engine.codec.ReadResult.Parsed) r).command(),
                e -> bareOut.add(io.upm.engine.codec.EventWriter.toJsonLine(e)));
        }
        assertThat(bareOut).isEqualTo(out);
        assertThat(bare.accountIds().stream().map(id -> bare.account(id)).filter(s -> s.positionCount() > 0)
            .count()).isGreaterThan(10);
    }
}
