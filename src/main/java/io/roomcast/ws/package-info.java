/**
 * The WebSocket edge: the endpoint, the frame codec, and each connection's outbox and rate
 * limit. The only package that imports {@code jakarta.websocket}.
 */
package io.roomcast.ws;
