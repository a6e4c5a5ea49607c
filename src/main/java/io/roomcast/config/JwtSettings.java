package io.roomcast.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@code jwt} mode verifies tokens: the MicroProfile JWT keys plus Roomcast's query
 * parameter.
 *
 * @param keyLocation {@code mp.jwt.verify.publickey.location}: an http(s) JWKS URL (fetched and
 *                    cached), or a file or class-path resource holding a PEM key or a JWKS
 * @param key         {@code mp.jwt.verify.publickey}: the key itself (PEM or JWKS); wins over the location
 * @param issuer      {@code mp.jwt.verify.issuer}: the only accepted {@code iss}
 * @param audiences   {@code mp.jwt.verify.audiences}: a token must name one of them; empty skips the check
 * @param algorithm   {@code mp.jwt.verify.publickey.algorithm}: {@code RS256} (default) or {@code ES256}
 * @param clockSkew   {@code mp.jwt.verify.clock.skew}: tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param cookie      {@code mp.jwt.token.cookie}: the cookie that may carry the token ({@code Bearer})
 * @param queryParam  {@code roomcast.auth.query-param}: the query parameter that may carry the
 *                    token; empty when turned off
 */
public record JwtSettings(Optional<String> keyLocation, Optional<String> key, Optional<String> issuer,
        List<String> audiences, String algorithm, Duration clockSkew, String cookie, Optional<String> queryParam) {

    public JwtSettings {
        audiences = List.copyOf(audiences);
    }
}
