package io.roomcast.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API (PROTOCOL.md section 2) under {@code <context root>/api}. */
@ApplicationPath("api")
public class RoomcastApi extends Application {
}
