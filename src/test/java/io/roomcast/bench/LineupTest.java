package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Floor and baseline passes interleave with the measured ones, and each ratio divides by the right reference. */
class LineupTest {

    /** A variant opened without servers: its name and the build it would run. */
    private record Opened(String name, ServerOptions.Build build) implements Lineup.Named {
    }

    @TempDir
    Path dir;

    private static Opened open(ServerOptions choice, String bus) {
        int nodes = bus.equals("local") ? 1 : 2;
        Servers servers = Servers.given(Collections.nCopies(nodes, "ws://127.0.0.1:1/ws"), List.of());
        return new Opened(choice.variantName(bus, servers), choice.build());
    }

    private Lineup lineup(String... args) {
        return Lineup.of(new Options(List.of(args)));
    }

    private String floorProject() throws Exception {
        Path project = Files.createDirectories(dir.resolve("floor/target")).getParent();
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve(Floor.WAR), "war");
        return project.toString();
    }

    private String baselineWar() throws Exception {
        return Files.writeString(dir.resolve("main.war"), "war").toString();
    }

    @Test
    void theFloorRunsFirstAndEachBaselineJustBeforeTheVariantItIsTheBaselineOf() throws Exception {
        Lineup lineup = lineup("--floor", floorProject(), "--baseline-war", baselineWar());
        List<Opened> all = new ArrayList<>();

        List<Opened> measured = lineup.open(List.of("local", "redis"), "local", LineupTest::open, all);

        assertEquals(List.of("floor-1node", "base-memory-1node", "memory-1node", "base-redis-2nodes", "redis-2nodes"),
                all.stream().map(Opened::name).toList());
        assertEquals(List.of("memory-1node", "redis-2nodes"), measured.stream().map(Opened::name).toList());
        assertEquals(List.of(true, false, false, false, false), all.stream().map(o -> o.build().floor()).toList());
        assertEquals(dir.resolve("main.war").toString(), all.get(1).build().war());
        assertEquals("target/roomcast.war", all.get(2).build().war());
    }

    @Test
    void everyRoomcastVariantIsComparedWithTheFloorAndTheMeasuredOnesWithTheirBaseline() throws Exception {
        Lineup lineup = lineup("--floor", floorProject(), "--baseline-war", baselineWar());
        lineup.open(List.of("local"), "local", LineupTest::open, new ArrayList<>());

        assertEquals(List.of(
                new Lineup.Comparison("base-memory-1node", "floor-1node", "floor"),
                new Lineup.Comparison("memory-1node", "floor-1node", "floor"),
                new Lineup.Comparison("memory-1node", "base-memory-1node", "base")), lineup.comparisons());
    }

    @Test
    void theBaselineRunsTheSameConfigUnlessItIsGivenItsOwn() throws Exception {
        List<Opened> all = new ArrayList<>();
        lineup("--config", "other", "--baseline-war", baselineWar()).open(List.of("local"), "local",
                LineupTest::open, all);
        lineup("--baseline-war", baselineWar(), "--baseline-config", "old").open(List.of("local"), "local",
                LineupTest::open, all);

        assertEquals(List.of("other", "other", "old", "liberty"), all.stream().map(o -> o.build().config()).toList());
    }

    @Test
    void withoutReferencesOnlyTheMeasuredVariantsOpenAndNothingIsCompared() throws Exception {
        Lineup lineup = lineup();
        List<Opened> all = new ArrayList<>();
        lineup.open(List.of("local", "redis"), "local", LineupTest::open, all);

        assertEquals(List.of("memory-1node", "redis-2nodes"), all.stream().map(Opened::name).toList());
        assertEquals(List.of(), lineup.comparisons());
    }

    @Test
    void aMissingBaselineWarOrAConfigWithoutOneFailsBeforeAnyServerStarts() {
        assertThrows(IllegalArgumentException.class, () -> lineup("--baseline-war", dir.resolve("none.war").toString()));
        assertThrows(IllegalArgumentException.class, () -> lineup("--baseline-config", "old"));
    }
}
