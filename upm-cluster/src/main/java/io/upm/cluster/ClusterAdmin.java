package io.upm.cluster;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the cluster's topics when they are missing (commands and events with the same partition count, the
 * verdicts with one) and checks the partition counts agree. Stateless.
 */
public final class ClusterAdmin {
    private ClusterAdmin() {
    }

    /**
     * Makes sure {@value ClusterTopics#COMMANDS} and {@value ClusterTopics#EVENTS} exist with {@code partitions}
     * partitions (created if missing) and returns the partition count they have.
     *
     * @param replication the replication factor of new topics (1 on a single development broker, 3 in production)
     * @throws IllegalStateException if the two topics exist with different partition counts
     */
    public static int ensureTopics(String bootstrap, int partitions, short replication) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: must be at least 1, got " + partitions);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> names = admin.listTopics().names().get();
            for (String topic : List.of(ClusterTopics.COMMANDS, ClusterTopics.EVENTS, ClusterTopics.VERDICTS)) {
                if (!names.contains(topic)) {
                    try {
                        int count = topic.equals(ClusterTopics.VERDICTS) ? 1 : partitions;
                        admin.createTopics(List.of(new NewTopic(topic, count, replication))).all().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Map<String, TopicDescription> d = null;
            for (int attempt = 0; d == null; attempt++) {
                try {
                    d = admin.describeTopics(List.of(ClusterTopics.COMMANDS, ClusterTopics.EVENTS)).allTopicNames().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= 100) {
                        throw e;
                    }
                    Thread.sleep(100); // a topic just created is not yet known to every part of the broker
                }
            }
            int commands = d.get(ClusterTopics.COMMANDS).partitions().size();
            int events = d.get(ClusterTopics.EVENTS).partitions().size();
            if (commands != events) {
                throw new IllegalStateException("topics " + ClusterTopics.COMMANDS + " (" + commands + " partitions) and "
                    + ClusterTopics.EVENTS + " (" + events + ") must have the same number of partitions");
            }
            return commands;
        } catch (ExecutionException e) {
            throw new IllegalStateException("bootstrap " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
