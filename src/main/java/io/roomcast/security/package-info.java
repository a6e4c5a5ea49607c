/**
 * Identity (JWT or trusted proxy headers), the Origin allow-list, room access rules, API roles
 * and the per-address connection limit. Plain classes and CDI beans; the WebSocket and HTTP edges
 * call them with a {@link io.roomcast.security.CallerRequest} view of their request.
 */
package io.roomcast.security;
