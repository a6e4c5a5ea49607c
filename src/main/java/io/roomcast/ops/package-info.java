/** What operators see and use: metrics, health checks, capacity and drain. */
package io.roomcast.ops;
