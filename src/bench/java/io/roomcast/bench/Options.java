package io.roomcast.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} command-line options with typed reads and defaults; unknown keys fail. */
final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final java.util.Set<String> read = new java.util.HashSet<>();

    Options(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String key = args.get(i);
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("Expected --option, got " + key);
            }
            boolean flag = i + 1 == args.size() || args.get(i + 1).startsWith("--");
            values.put(key.substring(2), flag ? "true" : args.get(++i));
        }
    }

    int integer(String key, int fallback) {
        return Integer.parseInt(string(key, Integer.toString(fallback)));
    }

    String string(String key, String fallback) {
        read.add(key);
        return values.getOrDefault(key, fallback);
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(string(key, "false"));
    }

    List<String> list(String key) {
        String value = string(key, "");
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    /** Fails on options no scenario asked for, so a typo never silently runs the default. */
    void rejectUnknown() {
        values.keySet().stream().filter(k -> !read.contains(k)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("Unknown option --" + k);
        });
    }
}
