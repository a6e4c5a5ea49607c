/** The in-memory bus: one node, nothing else to run; the reference behaviour of the seam. */
package io.roomcast.bus.local;
