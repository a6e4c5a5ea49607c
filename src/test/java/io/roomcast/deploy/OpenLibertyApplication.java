package io.roomcast.deploy;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the Open Liberty Operator's {@code OpenLibertyApplication} ({@code apps.openliberty.io/v1})
 * that {@code deploy/kubernetes/operator} uses, for reading it strictly: the field names are the
 * CRD's (open-liberty-operator, config/crd/bases/apps.openliberty.io_openlibertyapplications.yaml,
 * version v1), Kubernetes types inside it are fabric8's. A field not declared here lands in
 * {@link Strict#unknown} and fails the test: add it here after checking it in the CRD.
 */
final class OpenLibertyApplication {

    private OpenLibertyApplication() {
    }

    /** Collects the fields a class does not declare. */
    abstract static class Strict {
        final Map<String, Object> unknown = new LinkedHashMap<>();

        @JsonAnySetter
        void unknown(String name, Object value) {
            unknown.put(name, value);
        }
    }

    static final class Spec extends Strict {
        public String applicationImage;
        public String applicationName;
        public String pullPolicy;
        public Integer replicas;
        public Boolean manageTLS;
        public Boolean expose;
        public Route route;
        public Service service;
        public List<EnvVar> env;
        public ResourceRequirements resources;
        public Probes probes;
        public SecurityContext securityContext;
        public List<Volume> volumes;
        public List<VolumeMount> volumeMounts;
        public TopologySpread topologySpreadConstraints;
        public Autoscaling autoscaling;
        public Deployment deployment;
    }

    static final class Route extends Strict {
        public String host;
        public Map<String, String> annotations;
    }

    static final class Service extends Strict {
        public Integer port;
        public String portName;
        public String type;
    }

    static final class Probes extends Strict {
        public Probe startup;
        public Probe readiness;
        public Probe liveness;
    }

    static final class TopologySpread extends Strict {
        public List<TopologySpreadConstraint> constraints;
    }

    static final class Autoscaling extends Strict {
        public Integer minReplicas;
        public Integer maxReplicas;
        public Integer targetCPUUtilizationPercentage;
    }

    static final class Deployment extends Strict {
        public DeploymentStrategy updateStrategy;
    }
}
