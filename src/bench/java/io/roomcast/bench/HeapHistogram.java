package io.roomcast.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Live objects by class ({@code jcmd GC.class_histogram}, which runs a full GC first), and
 * what each connection added per class between two snapshots: the answer to "where do the
 * bytes per connection go", Liberty's objects and Roomcast's alike.
 */
final class HeapHistogram {

    private final Map<String, long[]> byClass = new HashMap<>();

    private HeapHistogram() {
    }

    static HeapHistogram take(long pid) {
        HeapHistogram histogram = new HeapHistogram();
        for (String line : Proc.jcmd(pid, "GC.class_histogram").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                histogram.byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return histogram;
    }

    /** The {@code top} classes by bytes added per connection since {@code before}, one per line. */
    String perConnection(HeapHistogram before, int connections, int top) {
        StringBuilder out = new StringBuilder(String.format("%10s %10s  %s%n", "B/conn", "objs/conn", "class"));
        byClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), delta(e.getValue(), before.byClass.get(e.getKey()))))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e -> out.append(String.format("%10.1f %10.2f  %s%n", (double) e.getValue()[1] / connections,
                        (double) e.getValue()[0] / connections, e.getKey())));
        return out.toString();
    }

    private static long[] delta(long[] now, long[] then) {
        return then == null ? now : new long[] {now[0] - then[0], now[1] - then[1]};
    }
}
