package io.roomcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.roomcast.config.RoomcastConfig;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code deploy/kubernetes} against the application, without a cluster: every file parses
 * strictly with the Kubernetes model, every overlay renders with kustomize ({@code kubectl
 * kustomize}), and the pods it describes, and the OpenLibertyApplication's, fit Roomcast.
 * Not checked here: that a cluster accepts them (admission, CRDs installed, the image exists).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KubernetesManifestsTest {

    /** Heap per idle connection, HotSpot G1 (docs/BENCHMARKS.md, "Idle connections: 18,000 on one node"). */
    private static final double HEAP_KIB_PER_CONNECTION = 20.3;
    /** Resident memory per idle connection, heap included (same measurement). */
    private static final double RSS_KIB_PER_CONNECTION = 27.8;
    /** Resident memory beside the heap: 178 MiB measured idle, plus JIT growth under load (docs/production.md, "Memory"). */
    private static final long NON_HEAP_BASE_MIB = 300;
    /** Liberty's own stop after the drain: 5 to 10 s measured (docs/operations.md, GracefulStopIT). */
    private static final long STOP_SECONDS = 10;

    private static final Map<String, Class<? extends Annotation>> HEALTH = Map.of(
            "startup", Startup.class, "readiness", Readiness.class, "liveness", Liveness.class);
    private static final Map<String, String> HEALTH_PATHS = Map.of(
            "startup", "/health/started", "readiness", "/health/ready", "liveness", "/health/live");

    private static List<Pod> pods;
    private static List<KubernetesResource> rendered;

    /**
     * Without kubectl: the operator's pod alone, and the tests of rendered overlays are skipped.
     * The base is not rendered on its own: every overlay holds it. Loading fabric8's model and
     * starting kubectl take seconds on a loaded 2-core machine, beyond the unit tests' 10 s default.
     */
    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void render() throws Exception {
        pods = new ArrayList<>();
        rendered = new ArrayList<>();
        if (Manifests.kubectlAvailable()) {
            for (Path dir : Manifests.overlays()) {
                List<KubernetesResource> documents = Manifests.parse(Manifests.render(dir));
                rendered.addAll(documents);
                List<ConfigMap> configMaps = documents.stream().filter(ConfigMap.class::isInstance)
                        .map(ConfigMap.class::cast).toList();
                documents.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                        .filter(d -> d.getMetadata().getName().equals("roomcast"))
                        .forEach(d -> pods.add(Pod.of(d, configMaps)));
            }
            assertEquals(Manifests.overlays().size(), pods.size(), "one roomcast Deployment per overlay");
        }
        for (Path file : Manifests.files()) {
            for (KubernetesResource document : Manifests.parse(Files.readString(file))) {
                if (document instanceof GenericKubernetesResource r && "OpenLibertyApplication".equals(r.getKind())) {
                    pods.add(Pod.of(Manifests.openLibertySpec(r)));
                }
            }
        }
    }

    private static void assumeRendered() {
        Assumptions.assumeFalse(rendered.isEmpty(), "kubectl (with kustomize) is not installed: overlays not rendered");
    }

    @Test
    void everyFileParsesWithoutUnknownFields() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (Path file : Manifests.files()) {
            for (KubernetesResource document : Manifests.parse(Files.readString(file))) {
                if (document instanceof GenericKubernetesResource r && "OpenLibertyApplication".equals(r.getKind())) {
                    OpenLibertyApplication.Spec spec = Manifests.openLibertySpec(r);
                    unknown.addAll(Manifests.unknownFields(spec).stream().map(f -> file + ": " + f).toList());
                } else {
                    unknown.addAll(Manifests.unknownFields(document).stream().map(f -> file + ": " + f).toList());
                }
            }
        }
        assertEquals(List.of(), unknown);
    }

    @Test
    void everyRenderedDocumentParsesWithoutUnknownFields() {
        assumeRendered();
        assertEquals(List.of(), rendered.stream().flatMap(d -> Manifests.unknownFields(d).stream()).toList());
    }

    @Test
    void probesUseTheApplicationsHealthChecksOnItsHttpPort() throws Exception {
        int httpPort = libertyHttpPort();
        for (Pod pod : pods) {
            assertEquals(httpPort, pod.ports().get("http"), pod.source() + ": the container port named http");
            for (Map.Entry<String, Probe> probe : pod.probes().entrySet()) {
                String what = pod.source() + " " + probe.getKey() + " probe";
                var get = probe.getValue().getHttpGet();
                assertNotNull(get, what + " is an HTTP GET");
                assertEquals(HEALTH_PATHS.get(probe.getKey()), get.getPath(), what);
                assertEquals(httpPort, port(pod, get.getPort()), what + " port");
                assertTrue(get.getScheme() == null || get.getScheme().equals("HTTP"), what + " scheme");
                assertTrue(applicationHasCheck(HEALTH.get(probe.getKey())), what + ": no " + probe.getKey() + " check in the WAR");
            }
        }
    }

    @Test
    void theServiceAndIngressReachTheContainerPort() {
        assumeRendered();
        List<Service> services = rendered.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals("roomcast")).toList();
        assertFalse(services.isEmpty());
        for (Service service : services) {
            service.getSpec().getPorts().forEach(p -> assertTrue(pods.get(0).ports().containsKey(p.getTargetPort().getStrVal()),
                    "Service targetPort " + p.getTargetPort()));
            rendered.stream().filter(Ingress.class::isInstance).map(Ingress.class::cast)
                    .flatMap(i -> i.getSpec().getRules().stream()).flatMap(r -> r.getHttp().getPaths().stream())
                    .map(p -> p.getBackend().getService().getPort().getName())
                    .forEach(name -> assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(name)),
                            "Ingress backend port " + name));
        }
    }

    @Test
    void theGracePeriodOutlastsTheDrainAndLibertysStop() {
        for (Pod pod : pods) {
            long drain = config(pod).drainTime().toSeconds();
            assertTrue(pod.graceSeconds() > drain + STOP_SECONDS, pod.source() + ": terminationGracePeriodSeconds "
                    + pod.graceSeconds() + " must exceed roomcast.shutdown.drain-seconds " + drain + " + " + STOP_SECONDS + " s");
        }
    }

    @Test
    void everyRoomcastVariableIsAConfigurationKey() {
        Set<String> keys = new HashSet<>();
        new RoomcastConfig(key -> {
            keys.add(envName(key));
            return Optional.empty();
        });
        for (Pod pod : pods) {
            pod.env().keySet().stream().filter(name -> name.startsWith("ROOMCAST_") || name.startsWith("MP_"))
                    .forEach(name -> assertTrue(keys.contains(name), pod.source() + ": " + name + " is not a configuration key"));
            config(pod); // the values pass RoomcastConfig's own checks
        }
    }

    @Test
    void theImageTagIsTheProjectVersion() {
        String version = System.getProperty("project.version");
        assertNotNull(version, "surefire passes project.version");
        for (Pod pod : pods) {
            assertTrue(pod.image().endsWith(":" + version), pod.source() + " runs " + pod.image() + ", not version " + version);
        }
    }

    @Test
    void theHeapAndWhatTheConnectionsNeedBesideItFitTheMemoryLimit() throws IOException {
        List<String> options = Files.readAllLines(Path.of("liberty/jvm.options"));
        assertTrue(options.stream().noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize")),
                "a fixed heap would ignore the container's memory limit");
        double share = options.stream().filter(o -> o.startsWith("-XX:MaxRAMPercentage="))
                .mapToDouble(o -> Double.parseDouble(o.substring(o.indexOf('=') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("jvm.options sets no -XX:MaxRAMPercentage")) / 100;
        for (Pod pod : pods) {
            double limitMib = Quantity.getAmountInBytes(pod.memoryLimit()).doubleValue() / (1 << 20);
            double heapMib = limitMib * share;
            int connections = config(pod).maxConnections();
            double connectionsHeapMib = connections * HEAP_KIB_PER_CONNECTION / 1024;
            double besideHeapMib = NON_HEAP_BASE_MIB + connections * (RSS_KIB_PER_CONNECTION - HEAP_KIB_PER_CONNECTION) / 1024;
            assertTrue(heapMib >= 2 * connectionsHeapMib, String.format(Locale.ROOT,
                    "%s: a %.0f MiB heap is less than twice what %d connections hold (%.0f MiB)", pod.source(), heapMib,
                    connections, connectionsHeapMib));
            assertTrue(limitMib - heapMib >= besideHeapMib, String.format(Locale.ROOT,
                    "%s: %.0f MiB beside the heap, %.0f MiB needed", pod.source(), limitMib - heapMib, besideHeapMib));
        }
    }

    /** The pod's configuration as Roomcast would read it (variables from Secrets left unset). */
    private static RoomcastConfig config(Pod pod) {
        return new RoomcastConfig(key -> pod.env().getOrDefault(envName(key), Optional.empty()));
    }

    /** MicroProfile Config's environment name of a key: {@code roomcast.max-connections} → {@code ROOMCAST_MAX_CONNECTIONS}. */
    private static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static int port(Pod pod, IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : pod.ports().get(port.getStrVal());
    }

    /** The default of the {@code http.port} variable in liberty/server.xml. */
    private static int libertyHttpPort() throws Exception {
        NodeList variables = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("liberty/server.xml").toFile()).getElementsByTagName("variable");
        for (int i = 0; i < variables.getLength(); i++) {
            Element variable = (Element) variables.item(i);
            if (variable.getAttribute("name").equals("http.port")) {
                return Integer.parseInt(variable.getAttribute("defaultValue"));
            }
        }
        throw new AssertionError("liberty/server.xml declares no http.port");
    }

    /** Whether a class of the application (target/classes) carries the health qualifier. */
    private static boolean applicationHasCheck(Class<? extends Annotation> qualifier) throws Exception {
        Path classes = Path.of(RoomcastConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (Class.forName(name, false, RoomcastConfig.class.getClassLoader()).isAnnotationPresent(qualifier)) {
                    return true;
                }
            }
        }
        return false;
    }
}
