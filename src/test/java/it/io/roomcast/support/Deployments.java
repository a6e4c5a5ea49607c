package it.io.roomcast.support;

import java.io.File;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR that {@code mvn package} built, deployed under a test-specific name (and so under
 * the context root {@code /NAME}, which also checks that every path follows the context root).
 */
public final class Deployments {

    private Deployments() {
    }

    /** The real WAR with its own configuration. */
    public static WebArchive roomcast(String name) {
        return roomcast(name, Map.of());
    }

    /**
     * The real WAR, with {@code config} added to its MicroProfile Config file (these keys win
     * over the file's defaults because the whole file is replaced).
     */
    public static WebArchive roomcast(String name, Map<String, String> config) {
        File war = new File(System.getProperty("roomcast.war", "target/roomcast.war"));
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, war);
        if (!config.isEmpty()) {
            String path = "WEB-INF/classes/META-INF/microprofile-config.properties";
            String base = archive.get(path) == null ? "" : readAsset(archive, path);
            String extra = config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "\n", "\n"));
            archive.delete(path);
            archive.add(new StringAsset(base + extra), path);
        }
        return ShrinkWrap.create(WebArchive.class, name + ".war").merge(archive);
    }

    private static String readAsset(WebArchive archive, String path) {
        try (var in = archive.get(path).getAsset().openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
