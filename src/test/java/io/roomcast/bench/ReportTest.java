package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio columns are the figures a floor or baseline run is read by; they must be the right division. */
class ReportTest {

    private static final Lineup.Comparison TO_FLOOR = new Lineup.Comparison("memory-1node", "floor-1node", "floor");

    private final Report report = new Report("fanout");

    private void run(String variant, double cpu, double p99, long lost) {
        report.add(new Result(variant).put("lost", lost).put("node_cpu_ms_per_1k", cpu).put("p99_ms", p99));
    }

    @Test
    void aComparedFigureIsTheVariantsMedianOverTheReferencesMedian() {
        run("floor-1node", 20, 4, 0);
        run("memory-1node", 31, 9, 0);
        run("floor-1node", 22, 100, 0);
        run("memory-1node", 29, 7, 0);
        run("floor-1node", 21, 5, 0);
        run("memory-1node", 30, 8, 0);
        report.compare(TO_FLOOR, List.of("node_cpu_ms_per_1k", "p99_ms"));

        assertEquals(1.43, report.comparedRatio(TO_FLOOR, "node_cpu_ms_per_1k"), 1e-9, "30 / 21");
        assertEquals(1.6, report.comparedRatio(TO_FLOOR, "p99_ms"), 1e-9, "8 / 5: medians, not means");
        assertTrue(Double.isNaN(report.comparedRatio(TO_FLOOR, "lost")), "lost is not compared");
    }

    @Test
    void theTableShowsTheRatioColumnBesideTheVariantAndBlanksFiguresNotCompared() {
        run("floor-1node", 20, 4, 0);
        run("memory-1node", 30, 6, 0);
        report.compare(TO_FLOOR, List.of("node_cpu_ms_per_1k", "p99_ms"));

        String[] lines = report.table().split("\n");
        assertEquals(List.of("figure", "floor-1node", "memory-1node", "/", "floor"), words(row(lines, "figure")));
        assertEquals(List.of("node_cpu_ms_per_1k", "20", "30", "1.5"), words(row(lines, "node_cpu_ms_per_1k")));
        assertEquals(List.of("p99_ms", "4", "6", "1.5"), words(row(lines, "p99_ms")));
        assertEquals(List.of("lost", "0", "0"), words(row(lines, "lost")));
        String header = row(lines, "figure");
        String cpu = row(lines, "node_cpu_ms_per_1k");
        assertEquals(header.length(), cpu.length(), "the ratio sits under its header");
    }

    @Test
    void aRatioAgainstAVariantThatDidNotRunIsLeftOut() {
        run("redis-2nodes", 30, 6, 0);
        report.ratio("p99, redis-2nodes / redis-pubsub-ceiling", "p99_ms", "redis-2nodes", "redis-pubsub-ceiling");

        assertTrue(!report.table().contains("redis-pubsub-ceiling"), report.table());
        assertTrue(!report.json().contains("redis-pubsub-ceiling"), report.json());
    }

    @Test
    void aRatioWithoutAValueShowsADashAndStaysOutOfTheJson() {
        run("floor-1node", 0, 4, 0);
        run("memory-1node", 30, 6, 0);
        report.compare(TO_FLOOR, List.of("node_cpu_ms_per_1k", "p99_ms"));

        assertEquals(List.of("node_cpu_ms_per_1k", "0", "30", "-"), words(row(report.table().split("\n"),
                "node_cpu_ms_per_1k")));
        String json = report.json();
        assertTrue(json.contains("\"p99_ms, memory-1node / floor-1node\":1.5"), json);
        assertTrue(!json.contains("node_cpu_ms_per_1k, memory-1node"), json);
    }

    @Test
    void aVariantComparedWithTwoReferencesGetsAColumnForEach() {
        Lineup.Comparison toBase = new Lineup.Comparison("memory-1node", "base-memory-1node", "base");
        run("floor-1node", 20, 4, 0);
        run("base-memory-1node", 40, 8, 0);
        run("memory-1node", 30, 6, 0);
        report.compare(new Lineup.Comparison("base-memory-1node", "floor-1node", "floor"), List.of("p99_ms"));
        report.compare(TO_FLOOR, List.of("p99_ms"));
        report.compare(toBase, List.of("p99_ms"));

        String[] lines = report.table().split("\n");
        assertEquals(List.of("figure", "floor-1node", "base-memory-1node", "/", "floor", "memory-1node", "/", "floor",
                "/", "base"), words(row(lines, "figure")));
        assertEquals(List.of("p99_ms", "4", "8", "2", "6", "1.5", "0.75"), words(row(lines, "p99_ms")));
    }

    private static String row(String[] lines, String first) {
        return Arrays.stream(lines).filter(l -> l.startsWith(first + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + String.join("\n", lines)));
    }

    private static List<String> words(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
