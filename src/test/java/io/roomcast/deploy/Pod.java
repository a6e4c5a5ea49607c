package io.roomcast.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks need of one way to run Roomcast's pods, whether a Deployment or an
 * OpenLibertyApplication describes them: the image, the environment (literal values, and the
 * names of variables set from elsewhere), ports, probes, grace period and memory limit.
 *
 * @param env every variable name; the value when the manifests give it (literally or through a
 *            ConfigMap), empty when it comes from a Secret or the downward API
 */
record Pod(String source, String image, Map<String, Optional<String>> env, Map<String, Integer> ports,
        Map<String, Probe> probes, long graceSeconds, Quantity memoryLimit) {

    /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
    static final long DEFAULT_GRACE_SECONDS = 30;

    static Pod of(Deployment deployment, List<ConfigMap> configMaps) {
        var spec = deployment.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            String name = from.getConfigMapRef().getName();
            ConfigMap map = configMaps.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("envFrom names a ConfigMap the manifests do not hold: " + name));
            map.getData().forEach((k, v) -> env.put(k, Optional.of(v)));
        }
        c.getEnv().forEach(v -> env.put(v.getName(), literal(v)));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort p : c.getPorts()) {
            ports.put(p.getName(), p.getContainerPort());
        }
        return new Pod("Deployment/" + deployment.getMetadata().getName(), c.getImage(), env, ports,
                probes(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()),
                Optional.ofNullable(spec.getTerminationGracePeriodSeconds()).orElse(DEFAULT_GRACE_SECONDS),
                c.getResources().getLimits().get("memory"));
    }

    /** The operator sets no grace period: the pods get Kubernetes' default. */
    static Pod of(OpenLibertyApplication.Spec spec) {
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        spec.env.forEach(v -> env.put(v.getName(), literal(v)));
        return new Pod("OpenLibertyApplication", spec.applicationImage, env, Map.of(spec.service.portName, spec.service.port),
                probes(spec.probes.startup, spec.probes.readiness, spec.probes.liveness), DEFAULT_GRACE_SECONDS,
                spec.resources.getLimits().get("memory"));
    }

    private static Map<String, Probe> probes(Probe startup, Probe readiness, Probe liveness) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startup", startup);
        probes.put("readiness", readiness);
        probes.put("liveness", liveness);
        return probes;
    }

    /** A variable's value, unless it refers to another (Kubernetes expands {@code $(NAME)}) or comes from elsewhere. */
    private static Optional<String> literal(EnvVar v) {
        return Optional.ofNullable(v.getValue()).filter(value -> !value.contains("$("));
    }
}
