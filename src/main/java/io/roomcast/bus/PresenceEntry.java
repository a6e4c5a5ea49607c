package io.roomcast.bus;

/**
 * One connection in one room, as presence stores it.
 *
 * @param room    the room id (already validated)
 * @param node    the id of the node the connection is open on
 * @param session the connection's id on that node (the {@code session} of its {@code welcome})
 * @param user    the connection's identity: the user name, else its session id
 */
public record PresenceEntry(String room, String node, String session, String user) {
}
