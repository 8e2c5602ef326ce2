package io.upm.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.command.Command;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random valid commands of every type: written, read back equal, and written again to the same bytes. */
class CommandRoundTripPropertyTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void writeThenReadGivesTheSameCommand(long seed) {
        RandomCommands random = new RandomCommands(seed);
        for (int i = 0; i < 500; i++) {
            Command command = random.next();
            String line = CommandWriter.toJsonLine(command);
            assertThat(line).doesNotContain("\n").doesNotContain("\r");
            ReadResult read = CommandReader.read(line);
            assertThat(read).as("read back %s", line).isEqualTo(new ReadResult.Parsed(command));
            assertThat(CommandWriter.toJsonLine(((ReadResult.Parsed) read).command())).isEqualTo(line);
        }
    }
}
