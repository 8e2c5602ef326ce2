package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upm engine} and {@code upm bench engine} as a user runs them, on the example session. */
class EngineCommandTest {
    static final Path SESSION = Path.of("..", "examples", "engine", "session.jsonl");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExampleSessionRunsRecoversAndReplaysByteForByte(@TempDir Path tmp) throws Exception {
        Path journal = tmp.resolve("journal");
        CliRunner.Run first = run("engine", "--journal", journal.toString(), "--input", SESSION.toString());
        assertThat(first.status()).as(first.err()).isZero();
        List<String> events = first.out().lines().toList();
        long commands = Files.readAllLines(SESSION).size();
        for (String e : events) {
            JsonNode n = JSON.readTree(e);
            assertThat(n.get("seq").asLong()).isBetween(1L, commands);
        }
        // a malformed command: rejected naming its field; a business rejection: no field
        assertThat(events).anyMatch(e -> e.contains("\"type\":\"rejected\"") && e.contains("\"field\":\"amount\""));
        assertThat(events).anyMatch(e -> e.contains("\"command\":\"order\"") && e.contains("\"type\":\"rejected\""));
        assertThat(events).anyMatch(e -> e.contains("\"type\":\"report\""));
        // started again on the same journal with no input: recovered, nothing else
        Path empty = tmp.resolve("empty.jsonl");
        Files.writeString(empty, "");
        CliRunner.Run again = run("engine", "--journal", journal.toString(), "--input", empty.toString());
        assertThat(again.out().lines().toList()).hasSize(1);
        JsonNode recovered = JSON.readTree(again.out().lines().findFirst().orElseThrow());
        assertThat(recovered.get("type").asText()).isEqualTo("recovered");
        assertThat(recovered.get("lastSeq").asLong()).isEqualTo(commands);
        assertThat(recovered.get("accounts").asInt()).isEqualTo(2);
        // replay: the same events, byte for byte
        CliRunner.Run replay = run("engine", "replay", "--journal", journal.toString());
        assertThat(replay.status()).isZero();
        assertThat(replay.out()).isEqualTo(first.out());
    }

    @Test
    void aJournalIsReplayedUnderItsOwnParametersOnly(@TempDir Path tmp) throws Exception {
        Path journal = tmp.resolve("journal");
        assertThat(run("engine", "--journal", journal.toString(), "--input", SESSION.toString()).status()).isZero();
        CliRunner.Run other = run("engine", "--journal", journal.toString(), "--params",
            Path.of("..", "examples", "params-conservative.yaml").toString(), "--input", SESSION.toString());
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.out()).isEmpty();
        assertThat(other.err().lines().toList()).hasSize(1);
        assertThat(other.err()).contains("--params").contains("params.json");
    }

    @Test
    void missingJournalOptionIsAUsageError() {
        CliRunner.Run r = run("engine");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--journal");
    }

    @Test
    void theEngineBenchmarkReportsItsFigures(@TempDir Path tmp) throws Exception {
        CliRunner.Run r = run("bench", "engine", "--accounts", "50", "--commands", "2000", "--tick-every", "500",
            "--dir", tmp.resolve("j").toString(), "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode n = JSON.readTree(r.out());
        for (String field : List.of("commandsPerSecondJournaled", "commandsPerSecondEngineOnly", "orderCheckLatencyP50Micros",
            "orderCheckLatencyP99Micros", "tickRemarginMillis", "recoveryMillis", "journalBytesPerCommand")) {
            assertThat(n.get(field).asDouble()).as(field).isPositive();
        }
        assertThat(n.get("recoveredCommands").asLong()).isEqualTo(n.get("setupCommands").asLong()
            + n.get("streamCommands").asLong());
    }
}
