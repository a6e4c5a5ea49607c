package io.roomcast.admin;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The API's JSON error body ({@code {"code","message"}}, PROTOCOL.md section 2) for admin answers. */
final class AdminErrors {

    private AdminErrors() {
    }

    static Response response(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("code", code).add("message", message).build().toString())
                .build();
    }
}
