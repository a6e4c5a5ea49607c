package it.io.roomcast.support;

/** Stopping what a test class started. */
public final class Processes {

    private Processes() {
    }

    /** Closes every process that was started (nulls are those that never started), in order. */
    public static void closeAll(AutoCloseable... processes) throws Exception {
        for (AutoCloseable process : processes) {
            if (process != null) {
                process.close();
            }
        }
    }
}
