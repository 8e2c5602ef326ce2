package io.upm.cli;

import io.upm.cluster.DevBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upm kafka-broker}: a real single-node Kafka broker (KRaft) in this process, from the Kafka server library,
 * for development and demos of the cluster (docs/cluster.md). Runs until stopped (Ctrl-C).
 */
@Command(name = "kafka-broker", mixinStandardHelpOptions = true,
    description = "Run a single-node Kafka broker (KRaft) for development: clients on localhost:PORT, its controller on PORT+1.")
final class KafkaBrokerCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "kafka-data", paramLabel = "DIR",
        description = "the broker's data directory, formatted on first use (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
        description = "the client port (default: ${DEFAULT-VALUE}); the controller listens on PORT+1")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65534) {
            throw new BadInput("--port: must be between 1 and 65534, got " + port);
        }
        DevBroker broker = DevBroker.start(dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        System.out.println("kafka broker ready: --bootstrap " + broker.bootstrap() + " (data in " + dir.toAbsolutePath() + ")");
        System.out.flush();
        broker.awaitShutdown();
        return 0;
    }
}
