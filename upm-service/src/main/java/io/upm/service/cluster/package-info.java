/**
 * {@code upm serve --bootstrap}: the service in front of a Kafka cluster of engines (upm-cluster). Commands go through
 * the cluster's ingest; the committed events come back from the events topic, are held until every command up to a
 * seq has been applied by every partition, and are then handed to the read model and the stream in seq order, as the
 * in-process engine thread hands them (docs/service.md, "The service in front of a cluster").
 */
package io.upm.service.cluster;
