package org.remaptarget.target.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.target.net.IscsiServer;
import org.remaptarget.target.net.IscsiSettings;
import org.remaptarget.target.session.TargetDirectory;
import org.remaptarget.target.session.TargetEntry;

/**
 * Test-scope entry point: serves one in-memory LUN over iSCSI on 127.0.0.1 for manual interop checks with
 * libiscsi/QEMU. Arguments: [port] [megabytes] [iqn].
 */
public final class TestTargetMain {
    private TestTargetMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3260;
        long mb = args.length > 1 ? Long.parseLong(args[1]) : 64;
        String iqn = args.length > 2 ? args[2] : "iqn.2024-01.org.remaptarget:test";
        ExecutorService exec = Executors.newFixedThreadPool(4);
        FakeScsiCore core = new FakeScsiCore(new MemoryBlockDevice(512, mb * 2048), exec);
        IscsiSettings settings = IscsiSettings.defaults().toBuilder()
                .portals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).build();
        IscsiServer server = new IscsiServer(settings, TargetDirectory.of(List.of(new TargetEntry(iqn, "test",
                core))));
        server.start();
        System.out.println("listening on " + server.boundAddresses() + " target " + iqn);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            exec.shutdownNow();
        }));
        Thread.currentThread().join();
    }
}
