package io.roomcast.api;

import io.roomcast.protocol.ProtocolException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every {@link ProtocolException} thrown by a resource becomes a JSON error (see {@link ErrorResponses}). */
@Provider
public class ProtocolExceptionMapper implements ExceptionMapper<ProtocolException> {

    @Override
    public Response toResponse(ProtocolException refusal) {
        return ErrorResponses.of(refusal);
    }
}
