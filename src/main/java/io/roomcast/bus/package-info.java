/**
 * The message bus seam: how room messages travel between nodes. Implementations live in
 * sub-packages ({@code local}, {@code redis}) and know only this package.
 */
package io.roomcast.bus;
