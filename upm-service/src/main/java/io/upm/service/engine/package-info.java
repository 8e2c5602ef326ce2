/**
 * The service's engine thread: the single writer that owns the live engine and its journal, fed through a queue.
 */
package io.upm.service.engine;
