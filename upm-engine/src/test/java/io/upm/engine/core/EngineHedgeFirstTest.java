package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.liquidation.InsuranceFund;
import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.testkit.SyntheticVenue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hedge first (docs/engine.md): option sellers and leveraged longs on BTC, then BTC falls 16% in one tick. Accounts
 * that opted in with an {@code account} command are hedged back to their target with perpetuals or futures when that
 * costs less than closing; the others are liquidated as before. Checked: hedged accounts close nothing in their first
 * pass, their figures after the hedge are a full compute and reach the target, the hedge is cheaper than the closing
 * it replaced, money is conserved exactly, accounts not opted in see the very same events as in a run where nobody
 * opted in, and replay, restart (from a snapshot too) and a bare engine reproduce everything byte for byte.
 */
class EngineHedgeFirstTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MarginParameters PARAMS = MarginParameters.defaults();
    private static final long T0 = SyntheticVenue.TIME.getEpochSecond();

    private static String line(String type, long t, String rest) {
        return "{\"type\":\"" + type + "\",\"time\":\"" + Instant.ofEpochSecond(t) + "\"," + rest + "}";
    }

    /** 30 accounts (short puts, or long perpetuals), the even ones opted in when {@code optIn}; a crash. */
    static List<String> crash(long seed, boolean optIn) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> l = new ArrayList<>();
        // a deep market (the guard does not bind) so that the accounts do not interact through it
        l.add(line("market", T0, "\"prices\":{\"BTC\":90000,\"ETH\":3000,\"USDC\":1},"
            + "\"vols\":{\"BTC\":{\"flat\":0.55},\"ETH\":{\"flat\":0.7}},\"correlations\":{\"BTC/ETH\":0.8},"
            + "\"adv\":{\"BTC\":400000000000,\"ETH\":120000000000}"));
        for (int a = 0; a < 30; a++) {
            String id = String.format(Locale.ROOT, "acct-%02d", a);
            double equity = 30_000 + rnd.nextInt(30_000);
            l.add(line("deposit", T0 + 1, "\"account\":\"" + id + "\",\"asset\":\"USDC\",\"amount\":" + equity));
            if (optIn && a % 2 == 0) {
                l.add(line("account", T0 + 1, "\"account\":\"" + id + "\",\"hedgeFirst\":true"));
            }
            if (a % 3 == 0) {
                double puts = Math.round((1.0 + 0.6 * rnd.nextDouble()) * equity / 30_000 * 10) / 10.0;
                l.add(line("fill", T0 + 1, "\"account\":\"" + id + "\",\"instrument\":\"BTC_USDC-26DEC25-85000-P\","
                    + "\"size\":-" + puts + ",\"price\":2500"));
            } else {
                double size = Math.round(equity * (2.5 + 2 * rnd.nextDouble()) / 90_000 * 1e4) / 1e4;
                l.add(line("fill", T0 + 1, "\"account\":\"" + id + "\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":"
                    + size + ",\"price\":90000"));
            }
        }
        l.add(line("market", T0 + 60, "\"prices\":{\"BTC\":80000}"));
        for (long t = T0 + 80; t < T0 + 60 + 900; t += 30) {
            l.add(line("market", t, "\"prices\":{\"BTC\":" + (80000 - (t - T0 - 60) / 3) + "}"));
        }
        return l;
    }

    private static List<String> run(List<String> input, MarginEngine engine, Map<String, Double> flows) {
        if (flows != null) {
            engine.observeFlows((party, asset, kind, amount) -> flows.merge(party + "|" + asset, amount, Double::sum));
        }
        List<String> out = new ArrayList<>();
        long seq = 0;
        for (String l : input) {
            seq++;
            engine.apply(seq, ((ReadResult.Parsed) CommandReader.read(l)).command(), e -> out.add(EventWriter.toJsonLine(e)));
        }
        return out;
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void optedInAccountsAreHedgedInsteadOfClosedAndNothingElseChanges(@TempDir Path dir) throws Exception {
        List<String> input = crash(5, true);
        Map<String, Double> flows = new TreeMap<>();
        MarginEngine engine = new MarginEngine(PARAMS);
        List<String> out = run(input, engine, flows);
        List<String> generated = new ArrayList<>();
        // re-run to collect the engine's own lines in order (the bare engine keeps them until taken)
        MarginEngine again = new MarginEngine(PARAMS);
        List<String> outAgain = new ArrayList<>();
        long seq = 0;
        for (String l : input) {
            seq++;
            again.apply(seq, ((ReadResult.Parsed) CommandReader.read(l)).command(), e -> outAgain.add(EventWriter.toJsonLine(e)));
            generated.addAll(again.takeGenerated());
        }
        assertThat(outAgain).as("deterministic").isEqualTo(out);
        assertThat(engine.liquidationHedgeCount()).isGreaterThanOrEqualTo(3);

        TreeSet<String> hedged = new TreeSet<>();
        for (String g : generated) {
            JsonNode n = tree(g);
            if (n.get("type").asText().equals("liquidation-hedge")) {
                String acct = n.get("account").asText();
                assertThat(Integer.parseInt(acct.substring(5)) % 2).as("only opted-in accounts hedge: " + acct).isZero();
                assertThat(n.get("cost").asDouble()).as("cheaper than closing: " + g)
                    .isLessThan(n.get("closingCost").isNull() ? Double.POSITIVE_INFINITY : n.get("closingCost").asDouble());
                for (JsonNode t : n.get("trades")) {
                    assertThat(t.get("instrument").asText()).matches("BTC_USDC-(PERPETUAL|\\d+[A-Z]{3}\\d\\d)");
                }
                hedged.add(acct);
            }
        }
        assertThat(hedged).isNotEmpty();

        // each hedge: its liquidation events carry the figures of a full compute (the margin event after them), at
        // or above the target, and the first pass of a hedged account closes none of its positions
        List<JsonNode> events = out.stream().map(EngineHedgeFirstTest::tree).toList();
        int checked = 0;
        for (int k = 0; k < events.size(); k++) {
            JsonNode e = events.get(k);
            if (!e.get("type").asText().equals("liquidation") || !hedged.contains(e.get("account").asText())) {
                continue;
            }
            String acct = e.get("account").asText();
            int m = k + 1;
            while (m < events.size() && !(events.get(m).get("type").asText().equals("margin")
                && events.get(m).get("account").asText().equals(acct))) {
                m++;
            }
            JsonNode margin = events.get(m);
            if (e.get("instrument").asText().endsWith("-P")) {
                continue; // a later closing step (after the market moved on)
            }
            assertThat(e.get("maintenanceMarginAfter").asDouble()).isEqualTo(margin.get("maintenanceMargin").asDouble());
            assertThat(e.get("equityAfter").asDouble()).isEqualTo(margin.get("equity").asDouble());
            double mm = e.get("maintenanceMarginAfter").asDouble();
            assertThat(e.get("equityAfter").asDouble()).as(acct + " at its target")
                .isGreaterThanOrEqualTo(mm * (1 + 0.5 * (PARAMS.initialMarginMultiplier() - 1)) * (1 - 1e-12));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(hedged.size());
        for (String acct : hedged) {
            JsonNode first = events.stream().filter(e -> e.get("type").asText().equals("liquidation")
                && e.get("account").asText().equals(acct)).findFirst().orElseThrow();
            assertThat(first.get("instrument").asText()).as(acct + ": the hedge comes first").doesNotEndWith("-P");
        }

        // money: every balance is the running sum of its flows, the fund's too
        for (String id : engine.accountIds()) {
            AccountState s = engine.account(id);
            for (int b = 0; b < s.balanceCount(); b++) {
                String asset = engine.universe().asset(s.balanceAsset(b));
                assertThat(s.balanceAmount(b)).as(id + " " + asset).isEqualTo(flows.get(id + "|" + asset));
            }
        }
        assertThat(engine.insuranceFundUsd()).isEqualTo(flows.getOrDefault(InsuranceFund.PARTY + "|USDC", 0.0));

        // accounts not opted in: the very same events as in a run where nobody opted in
        List<String> plain = run(crash(5, false), new MarginEngine(PARAMS), null);
        for (int a = 1; a < 30; a += 2) {
            String id = String.format(Locale.ROOT, "acct-%02d", a);
            assertThat(ofAccount(out, id)).as(id).isEqualTo(ofAccount(plain, id));
        }
        // and the hedged accounts paid less in fees than the same accounts closed in that run
        double feesHedged = 0;
        double feesClosed = 0;
        for (String acct : hedged) {
            feesHedged += fees(out, acct);
            feesClosed += fees(plain, acct);
        }
        assertThat(feesHedged).isLessThan(feesClosed);

        // the journal: replay and restart (from a snapshot too) byte for byte, hedgeFirst kept in the snapshot
        List<String> journaled = new ArrayList<>();
        try (EngineRunner runner = EngineRunner.open(dir.resolve("j"), PARAMS, 17, l -> { })) {
            for (int i = 0; i < input.size(); i += 5) {
                runner.submit(input.subList(i, Math.min(input.size(), i + 5)), journaled::add);
            }
            assertThat(journaled).isEqualTo(out);
            byte[] snap = runner.engine().snapshot();
            MarginEngine restored = MarginEngine.restore(snap, PARAMS);
            assertThat(restored.hedgeFirst("acct-00")).isTrue();
            assertThat(restored.hedgeFirst("acct-01")).isFalse();
            assertThat(restored.stateHash()).isEqualTo(runner.engine().stateHash());
        }
        List<String> replayed = new ArrayList<>();
        EngineRunner.replay(dir.resolve("j"), replayed::add);
        assertThat(replayed).isEqualTo(out);
        try (EngineRunner restart = EngineRunner.open(dir.resolve("j"), null, 17, l -> { })) {
            assertThat(restart.engine().stateHash()).isEqualTo(engine.stateHash());
        }
    }

    private static List<String> ofAccount(List<String> events, String id) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            JsonNode n = tree(e);
            if (n.has("account") && id.equals(n.get("account").asText()) && !n.get("type").asText().equals("insurance")) {
                out.add(e.replaceFirst("\"seq\":\\d+,", ""));
            }
        }
        return out;
    }

    private static double fees(List<String> events, String id) {
        double f = 0;
        for (String e : events) {
            JsonNode n = tree(e);
            if (n.get("type").asText().equals("liquidation") && n.get("account").asText().equals(id)) {
                f += n.get("fee").asDouble();
            }
        }
        return f;
    }

    @Test
    void theHedgeQueryIsTheOptimisersPlanCheckedByAFullComputeAndDeterministic() {
        List<String> input = new ArrayList<>(crash(9, false).subList(0, 40));
        MarginEngine a = new MarginEngine(PARAMS);
        run(input, a, null);
        String q = line("hedge", T0 + 30, "\"account\":\"acct-02\",\"goal\":\"target-ratio:0.25\"");
        List<String> e1 = new ArrayList<>();
        a.apply(1000, ((ReadResult.Parsed) CommandReader.read(q)).command(), e -> e1.add(EventWriter.toJsonLine(e)));
        MarginEngine b = new MarginEngine(PARAMS);
        run(input, b, null);
        List<String> e2 = new ArrayList<>();
        b.apply(1000, ((ReadResult.Parsed) CommandReader.read(q)).command(), e -> e2.add(EventWriter.toJsonLine(e)));
        assertThat(e1).isEqualTo(e2);
        JsonNode h = tree(e1.get(e1.size() - 1));
        assertThat(h.get("type").asText()).isEqualTo("hedge");
        assertThat(h.get("goal").asText()).isEqualTo("target-ratio:0.25");
        assertThat(h.get("goalReached").asBoolean()).isTrue();
        assertThat(h.get("trades").size()).isGreaterThan(0);
        // the hedged account, margined independently: the trades booked at their prices, the costs from USDC
        AccountState s = a.account("acct-02").copy();
        var u = a.universe();
        List<io.upm.product.Instrument> add = new ArrayList<>();
        for (JsonNode t : h.get("trades")) {
            if (u.instrumentIndex(t.get("instrument").asText()) < 0) {
                add.add(io.upm.product.InstrumentNames.parse(t.get("instrument").asText(), "t"));
            }
        }
        if (!add.isEmpty()) {
            u = u.withInstruments(add, add.stream().map(io.upm.product.Instrument::name).toList());
        }
        double cost = 0;
        for (JsonNode t : h.get("trades")) {
            Ledger.trade(s, u, u.instrumentIndex(t.get("instrument").asText()), t.get("size").asDouble(),
                t.get("price").asDouble(), 0.0, Ledger.NONE);
            cost += t.get("cost").asDouble();
        }
        s.addBalance(u.assetIndex("USDC"), -cost);
        AccountMarginCalculator calc = new AccountMarginCalculator();
        double mm = calc.compute(u, s.resolve(u), -1);
        assertThat(h.get("maintenanceMarginAfter").asDouble()).isCloseTo(mm, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(h.get("equityAfter").asDouble()).isCloseTo(calc.equity(), org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(mm / calc.equity()).isLessThanOrEqualTo(0.25 * (1 + 1e-9));
        assertThat(h.get("totalCost").asDouble()).isCloseTo(cost, org.assertj.core.data.Percentage.withPercentage(1e-9));
        // a query changes no state; an unknown account is rejected naming the field
        String before = a.stateHash();
        List<String> e3 = new ArrayList<>();
        a.apply(1001, ((ReadResult.Parsed) CommandReader.read(line("hedge", T0 + 30, "\"account\":\"nobody\""))).command(),
            e -> e3.add(EventWriter.toJsonLine(e)));
        assertThat(e3).hasSize(1);
        assertThat(tree(e3.get(0)).get("field").asText()).isEqualTo("account");
        assertThat(a.stateHash()).isEqualTo(before);
    }
}
