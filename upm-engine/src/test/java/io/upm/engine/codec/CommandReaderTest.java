package io.upm.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.command.CancelCommand;
import io.upm.engine.command.Command;
import io.upm.engine.command.CommandType;
import io.upm.engine.command.DepositCommand;
import io.upm.engine.command.FillCommand;
import io.upm.engine.command.FundingCommand;
import io.upm.engine.command.MarketCommand;
import io.upm.engine.command.OrderCommand;
import io.upm.engine.command.QuoteCommand;
import io.upm.engine.command.ReportCommand;
import io.upm.engine.command.SettleCommand;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.command.WithdrawCommand;
import io.upm.engine.event.RejectedEvent;
import io.upm.market.MarketFields;
import io.upm.product.InstrumentNames;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command type of FORMATS.md read from a line, and every kind of malformed line rejected naming its field. */
class CommandReaderTest {
    static final Instant T = Instant.parse("2025-11-25T08:00:00Z");

    static Command parsed(String line) {
        ReadResult r = CommandReader.read(line);
        assertThat(r).as("read %s", line).isInstanceOf(ReadResult.Parsed.class);
        return ((ReadResult.Parsed) r).command();
    }

    static ReadResult.Malformed malformed(String line) {
        ReadResult r = CommandReader.read(line);
        assertThat(r).as("read %s", line).isInstanceOf(ReadResult.Malformed.class);
        return (ReadResult.Malformed) r;
    }

    @Test
    void readsEveryCommandTypeWithEveryField() {
        assertThat(parsed("{\"type\":\"quote\",\"time\":\"2025-11-25T08:00:00Z\",\"source\":\"binance\","
            + "\"asset\":\"BTC\",\"price\":90120.5}"))
            .isEqualTo(new QuoteCommand(T, "binance", "BTC", 90120.5));
        assertThat(parsed("{\"type\":\"deposit\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"acct-7\","
            + "\"asset\":\"USDC\",\"amount\":150000}"))
            .isEqualTo(new DepositCommand(T, "acct-7", "USDC", 150_000));
        assertThat(parsed("{\"time\":\"2025-11-25T08:00:00Z\",\"amount\":0.5,\"asset\":\"BTC\",\"account\":\"a\","
            + "\"type\":\"withdraw\"}"))
            .isEqualTo(new WithdrawCommand(T, "a", "BTC", 0.5));
        assertThat(parsed("{\"type\":\"order\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"id\":\"o-1\","
            + "\"instrument\":\"BTC-26DEC25-100000-C\",\"size\":-3,\"price\":0.012}"))
            .isEqualTo(new OrderCommand(T, "a", "o-1", InstrumentNames.parse("BTC-26DEC25-100000-C", "x"), -3, 0.012));
        assertThat(parsed("{\"type\":\"cancel\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"id\":\"o-1\"}"))
            .isEqualTo(new CancelCommand(T, "a", "o-1"));
        assertThat(parsed("{\"type\":\"fill\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\","
            + "\"instrument\":\"BTC-PERPETUAL\",\"size\":100000,\"price\":91000,\"fee\":-1.25,\"order\":\"o-1\"}"))
            .isEqualTo(new FillCommand(T, "a", InstrumentNames.parse("BTC-PERPETUAL", "x"), 100_000, 91_000,
                OptionalDouble.of(-1.25), Optional.of("o-1")));
        assertThat(parsed("{\"type\":\"fill\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\","
            + "\"instrument\":\"ETH_USDC-27MAR26\",\"size\":-2,\"price\":3100}"))
            .isEqualTo(new FillCommand(T, "a", InstrumentNames.parse("ETH_USDC-27MAR26", "x"), -2, 3100,
                OptionalDouble.empty(), Optional.empty()));
        FundingCommand funding = (FundingCommand) parsed("{\"type\":\"funding\",\"time\":\"2025-11-25T08:00:00Z\","
            + "\"instrument\":\"BTC_USDC-PERPETUAL\",\"rate\":0.0001}");
        assertThat(funding.instrument().name()).isEqualTo("BTC_USDC-PERPETUAL");
        assertThat(funding.rate()).isEqualTo(0.0001);
        assertThat(parsed("{\"type\":\"settle\",\"time\":\"2025-12-26T08:00:00Z\",\"underlying\":\"BTC\","
            + "\"expiry\":\"26DEC25\",\"price\":88000}"))
            .isEqualTo(new SettleCommand(Instant.parse("2025-12-26T08:00:00Z"), "BTC",
                Instant.parse("2025-12-26T08:00:00Z"), OptionalDouble.of(88_000)));
        assertThat(parsed("{\"type\":\"settle\",\"time\":\"2025-12-26T08:00:00Z\",\"underlying\":\"BTC\","
            + "\"expiry\":\"26DEC25\"}"))
            .isEqualTo(new SettleCommand(Instant.parse("2025-12-26T08:00:00Z"), "BTC",
                Instant.parse("2025-12-26T08:00:00Z"), OptionalDouble.empty()));
        assertThat(parsed("{\"type\":\"report\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\"}"))
            .isEqualTo(new ReportCommand(T, "a"));
        assertThat(parsed("{\"type\":\"snapshot\",\"time\":\"2025-11-25T08:00:00.123456789Z\"}"))
            .isEqualTo(new SnapshotCommand(Instant.parse("2025-11-25T08:00:00.123456789Z")));
    }

    @Test
    void readsAMarketCommandAsAPartialSnapshotWithoutCrossReferences() {
        // no prices at all, and forwards, marks and vols for assets whose price the engine already has
        MarketCommand m = (MarketCommand) parsed("{\"type\":\"market\",\"time\":\"2025-11-25T08:00:00Z\","
            + "\"forwards\":{\"BTC\":{\"27MAR26\":92100}},\"marks\":{\"BTC-PERPETUAL\":90040},"
            + "\"vols\":{\"BTC\":{\"26DEC25\":{\"80000\":0.62,\"90000\":0.55}},\"ETH\":{\"flat\":0.7}},"
            + "\"correlations\":{\"BTC/ETH\":0.82},\"adv\":{\"BTC\":25000000000},\"rate\":0.01}");
        MarketFields f = m.fields();
        assertThat(f.prices()).isEmpty();
        assertThat(f.forwards()).isEqualTo(Map.of("BTC", Map.of("27MAR26", 92_100.0)));
        assertThat(f.marks()).isEqualTo(Map.of("BTC-PERPETUAL", 90_040.0));
        assertThat(f.vols().get("BTC").expiries()).isEqualTo(Map.of("26DEC25", Map.of("80000", 0.62, "90000", 0.55)));
        assertThat(f.vols().get("ETH").flat()).hasValue(0.7);
        assertThat(f.correlations()).isEqualTo(Map.of("BTC/ETH", 0.82));
        assertThat(f.adv()).isEqualTo(Map.of("BTC", 25e9));
        assertThat(f.rate()).hasValue(0.01);
        assertThat(((MarketCommand) parsed("{\"type\":\"market\",\"time\":\"2025-11-25T08:00:00Z\"}")).fields()
            .isEmpty()).isTrue();
    }

    /** A malformed line, the field its rejection names, and a part of the reason. */
    static Stream<Arguments> malformedLines() {
        String t = "\"time\":\"2025-11-25T08:00:00Z\"";
        return Stream.of(
            // not a command at all
            Arguments.of("", "", "empty document"),
            Arguments.of("   ", "", "empty document"),
            Arguments.of("hello", "", "invalid JSON"),
            Arguments.of("{\"type\":\"report\"", "", "invalid JSON"),
            Arguments.of("[1,2]", "", "expected a JSON object, got array"),
            Arguments.of("null", "", "expected a JSON object, got null"),
            Arguments.of("{\"type\":\"snapshot\"," + t + "} {}", "", "unexpected content after the end"),
            // type
            Arguments.of("{" + t + "}", "type", "missing required field"),
            Arguments.of("{\"type\":7," + t + "}", "type", "expected a string, got number"),
            Arguments.of("{\"type\":\"ordr\"," + t + "}", "type", "unknown command type \"ordr\" (expected market,"),
            Arguments.of("{\"type\":\"Order\"," + t + "}", "type", "unknown command type"),
            // unknown and duplicate members
            Arguments.of("{\"type\":\"report\"," + t + ",\"acount\":\"a\"}", "acount", "unknown field"),
            Arguments.of("{\"type\":\"quote\"," + t + ",\"source\":\"s\",\"asset\":\"BTC\",\"price\":1,\"account\":\"a\"}",
                "account", "unknown field"),
            Arguments.of("{\"type\":\"report\"," + t + ",\"account\":\"a\",\"account\":\"b\"}", "account",
                "duplicate key"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"price\":{\"BTC\":1}}", "price", "unknown field"),
            // time
            Arguments.of("{\"type\":\"snapshot\"}", "time", "missing required field"),
            Arguments.of("{\"type\":\"snapshot\",\"time\":1764057600}", "time", "expected a string, got number"),
            Arguments.of("{\"type\":\"snapshot\",\"time\":\"2025-11-25 08:00\"}", "time", "not an ISO-8601 instant"),
            Arguments.of("{\"type\":\"snapshot\",\"time\":\"+10000-01-01T00:00:00Z\"}", "time", "out of range"),
            // missing fields and wrong types
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\"}", "amount",
                "missing required field"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":\"5\"}",
                "amount", "expected a number, got string"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":null}",
                "amount", "expected a number, got null"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":7,\"asset\":\"BTC\",\"amount\":5}",
                "account", "expected a string, got number"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\" \",\"asset\":\"BTC\",\"amount\":5}",
                "account", "must not be blank"),
            Arguments.of("{\"type\":\"order\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":1,\"price\":1}", "id", "missing required field"),
            Arguments.of("{\"type\":\"fill\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":1,\"price\":1,\"fee\":\"1\"}", "fee", "expected a number, got string"),
            Arguments.of("{\"type\":\"fill\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":1,\"price\":1,\"order\":\"\"}", "order", "must not be blank"),
            // NaN, Infinity and overflowing numbers
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":NaN}",
                "amount", "NaN is not a number"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":Infinity}",
                "amount", "Infinity is not a number"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":1e400}",
                "amount", "overflows a double"),
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":1"
                + "0".repeat(400) + "}", "amount", "overflows a double"),
            Arguments.of("{\"type\":\"quote\"," + t + ",\"source\":\"s\",\"asset\":\"BTC\",\"price\":-1e400}",
                "price", "overflows a double"),
            // non-positive amounts and prices, zero sizes
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":0}",
                "amount", "must be positive"),
            Arguments.of("{\"type\":\"withdraw\"," + t + ",\"account\":\"a\",\"asset\":\"BTC\",\"amount\":-5}",
                "amount", "must be positive"),
            Arguments.of("{\"type\":\"quote\"," + t + ",\"source\":\"s\",\"asset\":\"BTC\",\"price\":0}",
                "price", "must be a positive price"),
            Arguments.of("{\"type\":\"quote\"," + t + ",\"source\":\"s\",\"asset\":\"BTC\",\"price\":2e12}",
                "price", "at most 1000000000000"),
            Arguments.of("{\"type\":\"order\"," + t + ",\"account\":\"a\",\"id\":\"o\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":0,\"price\":1}", "size", "must not be zero"),
            Arguments.of("{\"type\":\"order\"," + t + ",\"account\":\"a\",\"id\":\"o\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":-0.0,\"price\":1}", "size", "must not be zero"),
            Arguments.of("{\"type\":\"fill\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC-PERPETUAL\","
                + "\"size\":1,\"price\":-90000}", "price", "must be a positive price"),
            Arguments.of("{\"type\":\"settle\"," + t + ",\"underlying\":\"BTC\",\"expiry\":\"26DEC25\",\"price\":0}",
                "price", "must be a positive price"),
            Arguments.of("{\"type\":\"funding\"," + t + ",\"instrument\":\"BTC-PERPETUAL\",\"rate\":1.5}",
                "rate", "must be a fraction in [-1, 1]"),
            // asset codes, instrument names, expiries
            Arguments.of("{\"type\":\"deposit\"," + t + ",\"account\":\"a\",\"asset\":\"btc\",\"amount\":1}",
                "asset", "is not an asset code"),
            Arguments.of("{\"type\":\"quote\"," + t + ",\"source\":\"\",\"asset\":\"BTC\",\"price\":1}",
                "source", "must not be blank"),
            Arguments.of("{\"type\":\"order\"," + t + ",\"account\":\"a\",\"id\":\"o\",\"instrument\":\"BTC-PERP\","
                + "\"size\":1,\"price\":1}", "instrument", "expiry \"PERP\""),
            Arguments.of("{\"type\":\"order\"," + t + ",\"account\":\"a\",\"id\":\"o\",\"instrument\":\"BTC-26DEX25\","
                + "\"size\":1,\"price\":1}", "instrument", "unknown expiry month \"DEX\""),
            Arguments.of("{\"type\":\"fill\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC-26DEC25-100000-X\","
                + "\"size\":1,\"price\":1}", "instrument", "neither C nor P"),
            Arguments.of("{\"type\":\"fill\"," + t + ",\"account\":\"a\",\"instrument\":\"BTC_EUR-PERPETUAL\","
                + "\"size\":1,\"price\":1}", "instrument", "unknown settlement currency"),
            Arguments.of("{\"type\":\"funding\"," + t + ",\"instrument\":\"BTC-27MAR26\",\"rate\":0.001}",
                "instrument", "perpetuals only"),
            Arguments.of("{\"type\":\"settle\"," + t + ",\"underlying\":\"BTC\",\"expiry\":\"31FEB26\"}",
                "expiry", "not a calendar date"),
            Arguments.of("{\"type\":\"settle\"," + t + ",\"underlying\":\"btc\",\"expiry\":\"27MAR26\"}",
                "underlying", "is not an asset code"),
            // the market command's fields, as strictly as a market snapshot
            Arguments.of("{\"type\":\"market\"," + t + ",\"prices\":{\"BTC\":-5}}", "prices.BTC",
                "price must be positive"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"prices\":{\"BTC\":NaN}}", "prices.BTC",
                "NaN is not a number"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"prices\":[]}", "prices", "expected an object, got array"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"forwards\":{\"BTC\":{\"27MAR2\":1}}}",
                "forwards.BTC.27MAR2", "is not DMMMYY"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"forwards\":{\"BTC\":{\"27MAR25\":1}}}",
                "forwards.BTC.27MAR25", "expiry is before the snapshot time"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"marks\":{\"BTC-27MAR26\":1}}", "marks.BTC-27MAR26",
                "only perpetuals take a mark"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"vols\":{\"BTC\":{\"flat\":0.5,\"27MAR26\":{\"1\":0.5}}}}",
                "vols.BTC", "give either \"flat\" or expiries, not both"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"vols\":{\"BTC\":{\"flt\":0.5}}}", "vols.BTC.flt",
                "nor \"flat\""),
            Arguments.of("{\"type\":\"market\"," + t + ",\"vols\":{\"BTC\":{}}}", "vols.BTC", "no vols"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"correlations\":{\"BTC/BTC\":0.5}}",
                "correlations.BTC/BTC", "with itself"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"correlations\":{\"BTC/ETH\":1.5}}",
                "correlations.BTC/ETH", "must be in [-1, 1]"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"correlations\":{\"BTC/ETH\":0.5,\"ETH/BTC\":0.5}}",
                "correlations.ETH/BTC", "pair given twice"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"adv\":{\"BTC\":0}}", "adv.BTC", "must be positive"),
            Arguments.of("{\"type\":\"market\"," + t + ",\"rate\":2}", "rate", "[-1, 1]"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void rejectsAMalformedLineNamingTheField(String line, String field, String reasonPart) {
        ReadResult.Malformed m = malformed(line);
        assertThat(m.field()).as("field of %s", m).isEqualTo(field);
        assertThat(m.reason()).as("reason of %s", m).contains(reasonPart);
    }

    @Test
    void aRejectionCarriesWhatCouldBeReadOfTheCommand() {
        ReadResult.Malformed m = malformed("{\"type\":\"order\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a-1\","
            + "\"id\":\"o-9\",\"instrument\":\"BTC-PERPETUAL\",\"size\":\"big\",\"price\":1}");
        assertThat(m.toEvent(42)).isEqualTo(new RejectedEvent(42, CommandType.ORDER, "a-1", "o-9",
            "expected a number, got string", "size"));
        // a type without an account or id: nothing of the kind is echoed, even if the line has such members
        ReadResult.Malformed q = malformed("{\"type\":\"quote\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"x\"}");
        assertThat(q.command()).isEqualTo(CommandType.QUOTE);
        assertThat(q.account()).isNull();
        // an unknown type: no command type, nothing echoed
        ReadResult.Malformed u = malformed("{\"type\":\"teleport\",\"account\":\"a\",\"id\":\"o\"}");
        assertThat(u.command()).isNull();
        assertThat(u.account()).isNull();
        assertThat(u.id()).isNull();
        // not JSON: nothing known
        assertThat(malformed("\u0000\u0001garbage").toEvent(1)).satisfies(e -> {
            assertThat(e.command()).isNull();
            assertThat(e.field()).isEmpty();
        });
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        String valid = "{\"type\":\"order\",\"time\":\"2025-11-25T08:00:00Z\",\"account\":\"a\",\"id\":\"o\","
            + "\"instrument\":\"BTC-26DEC25-100000-C\",\"size\":-3,\"price\":0.012}";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(valid);
            int edits = 1 + rnd.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, (char) rnd.nextInt(0x20, 0x7F));
                    default -> sb.setCharAt(at, (char) rnd.nextInt(0, 0x3000));
                }
            }
            ReadResult r = CommandReader.read(sb.toString());
            assertThat(r).isNotNull();
            if (r instanceof ReadResult.Parsed p) {
                // whatever survived the edits reads back the same after a round trip
                assertThat(CommandReader.read(CommandWriter.toJsonLine(p.command())))
                    .isEqualTo(new ReadResult.Parsed(p.command()));
            }
        }
        assertThat(CommandReader.read(null)).isInstanceOf(ReadResult.Malformed.class);
    }
}
