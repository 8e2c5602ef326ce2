package io.upm.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.upm.formats.MarginReportWriter;
import io.upm.margin.AccountStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of every event type: FORMATS.md's fields in its order, absent fields left out, full precision. */
class EventWriterTest {

    static void writes(Event event, String line) {
        assertThat(EventWriter.toJsonLine(event)).isEqualTo(line);
        assertThat(EventReader.read(line)).isEqualTo(event);
    }

    @Test
    void writesEachEventTypeInFormatsMdOrder() {
        writes(new AcceptedEvent(3, CommandType.ORDER, "acct-7", "o-1", null),
            "{\"seq\":3,\"type\":\"accepted\",\"command\":\"order\",\"account\":\"acct-7\",\"id\":\"o-1\"}");
        writes(new AcceptedEvent(4, CommandType.WITHDRAW, "acct-7", null, null),
            "{\"seq\":4,\"type\":\"accepted\",\"command\":\"withdraw\",\"account\":\"acct-7\"}");
        writes(new AcceptedEvent(5, CommandType.ORDER, "a", "o-2", "lowers maintenance margin"),
            "{\"seq\":5,\"type\":\"accepted\",\"command\":\"order\",\"account\":\"a\",\"id\":\"o-2\","
                + "\"reason\":\"lowers maintenance margin\"}");
        writes(new RejectedEvent(6, CommandType.DEPOSIT, "a", null, "must be positive, got -5.0", "amount"),
            "{\"seq\":6,\"type\":\"rejected\",\"command\":\"deposit\",\"account\":\"a\","
                + "\"reason\":\"must be positive, got -5.0\",\"field\":\"amount\"}");
        writes(new RejectedEvent(7, null, null, null, "invalid JSON: Unrecognized token 'x'", ""),
            "{\"seq\":7,\"type\":\"rejected\",\"reason\":\"invalid JSON: Unrecognized token 'x'\",\"field\":\"\"}");
        writes(new RejectedEvent(8, CommandType.ORDER, "a", "o-3", "initial margin 120000.5 exceeds equity 100000.0",
                null),
            "{\"seq\":8,\"type\":\"rejected\",\"command\":\"order\",\"account\":\"a\",\"id\":\"o-3\","
                + "\"reason\":\"initial margin 120000.5 exceeds equity 100000.0\"}");
        writes(new MarginEvent(9, "a", 123456.789, 1e-7, 0.1 + 0.2, AccountStatus.RESTRICTED),
            "{\"seq\":9,\"type\":\"margin\",\"account\":\"a\",\"equity\":123456.789,\"initialMargin\":1.0E-7,"
                + "\"maintenanceMargin\":0.30000000000000004,\"status\":\"restricted\"}");
        writes(new IndexEvent(10, "BTC", 90120.5, List.of("binance", "coinbase"), IndexStatus.DEGRADED),
            "{\"seq\":10,\"type\":\"index\",\"asset\":\"BTC\",\"price\":90120.5,\"sources\":[\"binance\",\"coinbase\"],"
                + "\"status\":\"degraded\"}");
        writes(new IndexEvent(11, "SOL", Double.NaN, List.of(), IndexStatus.STALE),
            "{\"seq\":11,\"type\":\"index\",\"asset\":\"SOL\",\"price\":null,\"sources\":[],\"status\":\"stale\"}");
        writes(new LiquidationEvent(12, "a", "BTC-PERPETUAL", 50000, 89000, 12.5, 4000, 3900.25),
            "{\"seq\":12,\"type\":\"liquidation\",\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\",\"size\":50000.0,"
                + "\"price\":89000.0,\"fee\":12.5,\"maintenanceMarginAfter\":4000.0,\"equityAfter\":3900.25}");
        writes(new MarginCallEvent(13, "a", 10000, 8000, 2500.5),
            "{\"seq\":13,\"type\":\"margin-call\",\"account\":\"a\",\"equity\":10000.0,\"maintenanceMargin\":8000.0,"
                + "\"shortfallAt2Sigma\":2500.5}");
        writes(new InsuranceEvent(14, 1e6, -2500, "a"),
            "{\"seq\":14,\"type\":\"insurance\",\"balance\":1000000.0,\"change\":-2500.0,\"account\":\"a\"}");
        writes(new InsuranceEvent(15, 1e6, 10, null),
            "{\"seq\":15,\"type\":\"insurance\",\"balance\":1000000.0,\"change\":10.0}");
        writes(new RecoveredEvent(1234, 17),
            "{\"seq\":1234,\"type\":\"recovered\",\"lastSeq\":1234,\"accounts\":17}");
    }

    @Test
    void writesNoNegativeZeroAndEscapesStrings() {
        String line = EventWriter.toJsonLine(new MarginEvent(1, "q\"uo\\te\n\u00e9", -0.0, 0.0, -0.0,
            AccountStatus.HEALTHY));
        assertThat(line).isEqualTo("{\"seq\":1,\"type\":\"margin\",\"account\":\"q\\\"uo\\\\te\\n\u00e9\","
            + "\"equity\":0.0,\"initialMargin\":0.0,\"maintenanceMargin\":0.0,\"status\":\"healthy\"}");
        assertThat(line).doesNotContain("-0.0");
    }

    @Test
    void refusesToWriteANonFiniteNumberNamingTheField() {
        assertThatThrownBy(() -> EventWriter.toJsonLine(new MarginEvent(1, "a", Double.NaN, 0, 0,
            AccountStatus.HEALTHY)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("equity");
        assertThatThrownBy(() -> EventWriter.toJsonLine(new LiquidationEvent(1, "a", "BTC-PERPETUAL", 1, 1, 1,
            Double.POSITIVE_INFINITY, 1)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("maintenanceMarginAfter");
    }

    @Test
    void embedsTheMarginReportExactlyAsTheReportWriterWritesIt() throws Exception {
        ReportEvent event = new ReportEvent(21, TestReports.REPORT, 1234.5);
        String line = EventWriter.toJsonLine(event);
        assertThat(line).doesNotContain("\n").startsWith("{\"seq\":21,\"type\":\"report\",\"report\":{\"account\":"
            + "\"acct-7\",").endsWith(",\"openOrdersInitialMargin\":1234.5}");
        // the same members, order and numbers as `upm margin --format json`, only on one line
        String document = MarginReportWriter.toJson(TestReports.REPORT);
        String compact = new ObjectMapper().readTree(document).toString();
        assertThat(line).contains("\"report\":" + compact + ",");
        // and it reads back to a report that writes the same bytes
        Event read = EventReader.read(line);
        assertThat(EventWriter.toJsonLine(read)).isEqualTo(line);
        assertThat(MarginReportWriter.toJson(((ReportEvent) read).report())).isEqualTo(document);
    }
}
