/**
 * The engine behind the service: {@link io.upm.service.engine.EngineBackend}, what the HTTP edge needs from it, and
 * {@link io.upm.service.engine.EngineHost}, the in-process back end (the single writer thread that owns the live engine
 * and its journal, fed through a queue). The other back end, in front of a Kafka cluster, is in
 * {@code io.upm.service.cluster}.
 */
package io.upm.service.engine;
