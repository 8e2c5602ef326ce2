package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.event.Event;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.account.AccountState;
import io.upm.margin.params.MarginParameters;
import io.upm.product.Portfolio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over seeded random command streams (hundreds of accounts, thousands of commands, every instrument
 * kind): its reports equal {@code upm margin} on the same portfolios and market; money is conserved exactly; the
 * events are the same bytes whatever the batching, snapshots and restarts; a replay reproduces them; malformed
 * commands change nothing.
 */
class MarginEngineTest {
    static final MarginParameters PARAMS = CommandStreams.PARAMS;

    /** Runs a stream on a bare engine; returns the events as JSON lines. */
    private static List<String> run(MarginEngine engine, List<String> lines) {
        List<String> out = new ArrayList<>();
        long seq = 0;
        for (String l : lines) {
            seq++;
            ReadResult r = CommandReader.read(l);
            if (r instanceof ReadResult.Parsed p) {
                engine.apply(seq, p.command(), e -> out.add(EventWriter.toJsonLine(e)));
            } else {
                out.add(EventWriter.toJsonLine(((ReadResult.Malformed) r).toEvent(seq)));
            }
        }
        return out;
    }

    @Test
    void reportsEqualUpmMarginOnTheSamePortfolioAndMarket() {
        List<String> lines = CommandStreams.stream(1, 200, 4_000);
        MarginEngine engine = new MarginEngine(PARAMS);
        List<Event> events = new ArrayList<>();
        long seq = 0;
        for (String l : lines) {
            seq++;
            if (CommandReader.read(l) instanceof ReadResult.Parsed p) {
                engine.apply(seq, p.command(), events::add);
            }
        }
        Map<String, ReportEvent> last = new TreeMap<>();
        events.stream().filter(e -> e instanceof ReportEvent).map(e -> (ReportEvent) e)
            .forEach(r -> last.put(r.report().account(), r));
        assertThat(last).hasSize(200);
        int withPositions = 0;
        int addOns = 0;
        for (ReportEvent r : last.values()) {
            AccountState s = engine.account(r.report().account());
            Portfolio p = s.toPortfolio(engine.universe());
            withPositions += p.positions().isEmpty() ? 0 : 1;
            MarginReport actual = r.report();
            // a report is valued at its own time; the engine's market stays where it was (a query moves nothing)
            MarginReport expected = MarginCalculator.report(engine.market().withTime(actual.time()), p, PARAMS);
            String what = actual.account();
            close(actual.equity(), expected.equity(), what + " equity");
            close(actual.maintenanceMargin(), expected.maintenanceMargin(), what + " MM");
            // the engine's IM adds the confidence add-on of the index (MODEL.md section 9) to upm margin's
            double addOn = 0;
            for (var u : expected.units().entrySet()) {
                addOn += engine.confidenceRate(u.getKey())
                    * Math.abs(u.getValue().greeks().delta() * engine.market().priceOrNaN(u.getKey()));
            }
            addOns += addOn > 0 ? 1 : 0;
            close(actual.initialMargin(), expected.initialMargin() + addOn, what + " IM");
            assertThat(actual.status()).as(what).isEqualTo(io.upm.margin.AccountStatus.of(expected.equity(),
                expected.maintenanceMargin(), expected.initialMargin() + addOn));
            assertThat(actual.units().keySet()).containsExactlyElementsOf(expected.units().keySet());
            for (String u : expected.units().keySet()) {
                close(actual.units().get(u).worstLoss(), expected.units().get(u).worstLoss(), what + " W " + u);
            }
        }
        assertThat(withPositions).as("accounts holding positions at the end").isGreaterThan(100);
        // every account's last figures are those of a fresh compute now, bit for bit
        assertThat(engine.accountsWithStaleFigures()).isEmpty();
        assertThat(addOns).as("accounts whose IM carries the index's confidence add-on").isGreaterThan(0);
        // the stream exercised what it should
        assertThat(events.stream().filter(e -> e instanceof RejectedEvent).count()).isGreaterThan(20);
        assertThat(engine.clock()).isAfter(java.time.Instant.parse("2025-11-28T08:00:00Z")); // a weekly expiry passed
    }

    private static void close(double a, double b, String what) {
        assertThat(Math.abs(a - b)).as(what + ": " + a + " vs " + b).isLessThanOrEqualTo(1e-9 * Math.max(1.0, Math.abs(b)));
    }

    @Test
    void moneyIsConservedExactly() {
        List<String> lines = CommandStreams.stream(2, 120, 3_000);
        MarginEngine engine = new MarginEngine(PARAMS);
        Map<String, Double> flows = new HashMap<>();
        Map<Ledger.Flow, Integer> kinds = new TreeMap<>();
        engine.observeFlows((account, asset, kind, amount) -> {
            flows.merge(account + "|" + asset, amount, Double::sum);
            kinds.merge(kind, 1, Integer::sum);
        });
        run(engine, lines);
        for (String id : engine.accountIds()) {
            AccountState s = engine.account(id);
            for (int b = 0; b < s.balanceCount(); b++) {
                String asset = engine.universe().asset(s.balanceAsset(b));
                assertThat(s.balanceAmount(b)).as(id + " " + asset).isEqualTo(flows.get(id + "|" + asset));
            }
        }
        // every balance that moved is explained by deposits, withdrawals, premiums, fees, funding, P&L, settlement
        assertThat(kinds.keySet()).contains(Ledger.Flow.DEPOSIT, Ledger.Flow.WITHDRAWAL, Ledger.Flow.PREMIUM,
            Ledger.Flow.FEE, Ledger.Flow.FUNDING, Ledger.Flow.REALISED, Ledger.Flow.SETTLEMENT);
    }

    @Test
    void theSameStreamGivesTheSameBytesWhateverTheBatchingSnapshotsAndRestarts(@TempDir Path tmp) {
        List<String> lines = CommandStreams.stream(3, 60, 2_000);
        List<String> reference = run(new MarginEngine(PARAMS), lines);
        SplittableRandom rnd = new SplittableRandom(4);
        int[] batches = {1, 7, 500};
        for (int trial = 0; trial < batches.length; trial++) {
            Path dir = tmp.resolve("j" + trial);
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < lines.size()) {
                // a run of the engine until a restart at a random point
                int stop = Math.min(lines.size(), i + 1 + rnd.nextInt(900));
                try (EngineRunner runner = EngineRunner.open(dir, PARAMS, 1 + rnd.nextInt(400), l -> { })) {
                    assertThat(runner.lastSeq()).isEqualTo(i);
                    if (trial == 1) {
                        // the two-stage pipeline of upm engine: journal on this thread, apply on the engine's
                        try (EngineRunner.Pipeline pipeline = runner.pipeline(new EngineRunner.EventSink() {
                            @Override
                            public void event(String line) {
                                out.add(line);
                            }

                            @Override
                            public void endOfBatch() {
                            }
                        })) {
                            while (i < stop) {
                                int to = Math.min(stop, i + batches[trial]);
                                pipeline.submit(lines.subList(i, to));
                                i = to;
                            }
                        }
                    }
                    while (i < stop) {
                        int to = Math.min(stop, i + batches[trial]);
                        runner.submit(lines.subList(i, to), out::add);
                        i = to;
                    }
                }
            }
            assertThat(out).as("batches of " + batches[trial] + " with restarts" + (trial == 1 ? ", pipelined" : ""))
                .isEqualTo(reference);
            List<String> replayed = new ArrayList<>();
            EngineRunner.replay(dir, replayed::add);
            assertThat(replayed).as("replay").isEqualTo(reference);
        }
    }

    /** Price changes re-margined in slices on several threads give the same events, byte for byte. */
    @Test
    void slicedRemarginAfterAPriceChangeGivesTheSameEvents() {
        List<String> lines = CommandStreams.stream(9, 120, 3_000);
        List<String> reference = run(new MarginEngine(PARAMS), lines);
        MarginEngine sliced = new MarginEngine(PARAMS);
        sliced.parallelFrom(1);
        assertThat(run(sliced, lines)).isEqualTo(reference);
        assertThat(reference.stream().filter(l -> l.contains("\"type\":\"margin\"")).count()).isGreaterThan(100);
    }

    @Test
    void aMalformedOrInvalidCommandChangesNothing() {
        List<String> lines = CommandStreams.stream(5, 20, 600);
        MarginEngine engine = new MarginEngine(PARAMS);
        run(engine, lines);
        String acct = engine.accountIds().get(0);
        String t = engine.clock().plusSeconds(10).toString();
        String[] bad = {
            "{\"type\":\"deposit\",\"time\":\"" + t + "\",\"account\":\"" + acct + "\",\"asset\":\"XYZ\",\"amount\":5}",
            "{\"type\":\"withdraw\",\"time\":\"" + t + "\",\"account\":\"ghost\",\"asset\":\"USDC\",\"amount\":5}",
            "{\"type\":\"order\",\"time\":\"" + t + "\",\"account\":\"" + acct + "\",\"id\":\"z\",\"instrument\":\"DOGE-PERPETUAL\",\"size\":1,\"price\":1}",
            "{\"type\":\"fill\",\"time\":\"" + t + "\",\"account\":\"" + acct + "\",\"instrument\":\"BTC-PERPETUAL\",\"size\":10,\"price\":90000,\"order\":\"nope\"}",
            "{\"type\":\"cancel\",\"time\":\"" + t + "\",\"account\":\"" + acct + "\",\"id\":\"nope\"}",
            "{\"type\":\"market\",\"time\":\"" + t + "\",\"correlations\":{\"BTC/ETH\":0.99,\"BTC/SOL\":-0.99,\"ETH/SOL\":0.99}}",
            "{\"type\":\"market\",\"time\":\"" + t + "\",\"prices\":{\"BTC\":1e-300}}",
            "{\"type\":\"fill\",\"time\":\"" + t + "\",\"account\":\"" + acct + "\",\"instrument\":\"BTC_USDC-21NOV25-90000-C\",\"size\":1,\"price\":1}",
            "{\"type\":\"report\",\"time\":\"2020-01-01T00:00:00Z\",\"account\":\"" + acct + "\"}",
            "{\"type\":\"quote\",\"time\":\"" + t + "\",\"source\":\"x\",\"asset\":\"BTC\",\"price\":-90000}",
            "{\"type\":\"quote\",\"time\":\"" + t + "\",\"source\":\"\",\"asset\":\"BTC\",\"price\":90000}",
        };
        for (String line : bad) {
            String before = engine.stateHash();
            java.time.Instant clock = engine.clock();
            List<String> out = run(engine, List.of(line));
            assertThat(out).as(line).hasSize(1);
            assertThat(out.get(0)).as(line).contains("\"type\":\"rejected\"").contains("\"field\":");
            assertThat(engine.stateHash()).as(line).isEqualTo(before);
            assertThat(engine.clock()).isEqualTo(clock);
        }
    }

    @Test
    void aSnapshotRestoresTheSameState() {
        List<String> lines = CommandStreams.stream(6, 40, 1_500);
        MarginEngine a = new MarginEngine(PARAMS);
        run(a, lines.subList(0, 900));
        MarginEngine b = MarginEngine.restore(a.snapshot(), PARAMS);
        assertThat(b.stateHash()).isEqualTo(a.stateHash());
        List<String> restOfA = run(a, lines.subList(900, lines.size()));
        List<String> restOfB = new ArrayList<>();
        long seq = 900;
        for (String l : lines.subList(900, lines.size())) {
            seq++;
            ReadResult r = CommandReader.read(l);
            if (r instanceof ReadResult.Parsed p) {
                b.apply(seq, p.command(), e -> restOfB.add(EventWriter.toJsonLine(e)));
            } else {
                restOfB.add(EventWriter.toJsonLine(((ReadResult.Malformed) r).toEvent(seq)));
            }
        }
        // the bare run numbered from 1 again; compare the events without their seq
        assertThat(strip(restOfB)).isEqualTo(strip(restOfA));
    }

    private static List<String> strip(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("\\{\"seq\":\\d+,", "{")).toList();
    }
}
