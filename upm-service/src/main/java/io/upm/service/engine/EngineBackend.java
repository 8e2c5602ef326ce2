package io.upm.service.engine;

import io.upm.margin.MarginCalculator;
import io.upm.margin.WhatIf;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the service's HTTP edge needs from the engine behind it, whichever runs: the in-process engine thread
 * ({@link EngineHost}: one engine and its journal) or a Kafka cluster of engines ({@code io.upm.service.cluster.ClusterHost}:
 * the cluster's ingest in, its committed events out). The edge hands it command lines and waits for their events;
 * every event of every command also goes, in seq order, to the read model and the stream (the
 * {@link EngineHost.EventListener} the back end was opened with).
 *
 * <p>Implementations are thread-safe: any thread may call these methods.
 */
public interface EngineBackend extends AutoCloseable {
    /**
     * The outcome of one {@link #submit}.
     *
     * @param firstSeq the seq of its first command
     * @param lastSeq  the seq of its last command
     * @param events   the events of its commands, JSON lines in order
     */
    record Submitted(long firstSeq, long lastSeq, List<String> events) {
    }

    /**
     * Sequences and applies command lines; the future completes with their events once they are durable and applied.
     *
     * @param lines makes the lines from the engine's time now (its clock, or the wall clock to the second before the
     *              first command); must give {@code count} lines
     * @param count how many lines
     */
    CompletableFuture<Submitted> submit(Function<Instant, List<String>> lines, int count);

    /** As {@link #submit(Function, int)} for lines that need no time from the engine. */
    default CompletableFuture<Submitted> submit(List<String> lines) {
        List<String> copy = List.copyOf(lines);
        return submit(now -> copy, copy.size());
    }

    /**
     * What {@code upm whatif} would say for the account's positions and balances now, on the engine's market snapshot
     * (not sequenced: it changes nothing).
     *
     * @return empty for an unknown account or before the first market; completes exceptionally with an
     *         {@link io.upm.input.InputException} for an order that does not resolve, or with an
     *         {@link io.upm.service.http.ApiException} when the back end cannot answer what-ifs
     */
    CompletableFuture<Optional<WhatIf>> whatIf(String account, List<MarginCalculator.Order> orders);

    /** The engine's clock now (empty before the first command). */
    CompletableFuture<Optional<Instant>> clock();

    /** Commands handed in and not yet durable and applied. */
    long queuedCommands();

    /** The seq up to which every command is applied and its events published. */
    long appliedSeq();

    /** Whether the back end runs (false after a failure or {@link #close}). */
    boolean healthy();

    /** Why the back end stopped, or null. */
    Throwable failure();

    /** Stops after the work already handed in. */
    @Override
    void close();
}
