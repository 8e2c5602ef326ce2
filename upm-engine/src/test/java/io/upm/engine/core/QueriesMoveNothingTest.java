package io.upm.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.Command;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.event.Event;
import io.upm.engine.event.HedgeEvent;
import io.upm.engine.event.RejectedEvent;
import io.upm.engine.event.ReportEvent;
import io.upm.margin.params.MarginParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code report} and a {@code hedge} query are valued at their own time and move nothing else: the engine ends in
 * the state a {@code snapshot} command of the same time leaves (the clock moves, nothing else), and the only event is
 * the answer. (They used to re-price the whole engine to their time, re-margining every account: a query with a global
 * side effect, which a partitioned engine cannot reproduce.)
 */
class QueriesMoveNothingTest {
    private static final MarginParameters PARAMS = MarginParameters.defaults();

    @Test
    void aReportOrAHedgeQueryWithinTheMinuteChangesNothingButTheClock() {
        List<String> lines = CommandStreams.stream(4, 40, 1_500);
        MarginEngine engine = new MarginEngine(PARAMS);
        long seq = 0;
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            seq++;
            if (CommandReader.read(lines.get(i)) instanceof ReadResult.Parsed p) {
                engine.apply(seq, p.command(), e -> { });
            }
            if (i % 150 != 149 || engine.market() == null || engine.accountCount() == 0) {
                continue;
            }
            Instant t = engine.clock().plusSeconds(20); // within the minute of the last valuation or not: both happen
            String account = engine.accountIds().get(i % engine.accountCount());
            byte[] before = engine.snapshot();
            MarginEngine plain = MarginEngine.restore(before, PARAMS);
            plain.apply(seq + 1, new SnapshotCommand(t), e -> { });
            for (String query : List.of("{\"type\":\"report\",\"time\":\"" + t + "\",\"account\":\"" + account + "\"}",
                "{\"type\":\"hedge\",\"time\":\"" + t + "\",\"account\":\"" + account + "\"}")) {
                MarginEngine asked = MarginEngine.restore(before, PARAMS);
                Command c = ((ReadResult.Parsed) CommandReader.read(query)).command();
                List<Event> events = new ArrayList<>();
                asked.apply(seq + 1, c, events::add);
                List<Event> plainEvents = new ArrayList<>();
                MarginEngine.restore(before, PARAMS).apply(seq + 1, new SnapshotCommand(t), plainEvents::add);
                // the answer, after whatever the time itself did (which a snapshot command of that time does too)
                assertThat(events.subList(0, events.size() - 1)).isEqualTo(plainEvents);
                assertThat(events.getLast()).isInstanceOfAny(ReportEvent.class, HedgeEvent.class, RejectedEvent.class);
                assertThat(asked.stateHash()).as(query).isEqualTo(plain.stateHash());
                assertThat(asked.market().time()).isEqualTo(plain.market().time());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(16);
    }
}
