package io.upm.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.command.CommandType;
import io.upm.engine.event.AcceptedEvent;
import io.upm.engine.event.Event;
import io.upm.engine.event.IndexEvent;
import io.upm.engine.event.InsuranceEvent;
import io.upm.engine.event.LiquidationEvent;
import io.upm.engine.event.MarginCallEvent;
import io.upm.engine.event.MarginEvent;
import io.upm.engine.event.RecoveredEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.engine.index.IndexStatus;
import io.upm.margin.AccountStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random events of every type: written, read back equal, written again to the same bytes. */
class EventRoundTripPropertyTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 12);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void writeThenReadGivesTheSameEvent(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RandomCommands values = new RandomCommands(seed);
        for (int i = 0; i < 400; i++) {
            Event event = randomEvent(rnd, values);
            String line = EventWriter.toJsonLine(event);
            assertThat(line).doesNotContain("\n");
            Event read = EventReader.read(line);
            if (!(event instanceof ReportEvent)) {
                // a report holds arrays, which records compare by identity: its bytes are compared instead
                assertThat(read).as(line).isEqualTo(event);
            }
            assertThat(EventWriter.toJsonLine(read)).isEqualTo(line);
        }
    }

    /** At least {@code min} random trades (a margin call's hedge is never empty on the wire). */
    static List<io.upm.engine.event.SuggestedTrade> trades(SplittableRandom rnd, RandomCommands v, int min) {
        List<io.upm.engine.event.SuggestedTrade> out = new ArrayList<>();
        for (int k = min + rnd.nextInt(4); k > 0; k--) {
            out.add(new io.upm.engine.event.SuggestedTrade(v.instrument(v.time()).name(), v.size(), v.price(),
                v.amount()));
        }
        return out;
    }

    static Event randomEvent(SplittableRandom rnd, RandomCommands v) {
        long seq = rnd.nextLong(1, 1L << 53);
        CommandType command = CommandType.values()[rnd.nextInt(CommandType.values().length)];
        return switch (rnd.nextInt(11)) {
            case 0 -> new AcceptedEvent(seq, command, v.id(), rnd.nextBoolean() ? v.id() : null,
                rnd.nextBoolean() ? v.id() : null);
            case 1 -> new RejectedEvent(seq, rnd.nextBoolean() ? command : null, rnd.nextBoolean() ? v.id() : null,
                rnd.nextBoolean() ? v.id() : null, v.id(), rnd.nextBoolean() ? v.id() : rnd.nextBoolean() ? "" : null);
            case 2 -> new MarginEvent(seq, v.id(), v.size(), v.amount(), v.amount(),
                AccountStatus.values()[rnd.nextInt(AccountStatus.values().length)]);
            case 3 -> {
                List<String> sources = new ArrayList<>();
                for (int k = rnd.nextInt(4); k > 0; k--) {
                    sources.add(v.id());
                }
                yield new IndexEvent(seq, v.asset(), rnd.nextInt(5) == 0 ? Double.NaN : v.price(), sources,
                    IndexStatus.values()[rnd.nextInt(IndexStatus.values().length)]);
            }
            case 4 -> new LiquidationEvent(seq, v.id(), v.instrument(v.time()).name(), v.size(), v.price(),
                v.amount(), v.amount(), v.size());
            case 5 -> new MarginCallEvent(seq, v.id(), v.size(), v.amount(), v.amount());
            case 6 -> new InsuranceEvent(seq, v.size(), v.size(), rnd.nextBoolean() ? v.id() : null);
            case 7 -> new ReportEvent(seq, TestReports.REPORT, v.amount());
            case 8 -> new MarginCallEvent(seq, v.id(), v.size(), v.amount(), v.amount(), trades(rnd, v, 1));
            case 9 -> new io.upm.engine.event.HedgeEvent(seq, v.id(), rnd.nextBoolean() ? "healthy"
                : "target-ratio:" + rnd.nextDouble(), rnd.nextBoolean(), trades(rnd, v, 0), v.amount(), v.size(),
                v.amount(), v.size(), v.amount());
            default -> new RecoveredEvent(seq, rnd.nextInt(0, Integer.MAX_VALUE));
        };
    }
}
