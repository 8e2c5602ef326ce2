/**
 * The service's read side: immutable views built on the engine thread from the engine's events, and the event stream
 * that the WebSocket clients subscribe to.
 */
package io.upm.service.read;
