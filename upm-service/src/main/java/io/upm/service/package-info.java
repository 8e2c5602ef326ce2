/**
 * {@code upm serve}: the live engine behind HTTP and WebSocket, with API keys, rate limits, metrics and the
 * dashboard (FORMATS.md "HTTP API", docs/service.md).
 */
package io.upm.service;
