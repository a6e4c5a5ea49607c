package io.roomcast.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one measured run, in the order they are printed. */
final class Result {

    final String name;
    final Map<String, Object> figures = new LinkedHashMap<>();

    Result(String name) {
        this.name = name;
    }

    Result put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    double number(String key) {
        Object value = figures.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Milliseconds with microsecond precision, from microseconds. */
    static double ms(long micros) {
        return Math.round(micros) / 1000.0;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
