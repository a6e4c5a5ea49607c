package io.roomcast.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/** Daemon threads that are remembered, so that a test can wait for one to park or end. */
final class RecordingThreads implements ThreadFactory {

    private final List<Thread> started = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        started.add(thread);
        return thread;
    }

    /** Every thread started so far, in order. */
    List<Thread> started() {
        return started;
    }
}
