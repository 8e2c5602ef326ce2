package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.SnapshotCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The venue's pass run elsewhere ({@link VenuePass}, docs/cluster.md "Liquidation"): an engine in the
 * {@link MarginEngine.Role#PART part} role that hands its accounts to a {@link MarginEngine.Role#VENUE venue} engine
 * at every pass and applies the outcome gives the single engine's events, accounts, fund and queue, bit for bit, through
 * a crash; the requests and outcomes survive their wire form.
 */
class VenuePassTest {

    /** The stream, then its accounts levered up on perpetuals and prices falling 1% to 4% a tick. */
    static List<String> crash(long seed) {
        List<String> out = new ArrayList<>(CommandStreams.stream(seed, 40, 700));
        SplittableRandom rnd = new SplittableRandom(seed);
        long t = Instant.parse("2025-12-20T00:00:00Z").getEpochSecond();
        double[] spot = {CommandStreams.VENUE.spot("BTC"), CommandStreams.VENUE.spot("ETH"), CommandStreams.VENUE.spot("SOL")};
        String[] perps = {"BTC_USDC-PERPETUAL", "ETH_USDC-PERPETUAL", "SOL_USDC-PERPETUAL"};
        out.add(CommandStreams.market(t, spot, true));
        for (int a = 0; a < 40; a++) {
            int u = rnd.nextInt(3);
            double usd = (10 + rnd.nextInt(21)) * 100_000.0;
            out.add(String.format(Locale.ROOT, "{\"type\":\"fill\",\"time\":\"%s\",\"account\":\"acct-%d\",\"instrument\":\"%s\",\"size\":%s,\"price\":%s}",
                Instant.ofEpochSecond(t), a, perps[u], Math.round(usd / spot[u] * 1e4) / 1e4, Math.round(spot[u] * 100) / 100.0));
        }
        for (int k = 0; k < 30; k++) {
            t += 5 + rnd.nextInt(50);
            for (int u = 0; u < 3; u++) {
                spot[u] *= 1 - 0.01 - 0.03 * rnd.nextDouble();
            }
            out.add(CommandStreams.market(t, spot, false));
            out.add(String.format(Locale.ROOT, "{\"type\":\"deposit\",\"time\":\"%s\",\"account\":\"acct-%d\",\"asset\":\"USDC\",\"amount\":5000}",
                Instant.ofEpochSecond(t + 1), rnd.nextInt(40)));
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 8})
    void aPartAndTheVenueEngineAreTheSingleEngine(long seed) {
        List<String> lines = crash(seed);
        MarginEngine whole = new MarginEngine(CommandStreams.PARAMS);
        MarginEngine part = new MarginEngine(CommandStreams.PARAMS, MarginEngine.Role.PART);
        MarginEngine venue = new MarginEngine(CommandStreams.PARAMS, MarginEngine.Role.VENUE);
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        long seq = 0;
        int passes = 0;
        int served = 0;
        for (String line : lines) {
            seq++;
            if (!(CommandReader.read(line) instanceof ReadResult.Parsed p)) {
                continue;
            }
            Command c = p.command();
            whole.apply(seq, c, e -> expected.add(EventWriter.toJsonLine(e)));
            part.apply(seq, c, e -> got.add(EventWriter.toJsonLine(e)));
            // the venue engine sees what every part sees: the market-wide commands, and time passing at the others
            venue.apply(seq, c instanceof AccountCommand ? new SnapshotCommand(c.time()) : c, e -> { });
            VenuePass.Request request = part.takePassRequest();
            if (request != null) {
                VenuePass.Request wire = VenuePass.decodeRequest(VenuePass.encode(request));
                assertThat(wire.seq()).isEqualTo(request.seq());
                assertThat(wire.time()).isEqualTo(request.time());
                VenuePass.Outcome outcome = venue.runVenuePass(seq, request.time(), List.of(wire));
                VenuePass.Outcome back = VenuePass.decodeOutcome(VenuePass.encode(outcome));
                assertThat(back.events()).isEqualTo(outcome.events());
                assertThat(back.passMinute()).isEqualTo(outcome.passMinute());
                part.applyVenuePass(back, e -> got.add(EventWriter.toJsonLine(e)));
                passes++;
                served += request.candidates().size();
            }
            assertThat(part.takePassRequest()).isNull();
        }
        assertThat(got).isEqualTo(expected);
        for (String id : whole.accountIds()) {
            assertThat(part.exportAccount(id)).as(id).isEqualTo(whole.exportAccount(id));
        }
        assertThat(venue.insuranceFundUsd()).isEqualTo(whole.insuranceFundUsd());
        assertThat(venue.liquidationQueueSize()).isEqualTo(whole.liquidationQueueSize());
        assertThat(venue.accountCount()).as("the venue engine keeps no account").isZero();
        long steps = expected.stream().filter(e -> e.contains("\"type\":\"liquidation\"")).count();
        assertThat(steps).as("liquidation steps").isGreaterThan(20);
        assertThat(passes).isGreaterThan(5);
        System.out.printf("seed %d: %d lines, %d passes, %d accounts handed in, %d liquidation steps, fund %.2f USD%n",
            seed, lines.size(), passes, served, steps, whole.insuranceFundUsd());
    }

    @org.junit.jupiter.api.Test
    void eachRoleRefusesTheOthersWorkAndBadBytesAreNamed() {
        MarginEngine whole = new MarginEngine(CommandStreams.PARAMS);
        assertThatThrownBy(() -> whole.runVenuePass(1, Instant.EPOCH, List.of()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("role is WHOLE");
        assertThatThrownBy(() -> new MarginEngine(CommandStreams.PARAMS, MarginEngine.Role.VENUE)
            .applyVenuePass(new VenuePass.Outcome(1, 0, List.of(), List.of()), e -> { }))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("role is VENUE");
        assertThatThrownBy(() -> whole.exportAccount("nobody")).hasMessageContaining("no account nobody");
        assertThatThrownBy(() -> VenuePass.decodeRequest(new byte[] {1, 2, 3, 4, 5}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a venue pass request");
        assertThatThrownBy(() -> VenuePass.decodeOutcome(VenuePass.encode(new VenuePass.Request(1, Instant.EPOCH, List.of()))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a venue pass outcome");
    }
}
