package io.roomcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process costs, read from Linux {@code /proc} and from {@code jcmd}: CPU seconds,
 * resident memory, and (for JVMs) heap in use after a full GC. Linux only.
 */
final class Proc {

    /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    private Proc() {
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    /** User plus system CPU seconds the process has used so far (all threads). */
    static double cpuSeconds(long pid) {
        long[] times = times(pid);
        return (times[0] + times[1]) / TICKS;
    }

    /** System (kernel) CPU seconds only: mostly socket system calls for a network server. */
    static double systemSeconds(long pid) {
        return times(pid)[1] / TICKS;
    }

    static double cpuSeconds(long[] pids) {
        double total = 0;
        for (long pid : pids) {
            total += cpuSeconds(pid);
        }
        return total;
    }

    static double systemSeconds(long[] pids) {
        double total = 0;
        for (long pid : pids) {
            total += systemSeconds(pid);
        }
        return total;
    }

    /** utime and stime in clock ticks, from /proc/PID/stat. */
    private static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command name: state is field 3, utime field 14, stime field 15.
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read CPU time of process " + pid, e);
        }
    }

    /** Resident set size in KiB (VmRSS). */
    static long rssKiB(long pid) {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read memory of process " + pid, e);
        }
    }

    /**
     * TCP connections accepted on local {@code port} that the server has not closed yet
     * (ESTABLISHED or CLOSE_WAIT, from /proc/net/tcp and tcp6): what a server without a
     * connection metric still holds.
     */
    static long acceptedSockets(int port) {
        long count = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                count += acceptedSockets(Files.readAllLines(Path.of(table)), port);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + table, e);
            }
        }
        return count;
    }

    /** {@link #acceptedSockets(int)} over the lines of one table, its header line first. */
    static long acceptedSockets(List<String> table, int port) {
        String local = String.format(":%04X", port);
        return table.stream().skip(1).map(line -> line.trim().split("\\s+"))
                // sl, local_address (hex ip:port), rem_address, st: 01 ESTABLISHED, 08 CLOSE_WAIT
                .filter(f -> f.length > 3 && f[1].endsWith(local) && (f[3].equals("01") || f[3].equals("08")))
                .count();
    }

    /** Runs a full GC in the JVM {@code pid}, then returns its heap in use in KiB. */
    static long heapAfterGcKiB(long pid) {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run"); // a second pass frees what the first one's finalization released
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("No heap figure in jcmd GC.heap_info of " + pid);
        }
        return Long.parseLong(m.group(1));
    }

    static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd is needed (it comes with the JDK)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
