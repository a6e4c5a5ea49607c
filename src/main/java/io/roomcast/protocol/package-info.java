/** The wire contract's codes in one place: error codes and close codes with their reasons. */
package io.roomcast.protocol;
