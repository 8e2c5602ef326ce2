/**
 * The engine scaled out on Kafka Streams (docs/cluster.md): the ingest that numbers every input line once and routes
 * it ({@link io.upm.cluster.CommandIngest}, {@link io.upm.cluster.CommandRouter}: account commands to the partition
 * of their account, market-wide commands to every partition, the other partitions' times as ticks), one unchanged
 * {@link io.upm.engine.core.MarginEngine} per partition inside a Kafka Streams processor with exactly-once processing
 * ({@link io.upm.cluster.EngineProcessor}, {@link io.upm.cluster.PartitionEngine}, its state store layout
 * {@link io.upm.cluster.EngineState}), the venue's liquidation run by the ingest on the accounts the partitions hand in
 * ({@link io.upm.cluster.VenueLiquidation}, {@link io.upm.cluster.Verdict}), the engine nodes
 * ({@link io.upm.cluster.EngineNode}) and a single-node KRaft broker for development ({@link io.upm.cluster.DevBroker}).
 */
package io.upm.cluster;
