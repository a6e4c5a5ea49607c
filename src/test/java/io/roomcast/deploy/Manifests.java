package io.roomcast.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads {@code deploy/kubernetes} with the fabric8 Kubernetes model: every document typed by its
 * {@code apiVersion} and {@code kind}, and strictly: a field the model does not know (a typo, a
 * field at the wrong level) is an error, not something the API server would silently drop.
 */
final class Manifests {

    static final Path ROOT = Path.of("deploy/kubernetes");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every YAML file under {@code deploy/kubernetes} but the kustomizations themselves. */
    static List<Path> files() throws IOException {
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    /** The deployable kustomizations: the directories under {@code overlays/}. */
    static List<Path> overlays() throws IOException {
        try (Stream<Path> paths = Files.list(ROOT.resolve("overlays"))) {
            return paths.filter(p -> Files.exists(p.resolve("kustomization.yaml"))).sorted().toList();
        }
    }

    /** The documents of one file (or of a rendered kustomization), typed. */
    static List<KubernetesResource> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<KubernetesResource> documents = new ArrayList<>();
        if (parsed instanceof Collection<?> many) {
            many.forEach(d -> documents.add((KubernetesResource) d));
        } else {
            documents.add((KubernetesResource) parsed);
        }
        return documents;
    }

    /** {@code kubectl kustomize DIR}: what {@code kubectl apply -k DIR} would send (no cluster needed). */
    static String render(Path kustomization) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + kustomization + " failed");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Whether {@code kubectl} (which embeds kustomize) can be run here. */
    static boolean kubectlAvailable() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** An OpenLibertyApplication read into {@link OpenLibertyApplication}'s strict model. */
    static OpenLibertyApplication.Spec openLibertySpec(GenericKubernetesResource resource) {
        return SERIALIZATION.convertValue(resource.getAdditionalProperties().get("spec"), OpenLibertyApplication.Spec.class);
    }

    /**
     * The fields nothing in the model took, as paths ({@code Deployment/roomcast.spec.template...}):
     * fabric8 keeps them in {@code additionalProperties}, {@link OpenLibertyApplication.Strict} in
     * {@code unknown}. A generic resource (a kind the model does not know) is reported whole:
     * read it into a model first (as {@link #openLibertySpec}).
     */
    static List<String> unknownFields(Object document) {
        List<String> found = new ArrayList<>();
        String name = document instanceof HasMetadata m ? m.getKind() + "/" + m.getMetadata().getName()
                : document.getClass().getSimpleName();
        if (document instanceof GenericKubernetesResource generic) {
            found.add(name + " has a kind the model does not know: " + generic.getApiVersion() + " " + generic.getKind());
            return found;
        }
        walk(document, name, found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found));
        } else if (value instanceof OpenLibertyApplication.Strict strict) {
            strict.unknown.keySet().forEach(k -> found.add(path + "." + k));
            for (Field field : value.getClass().getFields()) {
                walk(read(field, value), path + "." + field.getName(), found);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : value.getClass().getMethods()) {
                if (isProperty(getter)) {
                    Object child = invoke(getter, value);
                    String childPath = path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                    if (getter.getName().equals("getAdditionalProperties")) {
                        ((Map<?, ?>) child).keySet().forEach(k -> found.add(path + "." + k));
                    } else {
                        walk(child, childPath, found);
                    }
                }
            }
        }
    }

    private static boolean isProperty(Method m) {
        return m.getName().startsWith("get") && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                && m.getDeclaringClass().getName().startsWith("io.fabric8.")
                && (m.getReturnType().getName().startsWith("io.fabric8.") || Collection.class.isAssignableFrom(m.getReturnType())
                        || Map.class.isAssignableFrom(m.getReturnType()));
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getter.toString(), e);
        }
    }

    private static Object read(Field field, Object target) {
        try {
            return field.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(field.toString(), e);
        }
    }
}
