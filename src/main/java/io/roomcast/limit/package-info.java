/**
 * Rate limits shared by the edges: the token bucket of each WebSocket connection, and the
 * per-caller buckets of the HTTP API. Plain Java, no container.
 */
package io.roomcast.limit;
