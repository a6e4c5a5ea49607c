/**
 * The operators' admin console API under {@code /api/admin}: a live cluster snapshot as
 * server-sent events, and the console's actions (drain a node, disconnect a session, send a
 * system message), each forwarded to the node it concerns and logged with who asked.
 */
package io.roomcast.admin;
