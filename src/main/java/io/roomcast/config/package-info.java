/** The one typed configuration bean: every {@code roomcast.*} key, its default and its checks. */
package io.roomcast.config;
