package io.roomcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the runs of each variant and prints, on standard output, a table of the median of
 * every figure per variant, then one JSON line with the medians, every run, and the ratios.
 * A variant compared with a reference (the floor, a baseline build) gets a ratio column beside
 * it: its median over the reference's median, for the figures the comparison names.
 */
final class Report {

    private final String scenario;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, List<Result>> runs = new LinkedHashMap<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final Map<Lineup.Comparison, List<String>> comparisons = new LinkedHashMap<>();

    Report(String scenario) {
        this.scenario = scenario;
    }

    Report setting(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    void add(Result result) {
        runs.computeIfAbsent(result.name, k -> new ArrayList<>()).add(result);
        Progress.say(result.name + ": " + result.figures);
    }

    /** The median of one figure over a variant's runs; NaN when absent. */
    double median(String variant, String key) {
        List<Result> list = runs.get(variant);
        if (list == null) {
            return Double.NaN;
        }
        double[] values = list.stream().mapToDouble(r -> r.number(key)).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** Records {@code numerator / denominator} of two variants' medians of {@code key}. */
    void ratio(String label, String key, String numerator, String denominator) {
        double value = quotient(key, numerator, denominator);
        if (!Double.isNaN(value)) {
            ratios.put(label, value);
        }
    }

    /** {@code numerator}'s median of {@code key} over {@code denominator}'s, to 2 decimals; NaN unless finite. */
    private double quotient(String key, String numerator, String denominator) {
        double value = median(numerator, key) / median(denominator, key);
        return Double.isFinite(value) ? Result.round(value, 2) : Double.NaN; // NaN: a variant that did not run
    }

    /** Adds a ratio column beside {@code c.variant()}: its medians over {@code c.reference()}'s, for {@code keys}. */
    void compare(Lineup.Comparison c, List<String> keys) {
        comparisons.put(c, List.copyOf(keys));
    }

    /** The ratio in {@code c}'s column for {@code key}; NaN when {@code c} does not name {@code key}. */
    double comparedRatio(Lineup.Comparison c, String key) {
        List<String> keys = comparisons.get(c);
        return keys != null && keys.contains(key) ? quotient(key, c.variant(), c.reference()) : Double.NaN;
    }

    void print() {
        System.out.print(table());
        System.out.println(json());
    }

    /** The table of medians, each compared variant followed by its ratio columns, then the named ratios. */
    String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%s  (median of %s)%n", scenario, runCounts()));
        table.append(String.format("%-26s", "figure"));
        for (String v : runs.keySet()) {
            table.append(String.format("%22s", v));
            comparisonsOf(v).forEach(c -> table.append(String.format("%9s", "/ " + c.label())));
        }
        table.append('\n');
        for (String key : keys()) {
            table.append(String.format("%-26s", key));
            for (String v : runs.keySet()) {
                table.append(String.format("%22s", cell(v, key)));
                comparisonsOf(v).forEach(c -> table.append(String.format("%9s", ratioCell(c, key))));
            }
            table.append('\n');
        }
        ratios.forEach((k, v) -> table.append(String.format("ratio %-40s %10s%n", k, v)));
        return table.toString();
    }

    private Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        runs.values().forEach(list -> list.forEach(r -> keys.addAll(r.figures.keySet())));
        return keys;
    }

    private List<Lineup.Comparison> comparisonsOf(String variant) {
        return comparisons.keySet().stream().filter(c -> c.variant().equals(variant)).toList();
    }

    /** Blank for a figure the comparison does not name; {@code -} when the ratio has no value. */
    private String ratioCell(Lineup.Comparison c, String key) {
        if (!comparisons.get(c).contains(key)) {
            return "";
        }
        double ratio = comparedRatio(c, key);
        return Double.isNaN(ratio) ? "-" : format(ratio);
    }

    private String runCounts() {
        StringBuilder counts = new StringBuilder();
        runs.forEach((v, list) -> counts.append(counts.length() == 0 ? "" : ", ").append(list.size())
                .append(" run(s) of ").append(v));
        return counts.toString();
    }

    private String cell(String variant, String key) {
        double median = median(variant, key);
        if (!Double.isNaN(median)) {
            return format(median);
        }
        Object raw = runs.get(variant).get(0).figures.get(key);
        return raw == null ? "-" : String.valueOf(raw);
    }

    private static String format(double value) {
        double rounded = Result.round(value, 3);
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }

    /** One line: settings, medians, every run, and the ratios (named ones, then the compared figures). */
    String json() {
        List<String> variants = new ArrayList<>(runs.keySet());
        Set<String> keys = keys();
        StringBuilder out = new StringBuilder("{\"scenario\":").append(quote(scenario)).append(",\"settings\":{");
        appendMap(out, settings);
        out.append("},\"medians\":{");
        for (int i = 0; i < variants.size(); i++) {
            Map<String, String> medians = new LinkedHashMap<>();
            for (String key : keys) {
                double m = median(variants.get(i), key);
                if (!Double.isNaN(m)) {
                    medians.put(key, format(m));
                }
            }
            out.append(i == 0 ? "" : ",").append(quote(variants.get(i))).append(":{");
            appendNumbers(out, medians);
            out.append('}');
        }
        out.append("},\"runs\":{");
        int v = 0;
        for (Map.Entry<String, List<Result>> e : runs.entrySet()) {
            out.append(v++ == 0 ? "" : ",").append(quote(e.getKey())).append(":[");
            for (int i = 0; i < e.getValue().size(); i++) {
                out.append(i == 0 ? "{" : ",{");
                appendValues(out, e.getValue().get(i).figures);
                out.append('}');
            }
            out.append(']');
        }
        out.append("},\"ratios\":{");
        Map<String, String> ratioText = new LinkedHashMap<>();
        ratios.forEach((k, r) -> ratioText.put(k, format(r)));
        comparisons.forEach((c, compared) -> compared.forEach(key -> {
            double ratio = comparedRatio(c, key);
            if (!Double.isNaN(ratio)) {
                ratioText.put(key + ", " + c.variant() + " / " + c.reference(), format(ratio));
            }
        }));
        appendNumbers(out, ratioText);
        return out.append("}}").toString();
    }

    private static void appendMap(StringBuilder out, Map<String, String> map) {
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.append(i++ == 0 ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
    }

    private static void appendNumbers(StringBuilder out, Map<String, String> map) {
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.append(i++ == 0 ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
        }
    }

    private static void appendValues(StringBuilder out, Map<String, Object> map) {
        int i = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object value = e.getValue();
            String text = value instanceof Number n ? format(n.doubleValue()) : quote(String.valueOf(value));
            out.append(i++ == 0 ? "" : ",").append(quote(e.getKey())).append(':').append(text);
        }
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
