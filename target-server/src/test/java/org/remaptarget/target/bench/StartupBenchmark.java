package org.remaptarget.target.bench;

import java.net.Socket;
import java.util.Arrays;
import org.remaptarget.target.api.RemapTarget;

/**
 * Plain benchmark (not a test): how long an embedded in-memory target takes from {@code builder().start()} until it
 * accepts a TCP connection, and how long {@code close()} takes. Run with {@code scripts/bench-startup}.
 * Prints median, p90 and max over N runs after a JIT warm-up, plus the very first (cold) start.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long cold = once(true)[0];
        for (int i = 0; i < 20; i++) {
            once(false);
        }
        long[] start = new long[runs];
        long[] close = new long[runs];
        for (int i = 0; i < runs; i++) {
            long[] r = once(false);
            start[i] = r[0];
            close[i] = r[1];
        }
        Arrays.sort(start);
        Arrays.sort(close);
        System.out.printf("embedded in-memory target (1 target, one 64 MiB remapped LUN), %d runs%n", runs);
        System.out.printf("cold first start: %.1f ms%n", cold / 1e6);
        System.out.printf("start to accepting: median %.1f ms, p90 %.1f ms, max %.1f ms%n", start[runs / 2] / 1e6,
                start[runs * 9 / 10] / 1e6, start[runs - 1] / 1e6);
        System.out.printf("close: median %.1f ms, p90 %.1f ms%n", close[runs / 2] / 1e6, close[runs * 9 / 10] / 1e6);
    }

    private static long[] once(boolean print) throws Exception {
        long t0 = System.nanoTime();
        RemapTarget t = RemapTarget.builder().target("iqn.2026-11.org.remaptarget:bench").memoryLun(0, 64L << 20)
                .start();
        try (Socket s = new Socket("127.0.0.1", t.port())) {
            s.getOutputStream().flush();
        }
        long t1 = System.nanoTime();
        t.close();
        long t2 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1};
    }
}
