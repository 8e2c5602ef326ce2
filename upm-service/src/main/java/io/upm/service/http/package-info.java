/**
 * The service's HTTP edge: request readers (the CLI's errors), the WebSocket stream, the metrics and refusals.
 */
package io.upm.service.http;
