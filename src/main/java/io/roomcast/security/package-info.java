/** Identity (JWT or trusted proxy headers), room access rules, origin checks and API roles. */
package io.roomcast.security;
