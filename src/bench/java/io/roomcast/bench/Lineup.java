package io.roomcast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run measures side by side, in one sitting: the Roomcast build under test (as built,
 * or {@code --war}/{@code --config}) and what its figures are read against: the Liberty floor
 * ({@code --floor DIR}, one node) and an older Roomcast build ({@code --baseline-war FILE}, with
 * {@code --baseline-config DIR} or the same config), one baseline variant per measured one.
 * The scenario runs one pass of every variant in turn, all warmed up alike, so a busy moment on
 * the machine hits them all; the report divides each measured figure by the reference's median.
 */
final class Lineup {

    /** A variant as the scenario opened it; its name heads its column. */
    interface Named {
        String name();
    }

    /** Opens the scenario's variant {@code spec} (a bus, say) on the servers of {@code choice}. */
    @FunctionalInterface
    interface Opener<S, V extends Named> {
        V open(ServerOptions choice, S spec) throws Exception;
    }

    /** {@code variant}'s figures divided by {@code reference}'s, in a column headed {@code / label}. */
    record Comparison(String variant, String reference, String label) {
    }

    private final ServerOptions measured;
    private final Path floor;
    private final ServerOptions baseline;
    private final List<Comparison> comparisons = new ArrayList<>();

    private Lineup(ServerOptions measured, Path floor, ServerOptions baseline) {
        this.measured = measured;
        this.floor = floor;
        this.baseline = baseline;
    }

    static Lineup of(Options options) {
        ServerOptions measured = ServerOptions.of(options);
        String floor = options.string("floor", "");
        String baselineWar = options.string("baseline-war", "");
        String baselineConfig = options.string("baseline-config", "");
        if (baselineWar.isEmpty() && !baselineConfig.isEmpty()) {
            throw new IllegalArgumentException("--baseline-config goes with --baseline-war");
        }
        if (!baselineWar.isEmpty() && !Files.isRegularFile(Path.of(baselineWar))) {
            throw new IllegalArgumentException("--baseline-war " + baselineWar + ": no such file");
        }
        ServerOptions baseline = baselineWar.isEmpty() ? null : measured.with(ServerOptions.Build.roomcast("base-",
                baselineWar, baselineConfig.isEmpty() ? measured.build().config() : baselineConfig));
        return new Lineup(measured, floor.isEmpty() ? null : Path.of(floor), baseline);
    }

    ServerOptions measured() {
        return measured;
    }

    /** Names the references in the report's settings, so its JSON says what the ratios are against. */
    Report describe(Report report) {
        if (floor != null) {
            report.setting("floor", floor);
        }
        if (baseline != null) {
            report.setting("baseline_war", baseline.build().war()).setting("baseline_config", baseline.build().config());
        }
        return report;
    }

    /**
     * Opens every variant into {@code all} in pass order: the floor (as {@code floorSpec}) first,
     * then for each spec its baseline variant, then the measured one. What opened stays in
     * {@code all} when a later one fails, for the caller to close. Returns the measured variants.
     */
    <S, V extends Named> List<V> open(List<S> specs, S floorSpec, Opener<S, V> opener, List<V> all) throws Exception {
        V floorVariant = null;
        if (floor != null) {
            Path config = Path.of("target", "bench-floor", Long.toString(Proc.self()));
            try {
                floorVariant = opener.open(measured.with(Floor.prepare(floor, Path.of(measured.build().config()),
                        config)), floorSpec);
                all.add(floorVariant);
            } finally {
                Floor.remove(config); // the server has its own copy
            }
        }
        List<V> measuredVariants = new ArrayList<>();
        for (S spec : specs) {
            V base = null;
            if (baseline != null) {
                base = opener.open(baseline, spec);
                all.add(base);
                compare(base, floorVariant, "floor");
            }
            V variant = opener.open(measured, spec);
            all.add(variant);
            measuredVariants.add(variant);
            compare(variant, floorVariant, "floor");
            compare(variant, base, "base");
        }
        return measuredVariants;
    }

    private void compare(Named variant, Named reference, String label) {
        if (reference != null) {
            comparisons.add(new Comparison(variant.name(), reference.name(), label));
        }
    }

    List<Comparison> comparisons() {
        return List.copyOf(comparisons);
    }

    /** Gives every compared variant a ratio column for {@code keys}. */
    void compare(Report report, List<String> keys) {
        comparisons.forEach(c -> report.compare(c, keys));
    }
}
