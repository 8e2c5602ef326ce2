package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.Command;
import io.upm.engine.command.SnapshotCommand;
import io.upm.margin.params.MarginParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MarginEngine#nextTimeActionMillis()}, which the cluster's sequencer relies on to let other partitions skip
 * the times of commands at which time does nothing: at random points of seeded random streams (quotes, markets,
 * expiries), letting time pass to any moment before it (and within the clock's minute, the liquidation pass's budget)
 * emits nothing, and the engine then answers the next command exactly as one that did not see that moment.
 */
class NextTimeActionTest {
    private static final MarginParameters PARAMS = MarginParameters.defaults();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void beforeTheNextTimeActionLettingTimePassChangesNothingButTheClock(long seed) {
        List<String> lines = CommandStreams.stream(seed, 40, 1_200);
        SplittableRandom rnd = new SplittableRandom(seed);
        MarginEngine engine = new MarginEngine(PARAMS);
        int checked = 0;
        int seen = 0;
        int accepted = 0;
        for (int i = 0; i < lines.size() - 1; i++) {
            long seq = i + 1;
            if (CommandReader.read(lines.get(i)) instanceof ReadResult.Parsed p) {
                engine.apply(seq, p.command(), e -> { });
            }
            if (!(CommandReader.read(lines.get(i + 1)) instanceof ReadResult.Parsed next) || engine.clock() == null
                || rnd.nextDouble() > 0.2) {
                continue;
            }
            long clock = engine.clock().toEpochMilli();
            long bound = Math.min(engine.nextTimeActionMillis(), Math.floorDiv(clock, 60_000L) * 60_000L + 60_000L);
            long nextTime = next.command().time().toEpochMilli();
            if (bound <= clock + 1 || nextTime <= clock) {
                continue;
            }
            seen++;
            // a moment between the clock and the bound, no later than the next command
            long t = clock + 1 + rnd.nextLong(Math.min(bound, nextTime + 1) - clock - 1);
            byte[] before = engine.snapshot();
            MarginEngine plain = MarginEngine.restore(before, PARAMS);
            MarginEngine ticked = MarginEngine.restore(before, PARAMS);
            List<String> tickEvents = new ArrayList<>();
            ticked.apply(seq, new SnapshotCommand(Instant.ofEpochMilli(t)), e -> tickEvents.add(EventWriter.toJsonLine(e)));
            assertThat(tickEvents).as("time passing to %s before the next action", Instant.ofEpochMilli(t)).isEmpty();
            assertThat(ticked.clock()).isEqualTo(Instant.ofEpochMilli(t));
            Command c = next.command();
            assertThat(events(ticked, seq + 1, c)).isEqualTo(events(plain, seq + 1, c));
            if (plain.clock().equals(c.time())) { // accepted: the clocks meet again, and with them the whole state
                assertThat(ticked.stateHash()).isEqualTo(plain.stateHash());
                accepted++;
            }
            checked++;
        }
        assertThat(checked).as("moments checked").isGreaterThan(50).isEqualTo(seen);
        assertThat(accepted).as("followed by an accepted command").isGreaterThan(checked / 2);
    }

    private static List<String> events(MarginEngine engine, long seq, Command c) {
        List<String> out = new ArrayList<>();
        engine.apply(seq, c, e -> out.add(EventWriter.toJsonLine(e)));
        return out;
    }
}
