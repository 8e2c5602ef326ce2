package io.upm.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.engine.command.AccountOptionsCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.HedgeCommand;
import io.upm.engine.event.Event;
import io.upm.engine.event.HedgeEvent;
import io.upm.engine.event.MarginCallEvent;
import io.upm.engine.event.SuggestedTrade;
import io.upm.engine.liquidation.LiquidationCommandCodec;
import io.upm.engine.liquidation.LiquidationHedge;
import io.upm.hedge.HedgeGoal;
import io.upm.input.InputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hedge extensions on the wire: the {@code hedge} and {@code account} commands, the {@code hedge} event, the
 * {@code margin-call} event's optional {@code hedge} member and the engine's own {@code liquidation-hedge} line; read,
 * written, round-tripped, and malformed fields named.
 */
class HedgeCodecTest {
    static final Instant T = Instant.parse("2025-11-25T08:00:00Z");

    @Test
    void readsTheHedgeCommandWithAndWithoutItsOptionalFields() {
        assertThat(CommandReaderTest.parsed("{\"type\":\"hedge\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\"}"))
            .isEqualTo(new HedgeCommand(T, "a", Optional.empty(), OptionalInt.empty()));
        Command c = CommandReaderTest.parsed("{\"type\":\"hedge\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\","
            + "\"goal\":\"target-ratio:0.5\",\"maxTrades\":2}");
        assertThat(c).isEqualTo(new HedgeCommand(T, "a", Optional.of(HedgeGoal.targetRatio(0.5)), OptionalInt.of(2)));
        assertThat(((HedgeCommand) c).goalOrDefault().wireName()).isEqualTo("target-ratio:0.5");
        assertThat(new HedgeCommand(T, "a", Optional.empty(), OptionalInt.empty()).goalOrDefault())
            .isEqualTo(HedgeGoal.HEALTHY);
        assertThat(CommandReaderTest.parsed("{\"type\":\"hedge\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\","
            + "\"goal\":\"min-mm\"}")).isEqualTo(new HedgeCommand(T, "a", Optional.of(HedgeGoal.MIN_MM),
            OptionalInt.empty()));
    }

    @Test
    void readsTheAccountCommand() {
        assertThat(CommandReaderTest.parsed("{\"type\":\"account\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\","
            + "\"hedgeFirst\":true}")).isEqualTo(new AccountOptionsCommand(T, "a", true));
        assertThat(CommandWriter.toJsonLine(new AccountOptionsCommand(T, "a", false)))
            .isEqualTo("{\"type\":\"account\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"hedgeFirst\":false}");
        assertThat(CommandWriter.toJsonLine(new HedgeCommand(T, "a", Optional.of(HedgeGoal.MIN_MM), OptionalInt.of(3))))
            .isEqualTo("{\"type\":\"hedge\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"goal\":\"min-mm\","
                + "\"maxTrades\":3}");
    }

    static Stream<Arguments> malformedLines() {
        String t = "\"time\":\"2025-11-25T08:00:00Z\"";
        return Stream.of(
            Arguments.of("{\"type\":\"hedge\"," + t + "}", "account", "missing required field"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"goal\":\"cheap\"}", "goal",
                "expected healthy, min-mm or target-ratio:R"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"goal\":\"target-ratio:1.5\"}", "goal",
                "target ratio must be in (0, 1]"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"goal\":\"target-ratio:x\"}", "goal",
                "is not a number"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"goal\":5}", "goal", "expected a string"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"maxTrades\":0}", "maxTrades", "64"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"maxTrades\":65}", "maxTrades", "64"),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"maxTrades\":1.5}", "maxTrades", ""),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"maxTrades\":\"3\"}", "maxTrades", ""),
            Arguments.of("{\"type\":\"hedge\"," + t + ",\"account\":\"a\",\"instruments\":[]}", "instruments",
                "unknown field"),
            Arguments.of("{\"type\":\"account\"," + t + ",\"account\":\"a\"}", "hedgeFirst", "missing required field"),
            Arguments.of("{\"type\":\"account\"," + t + ",\"account\":\"a\",\"hedgeFirst\":\"yes\"}", "hedgeFirst",
                "expected true or false"),
            Arguments.of("{\"type\":\"account\"," + t + ",\"account\":\" \",\"hedgeFirst\":true}", "account",
                "must not be blank"),
            Arguments.of("{\"type\":\"account\"," + t + ",\"account\":\"a\",\"hedgeFirst\":true,\"x\":1}", "x",
                "unknown field"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void rejectsAMalformedHedgeOrAccountLineNamingTheField(String line, String field, String reasonPart) {
        ReadResult.Malformed m = CommandReaderTest.malformed(line);
        assertThat(m.field()).as("field of %s", m).isEqualTo(field);
        assertThat(m.reason()).as("reason of %s", m).contains(reasonPart);
        assertThat(m.account()).as("account echoed for %s", line).isIn("a", " ", null);
    }

    @Test
    void writesTheHedgeEventAndAMarginCallWithAHedgeInOrder() {
        List<SuggestedTrade> trades = List.of(new SuggestedTrade("BTC_USDC-PERPETUAL", -1.5, 90000.0, 12.25));
        assertThat(EventWriter.toJsonLine(new HedgeEvent(7, "a", "healthy", true, trades, 12.25, 1000.0, 900.0,
            987.75, 500.0))).isEqualTo("{\"seq\":7,\"type\":\"hedge\",\"account\":\"a\",\"goal\":\"healthy\","
            + "\"goalReached\":true,\"trades\":[{\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":-1.5,\"price\":90000.0,"
            + "\"cost\":12.25}],\"totalCost\":12.25,\"equityBefore\":1000.0,\"maintenanceMarginBefore\":900.0,"
            + "\"equityAfter\":987.75,\"maintenanceMarginAfter\":500.0}");
        assertThat(EventWriter.toJsonLine(new MarginCallEvent(8, "a", 10.0, 8.0, 2.5, trades)))
            .isEqualTo("{\"seq\":8,\"type\":\"margin-call\",\"account\":\"a\",\"equity\":10.0,\"maintenanceMargin\":8.0,"
                + "\"shortfallAt2Sigma\":2.5,\"hedge\":[{\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":-1.5,"
                + "\"price\":90000.0,\"cost\":12.25}]}");
        // without a hedge the margin call is FORMATS.md's, byte for byte
        assertThat(EventWriter.toJsonLine(new MarginCallEvent(8, "a", 10.0, 8.0, 2.5, List.of())))
            .isEqualTo("{\"seq\":8,\"type\":\"margin-call\",\"account\":\"a\",\"equity\":10.0,\"maintenanceMargin\":8.0,"
                + "\"shortfallAt2Sigma\":2.5}");
    }

    @Test
    void readingAHedgeEventNamesTheBadField() {
        String ok = "{\"seq\":7,\"type\":\"hedge\",\"account\":\"a\",\"goal\":\"healthy\",\"goalReached\":true,"
            + "\"trades\":[{\"instrument\":\"X\",\"size\":1,\"price\":2,\"cost\":3}],\"totalCost\":3,\"equityBefore\":1,"
            + "\"maintenanceMarginBefore\":1,\"equityAfter\":1,\"maintenanceMarginAfter\":1}";
        assertThat(EventReader.read(ok)).isInstanceOf(HedgeEvent.class);
        assertField(ok.replace("\"size\":1,", ""), "trades[0].size");
        assertField(ok.replace("\"cost\":3}", "\"cost\":3,\"fee\":1}"), "trades[0].fee");
        assertField(ok.replace("\"goalReached\":true", "\"goalReached\":1"), "goalReached");
        assertField(ok.replace("\"trades\":[", "\"trades\":{\"x\":").replace("}],", "}},"), "trades");
        assertField("{\"seq\":8,\"type\":\"margin-call\",\"account\":\"a\",\"equity\":10.0,\"maintenanceMargin\":8.0,"
            + "\"shortfallAt2Sigma\":2.5,\"hedge\":[]}", "hedge");
    }

    private static void assertField(String line, String field) {
        assertThatThrownBy(() -> EventReader.read(line)).as(line).isInstanceOf(InputException.class)
            .extracting(e -> ((InputException) e).field()).isEqualTo(field);
    }

    @Test
    void liquidationHedgeLinesRoundTripBitForBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n = 0; n < 300; n++) {
            List<LiquidationHedge.Trade> trades = new ArrayList<>();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                double size = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(rnd.nextDouble() + 0.01, rnd.nextInt(-20, 20));
                trades.add(new LiquidationHedge.Trade(rnd.nextBoolean() ? "BTC_USDC-PERPETUAL" : "ETH_USDC-27MAR26",
                    size, 1 + rnd.nextDouble() * 1e5, rnd.nextDouble() * 1e3, rnd.nextDouble() * 1e7,
                    rnd.nextBoolean() ? "BTC" : "ETH"));
            }
            LiquidationHedge h = new LiquidationHedge(T.plusMillis(rnd.nextLong(1L << 40)), "acct-" + n, trades,
                rnd.nextDouble() * 1e4, rnd.nextInt(5) == 0 ? Double.POSITIVE_INFINITY : rnd.nextDouble() * 1e5);
            String line = LiquidationCommandCodec.toJsonLine(h);
            assertThat(line).startsWith("{\"type\":\"liquidation-hedge\"");
            Record back = LiquidationCommandCodec.read(line);
            assertThat(back).isEqualTo(h);
            assertThat(LiquidationCommandCodec.toJsonLine((LiquidationHedge) back)).isEqualTo(line);
        }
        assertThatThrownBy(() -> LiquidationCommandCodec.read("{\"type\":\"liquidation-hedge\",\"time\":"
            + "\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"trades\":[{\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":1,"
            + "\"price\":1,\"notional\":1,\"underlying\":\"BTC\"}],\"cost\":1,\"closingCost\":2}"))
            .isInstanceOf(InputException.class).extracting(e -> ((InputException) e).field()).isEqualTo("trades[0].fee");
    }

    @Test
    void randomHedgeAndAccountCommandsRoundTrip() {
        RandomCommands v = new RandomCommands(5);
        int seen = 0;
        for (int n = 0; n < 3000 && seen < 200; n++) {
            Command c = v.next();
            if (c instanceof HedgeCommand || c instanceof AccountOptionsCommand) {
                seen++;
                String line = CommandWriter.toJsonLine(c);
                assertThat(CommandReaderTest.parsed(line)).as(line).isEqualTo(c);
                assertThat(CommandWriter.toJsonLine(CommandReaderTest.parsed(line))).isEqualTo(line);
            }
        }
        assertThat(seen).isEqualTo(200);
        Event e = EventRoundTripPropertyTest.randomEvent(new SplittableRandom(3), v);
        assertThat(EventReader.read(EventWriter.toJsonLine(e)).type()).isEqualTo(e.type());
    }
}
