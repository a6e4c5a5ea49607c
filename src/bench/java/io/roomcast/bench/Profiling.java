package io.roomcast.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Profiles every node over a pass's measured part, when asked for: a JFR recording
 * ({@code --jfr DIR}, Java frames only) or an async-profiler CPU profile ({@code --profile DIR}),
 * which also sees the kernel: on a WebSocket server half the CPU is system calls.
 *
 * @param jfrDir     folder for JFR recordings, or null
 * @param profileDir folder for async-profiler flame graphs and collapsed stacks, or null
 * @param agent      libasyncProfiler.so (scripts/bench fetches it from Maven Central), or null
 */
record Profiling(String jfrDir, String profileDir, String agent) {

    static Profiling of(Options o) {
        Profiling p = new Profiling(o.string("jfr", null), o.string("profile", null),
                System.getProperty("async.profiler.lib"));
        if (p.profileDir != null && p.agent == null) {
            throw new IllegalArgumentException("--profile needs async-profiler: run it through scripts/bench");
        }
        return p;
    }

    void start(Servers servers) {
        if ((jfrDir != null || profileDir != null) && !servers.knowsPids()) {
            Progress.say("No profiles: the nodes' processes are unknown (give --pids with --urls)");
        }
        for (int i = 0; i < nodes(servers); i++) {
            if (jfrDir != null) {
                Proc.jcmd(servers.pid(i), "JFR.start name=bench settings=profile");
            }
            if (profileDir != null) {
                asyncProfiler(servers.pid(i), "start,event=cpu,interval=1ms");
            }
        }
    }

    /** Stops the profiles and writes them as {@code node-N-<label>.*}; says where they went. */
    void stop(Servers servers, String label) {
        for (int i = 0; i < nodes(servers); i++) {
            String name = "node-" + (i + 1) + "-" + label + "-" + System.currentTimeMillis();
            if (jfrDir != null) {
                String file = file(jfrDir, name + ".jfr");
                Proc.jcmd(servers.pid(i), "JFR.stop name=bench filename=" + file);
                Progress.say("JFR recording: " + file);
            }
            if (profileDir != null) {
                String stacks = file(profileDir, name + ".collapsed");
                asyncProfiler(servers.pid(i), "dump,collapsed,file=" + stacks);
                asyncProfiler(servers.pid(i), "stop,file=" + file(profileDir, name + ".html"));
                Progress.say("CPU profile: " + stacks + " (" + kernelShare(stacks) + " of the samples in the kernel)"
                        + " and its flame graph, " + name + ".html");
            }
        }
    }

    private int nodes(Servers servers) {
        return servers.knowsPids() ? servers.size() : 0;
    }

    private void asyncProfiler(long pid, String command) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgentPath(agent, command);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("async-profiler " + command + " on " + pid + " failed: " + e, e);
        }
    }

    private static String file(String dir, String name) {
        try {
            return Files.createDirectories(Path.of(dir)).resolve(name).toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Share of samples whose innermost frame is a kernel function (async-profiler marks them "_[k]"). */
    private static String kernelShare(String collapsed) {
        try {
            long all = 0;
            long kernel = 0;
            for (String line : Files.readAllLines(Path.of(collapsed))) {
                int space = line.lastIndexOf(' ');
                long samples = Long.parseLong(line.substring(space + 1));
                all += samples;
                kernel += line.substring(0, space).endsWith("_[k]") ? samples : 0;
            }
            return all == 0 ? "none" : Math.round(100.0 * kernel / all) + "%";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
