package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The option checks of {@code upm serve --bootstrap} (the service in front of a cluster is tested on a real broker in
 * upm-service): wrong combinations exit with status 2 naming the option, before any key file is written.
 */
class ServeClusterOptionsTest {

    @Test
    void clusterOptionsOutOfPlaceExitWithStatus2NamingTheOption(@TempDir Path dir) {
        Path keys = dir.resolve("keys.json");
        CliRunner.Run partitions = run("serve", "--partitions", "3", "--keys", keys.toString());
        assertThat(partitions.status()).isEqualTo(2);
        assertThat(partitions.err()).startsWith("--partitions/--transactional-id: only with --bootstrap");
        CliRunner.Run demo = run("serve", "--bootstrap", "localhost:9092", "--demo", "--keys", keys.toString());
        assertThat(demo.status()).isEqualTo(2);
        assertThat(demo.err()).startsWith("--bootstrap:").contains("--demo");
        CliRunner.Run blank = run("serve", "--bootstrap", "a b:9092", "--keys", keys.toString());
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).startsWith("--bootstrap: must be HOST:PORT");
        CliRunner.Run negative = run("serve", "--bootstrap", "localhost:9092", "--partitions", "-1", "--keys", keys.toString());
        assertThat(negative.status()).isEqualTo(2);
        assertThat(negative.err()).startsWith("--partitions: must be >= 0");
        CliRunner.Run id = run("serve", "--bootstrap", "localhost:9092", "--transactional-id", " ", "--keys", keys.toString());
        assertThat(id.status()).isEqualTo(2);
        assertThat(id.err()).startsWith("--transactional-id: must not be empty");
        assertThat(Files.exists(keys)).as("no key file written").isFalse();
    }
}
