package io.upm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code upm kafka-broker} and {@code upm node}: registered, and bad options refused with status 2 naming them. */
class ClusterCommandsTest {

    @Test
    void theCommandsAreListedInTheUsage() {
        CliRunner.Run r = CliRunner.run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("kafka-broker", "node");
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndNothingStarts() {
        CliRunner.Run port = CliRunner.run("kafka-broker", "--port", "70000");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.err()).contains("--port: must be between 1 and 65534, got 70000");
        assertThat(port.out()).isEmpty();

        CliRunner.Run noBootstrap = CliRunner.run("node", "--instances", "3");
        assertThat(noBootstrap.status()).isEqualTo(2);
        assertThat(noBootstrap.err()).contains("--bootstrap HOST:PORT is required");

        CliRunner.Run instances = CliRunner.run("node", "--bootstrap", "localhost:1", "--instances", "0");
        assertThat(instances.status()).isEqualTo(2);
        assertThat(instances.err()).contains("--instances: must be between 1 and 64, got 0");

        CliRunner.Run batch = CliRunner.run("node", "send", "--bootstrap", "localhost:1", "--batch", "0");
        assertThat(batch.status()).isEqualTo(2);
        assertThat(batch.err()).contains("--batch: must be at least 1, got 0");
    }
}
