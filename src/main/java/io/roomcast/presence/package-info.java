/**
 * Presence (PROTOCOL.md section 8): who is in a room across every node. Fed by the registry's
 * membership changes, stored where the bus lives (the bus's {@code PresenceStore}), and told to
 * watching connections as coalesced {@code presence_join} / {@code presence_leave} events.
 */
package io.roomcast.presence;
