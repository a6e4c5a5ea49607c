/**
 * Small concurrency primitives shared by several features, so each subtle rule (who drains a
 * queue, how a wake-up cannot be lost) is written and tested once. Depends on nothing else of
 * Roomcast.
 */
package io.roomcast.concurrent;
