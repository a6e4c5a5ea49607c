/**
 * Rooms and connections in plain Java: room-id rules, the membership registry, the connected
 * members and their capacity, and the guards that may refuse a join or publish.
 */
package io.roomcast.room;
