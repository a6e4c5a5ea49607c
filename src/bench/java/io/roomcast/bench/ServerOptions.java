package io.roomcast.bench;

import java.util.List;
import java.util.Map;

/** The shared options that say which servers to measure: start them, or use given ones. */
final class ServerOptions {

    private ServerOptions() {
    }

    /** Starts the servers for {@code bus} ({@code local} is one node), or wraps {@code --urls}. */
    static Servers open(Options options, String bus) throws Exception {
        List<String> urls = options.list("urls");
        if (!urls.isEmpty()) {
            return Servers.given(urls, options.list("pids"));
        }
        // Another server.xml / jvm.options folder, to compare settings against liberty/.
        System.setProperty("liberty.config.dir", options.string("config", "liberty"));
        int nodes = bus.equals("local") ? 1 : options.integer("nodes", 2);
        return Servers.start(bus, nodes, Map.of());
    }

    /** The variant's name in tables: {@code memory-1node}, {@code redis-2nodes} or {@code given}. */
    static String variantName(Options options, String bus, Servers servers) {
        if (!options.list("urls").isEmpty()) {
            return "given-" + servers.size() + "nodes";
        }
        return (bus.equals("local") ? "memory-" : "redis-") + servers.size() + (servers.size() == 1 ? "node" : "nodes");
    }
}
