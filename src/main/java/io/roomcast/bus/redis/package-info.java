/**
 * The Redis bus: a pool of publishing lanes, one subscriber connection with reconnect and an
 * end-to-end probe, and the node directory (heartbeats). The only package that imports Jedis.
 */
package io.roomcast.bus.redis;
