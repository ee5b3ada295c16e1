package org.remaptarget.target.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGHUP into a configuration reload (systemd's {@code ExecReload=/bin/kill -HUP $MAINPID}). Owns one
 * daemon thread that runs the reloads one at a time, off the JVM's signal-dispatch thread; signals that arrive
 * while a reload is queued are folded into it (a reload always reads the newest file). Uses {@code sun.misc.Signal}
 * (module jdk.unsupported), the only way a Java program can catch SIGHUP; where it is not available the server
 * runs without reload on signal and says so.
 */
final class ReloadOnHangup implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ReloadOnHangup.class);

    private final Runnable reload;
    private final ExecutorService worker;
    private final AtomicBoolean queued = new AtomicBoolean();

    ReloadOnHangup(Runnable reload) {
        this.reload = reload;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "config-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Installs the SIGHUP handler; returns null (after logging why) when the platform has no SIGHUP, or when this
     * process inherited SIGHUP ignored (started under {@code nohup}): the JVM then leaves it ignored, and a handler
     * registered anyway would never run.
     */
    static ReloadOnHangup install(Runnable reload) {
        ReloadOnHangup r = new ReloadOnHangup(reload);
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), sig -> r.signalled());
            if (previous == SignalHandler.SIG_IGN) {
                LOG.warn("SIGHUP is ignored by this process (inherited, e.g. from nohup), so configuration reload on "
                        + "signal is off; start the server without nohup (as systemd does) to reload with kill -HUP");
                Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
                r.worker.shutdownNow();
                return null;
            }
            return r;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("SIGHUP cannot be caught here ({}); configuration reload on signal is off", e.toString());
            r.worker.shutdownNow();
            return null;
        }
    }

    /** Called on the signal-dispatch thread: queue one reload unless one is already waiting. */
    void signalled() {
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    try {
                        reload.run();
                    } catch (RuntimeException e) {
                        LOG.error("configuration reload failed: {}", e.toString(), e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false);   // shutting down
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
