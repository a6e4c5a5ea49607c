package io.roomcast.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on standard error, so standard output stays the table and the JSON line. */
final class Progress {

    private Progress() {
    }

    static void say(String line) {
        System.err.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
    }
}
