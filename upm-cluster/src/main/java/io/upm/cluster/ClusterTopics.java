package io.upm.cluster;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The cluster's topic names and the one rule that maps an account to a partition. The rule is Kafka's own default
 * partitioner for a string key (murmur2 of its UTF-8 bytes, made positive, modulo the partition count), so that the
 * events topic, keyed by account and written with the default partitioner, puts an account's events on the same
 * partition number as its commands.
 */
public final class ClusterTopics {
    /** The input: sequenced commands, one partition per engine (the ingest writes it). */
    public static final String COMMANDS = "upm.commands";
    /** The output: every event, keyed by account ({@value #MARKET_KEY} for events of no account). */
    public static final String EVENTS = "upm.events";
    /**
     * The account commands' verdicts for the ingest: one record per account command, {@code <seq> <clock ms>} (the
     * owner's clock after it), one partition.
     */
    public static final String VERDICTS = "upm.verdicts";
    /** The Kafka Streams application id of the engine nodes (also the prefix of its changelog topic). */
    public static final String APPLICATION_ID = "upm-engine";
    /**
     * The header of every event on the events topic (decimal): its order within its seq, by which a reader of several
     * partitions puts them back in the single engine's order ({@link EventOrder}): the run of the engine's command it
     * belongs to (from 0), or {@link EventOrder#PASS} + its place among the events of the venue's liquidation pass.
     */
    public static final String ORDER_HEADER = "upm.order";
    /** The key of events that belong to no account (a rejected {@code market} command, a malformed line). */
    public static final String MARKET_KEY = "";
    /** The default number of partitions of both topics. */
    public static final int DEFAULT_PARTITIONS = 6;

    private ClusterTopics() {
    }

    /**
     * The partition of an account.
     *
     * @param account    the account id (not null)
     * @param partitions the partition count, at least 1
     */
    public static int partitionOf(String account, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: must be at least 1, got " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
