package io.upm.cluster;

import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import org.apache.kafka.streams.KafkaStreams;

/** An engine node in a process of its own, for tests that kill it: prints RUNNING once it processes, then waits. */
public final class NodeProcess {
    private NodeProcess() {
    }

    /** Arguments: bootstrap address, state directory. */
    public static void main(String[] args) throws InterruptedException {
        EngineNode node = new EngineNode(ClusterBrokerTest.settings(args[0], Path.of(args[1])), ClusterBrokerTest.overrides());
        node.streams().setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("RUNNING");
                System.out.flush();
            }
        });
        node.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
