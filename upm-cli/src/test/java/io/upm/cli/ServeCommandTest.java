package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.service.security.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upm keys add} and the option checks of {@code upm serve} (the service itself is tested in upm-service). */
class ServeCommandTest {

    @Test
    void keysAddPrintsAKeyOnceAndTheFileKeepsOnlyItsHash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        CliRunner.Run r = run("keys", "add", "--role", "trader", "--account", "alice", "--keys", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String key = r.out().trim();
        assertThat(key).startsWith("upm_");
        String text = Files.readString(file);
        assertThat(text).doesNotContain(key.substring(18)).contains("\"trader\"", "\"alice\"");
        assertThat(KeyStore.read(file).authenticate(key).orElseThrow().accounts()).containsExactly("alice");
        CliRunner.Run second = run("keys", "add", "--role", "viewer", "--keys", file.toString());
        assertThat(second.status()).isZero();
        assertThat(KeyStore.read(file).size()).isEqualTo(2);
    }

    @Test
    void badOptionsExitWithStatus2AndNameTheOption(@TempDir Path dir) {
        Path file = dir.resolve("keys.json");
        CliRunner.Run role = run("keys", "add", "--role", "boss", "--keys", file.toString());
        assertThat(role.status()).isEqualTo(2);
        assertThat(role.err()).startsWith("--role: unknown role \"boss\"");
        CliRunner.Run trader = run("keys", "add", "--role", "trader", "--keys", file.toString());
        assertThat(trader.status()).isEqualTo(2);
        assertThat(trader.err()).startsWith("--account:");
        assertThat(Files.exists(file)).isFalse();
        CliRunner.Run port = run("serve", "--port", "70000");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.err()).startsWith("--port:");
        assertThat(port.out()).isEmpty();
    }
}
