package io.upm.service.cluster;

import io.upm.cluster.CommandIngest;
import io.upm.margin.params.MarginParameters;
import java.time.Duration;

/**
 * Where the Kafka cluster of engines is and how the service writes to it ({@code upm serve --bootstrap}); every
 * setting in one place, checked by {@link #check()}.
 *
 * @param bootstrap       the Kafka bootstrap address, {@code HOST:PORT[,HOST:PORT...]}
 * @param partitions      0: use the partition count of the existing topics (they must exist: {@code upm node} creates
 *                        them); above 0: create the topics with this many partitions if they are missing (replication
 *                        1, as {@code upm node send} does: development), and use the count they have
 * @param transactionalId the transactional id of the service's ingest (default {@value CommandIngest#TRANSACTIONAL_ID},
 *                        the one {@code upm node send} uses: the cluster has one sequencer, and the last ingest to open
 *                        with the id fences the other)
 * @param startTimeout    longest wait at start for the cluster's engines to have applied every command already in the
 *                        commands topic (the read model is rebuilt from their events first); default 60 s
 * @param params          the nodes' margin parameters: the ingest keeps a shadow of the market-wide state with them
 *                        (docs/cluster.md, "Time"); default {@link MarginParameters#defaults()}
 */
public record ClusterSettings(String bootstrap, int partitions, String transactionalId, Duration startTimeout,
        MarginParameters params) {

    /** The defaults for a bootstrap address. */
    public static ClusterSettings of(String bootstrap) {
        return new ClusterSettings(bootstrap, 0, CommandIngest.TRANSACTIONAL_ID, Duration.ofSeconds(60),
            MarginParameters.defaults());
    }

    /** With a partition count for topics that must be created (0: the existing topics' count). */
    public ClusterSettings withPartitions(int p) {
        return new ClusterSettings(bootstrap, p, transactionalId, startTimeout, params);
    }

    /** With another transactional id for the ingest. */
    public ClusterSettings withTransactionalId(String id) {
        return new ClusterSettings(bootstrap, partitions, id, startTimeout, params);
    }

    /** With another start timeout. */
    public ClusterSettings withStartTimeout(Duration d) {
        return new ClusterSettings(bootstrap, partitions, transactionalId, d, params);
    }

    /** With the nodes' margin parameters (for the ingest's shadow of the market-wide state). */
    public ClusterSettings withParams(MarginParameters p) {
        return new ClusterSettings(bootstrap, partitions, transactionalId, startTimeout, p);
    }

    /** Checks every setting; throws {@link IllegalArgumentException} naming the first bad one. */
    public ClusterSettings check() {
        if (bootstrap == null || bootstrap.isBlank() || bootstrap.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bootstrap: must be HOST:PORT[,HOST:PORT...] without spaces, got "
                + (bootstrap == null ? "nothing" : "\"" + bootstrap + "\""));
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: must be >= 0 (0: the existing topics' count), got " + partitions);
        }
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("transactionalId: must not be empty");
        }
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout: must be > 0, got " + startTimeout);
        }
        if (params == null) {
            throw new IllegalArgumentException("params: must be given (the nodes' margin parameters)");
        }
        return this;
    }
}
