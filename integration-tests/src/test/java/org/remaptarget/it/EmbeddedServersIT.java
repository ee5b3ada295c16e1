package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;
import org.remaptarget.target.api.RemapTarget;

/**
 * Three embedded servers in one JVM, started concurrently through the public builder, each with its own LUNs:
 * real-client I/O (qemu-io) against all three, faults injected on one, then all closed with no thread or port left.
 */
class EmbeddedServersIT {

    @Test
    void threeServersInOneJvmServeRealClientsAndCloseWithoutLeaks() throws Exception {
        Tools.require("qemu-io");
        Set<Thread> before = liveThreads();
        List<CompletableFuture<RemapTarget>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String iqn = "iqn.2026-11.org.remaptarget:embedded" + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return RemapTarget.builder().target(iqn).memoryLun(0, 32L << 20).memoryLun(1, 16L << 20)
                            .start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<RemapTarget> servers = new ArrayList<>();
        for (CompletableFuture<RemapTarget> f : starting) {
            servers.add(f.get(60, TimeUnit.SECONDS));
        }
        List<Integer> ports = servers.stream().map(RemapTarget::port).toList();
        try {
            assertEquals(3, ports.stream().distinct().count(), "each server has its own port: " + ports);

            // faults on server 1 only: LBAs 64..71 of LUN 0 fail every write (they get remapped), LBA 4096 fails reads
            RemapTarget faulty = servers.get(1);
            var lun = faulty.lun(faulty.targetNames().get(0), 0);
            var volume = lun.volume().orElseThrow();
            var faults = lun.faults().orElseThrow();
            faults.addRule(new FaultRule(EnumSet.of(FaultOp.WRITE), volume.backingLbaOfData(64), 8,
                    new FaultTrigger.Always(), new FaultOutcome.MediumError(), 0));
            faults.addRule(new FaultRule(EnumSet.of(FaultOp.READ), volume.backingLbaOfData(4096), 1,
                    new FaultTrigger.Always(), new FaultOutcome.MediumError(), 0));

            for (int i = 0; i < servers.size(); i++) {
                RemapTarget s = servers.get(i);
                for (long l = 0; l < 2; l++) {
                    String url = s.url(s.targetNames().get(0), l);
                    String pat = String.valueOf(0x10 + i * 2 + l);
                    Tools.Result w = Tools.run(60, "qemu-io", "-f", "raw", "-c", "write -P " + pat + " 0 1M", url);
                    assertTrue(w.ok(), url + ": " + w.output());
                    Tools.Result r = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P " + pat + " 0 1M", url);
                    assertTrue(r.ok() && !r.output().contains("verification failed"), url + ": " + r.output());
                }
            }
            // the faulty server remapped the failing blocks and kept the data; the unreadable block fails cleanly
            assertEquals(List.of(64L, 65L, 66L, 67L, 68L, 69L, 70L, 71L),
                    volume.remaps().stream().map(r -> r.lba()).sorted().toList());
            Tools.Result bad = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read 2097152 512",
                    faulty.url(faulty.targetNames().get(0), 0));
            assertTrue(bad.output().contains("failed at lba 4096") && bad.output().contains("0x1100"), bad.output());
            // the other servers saw no fault
            for (int i : new int[] {0, 2}) {
                RemapTarget s = servers.get(i);
                assertEquals(0, s.lun(s.targetNames().get(0), 0).volume().orElseThrow().remaps().size());
            }
        } finally {
            for (RemapTarget s : servers) {
                s.close();
            }
        }
        for (int port : ports) {
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "port " + port);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Thread> leaked = leaked(before);
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            leaked = leaked(before);
        }
        assertFalse(leaked.stream().anyMatch(t -> true), "threads left: " + leaked.stream().map(Thread::getName)
                .collect(Collectors.joining(", ")));
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Threads alive now that were not alive before, ignoring the JDK's common pool and process reapers. */
    private static Set<Thread> leaked(Set<Thread> before) {
        return liveThreads().stream().filter(t -> !before.contains(t))
                .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool"))
                .filter(t -> !t.getName().startsWith("process reaper"))
                .collect(Collectors.toSet());
    }
}
