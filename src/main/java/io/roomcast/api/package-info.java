/** REST resources: HTTP publish, stats, cluster, shard lookup and the admin actions. */
package io.roomcast.api;
