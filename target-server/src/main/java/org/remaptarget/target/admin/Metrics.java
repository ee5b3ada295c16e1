package org.remaptarget.target.admin;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import org.remaptarget.remap.stats.StatsSnapshot;
import org.remaptarget.target.api.LunHandle;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.lun.LogicalUnit;

/**
 * Renders the server's counters in the Prometheus text exposition format (version 0.0.4): per LUN commands,
 * bytes, errors, command latency histograms, remaps, pending blocks, spare use and health; per target sessions;
 * and the server JVM's heap, direct buffers and threads (so leaks can be watched from outside the process).
 * Reads counters only; no locks.
 */
final class Metrics {
    private final RemapTarget target;

    Metrics(RemapTarget target) {
        this.target = target;
    }

    String render() {
        StringBuilder sb = new StringBuilder(4096);
        gauge(sb, "remap_target_sessions", "Live iSCSI normal sessions.", target.sessionCount());

        header(sb, "remap_target_lun_commands_total", "counter", "SCSI read/write commands completed per LUN.");
        forEachLun((h, l) -> {
            LogicalUnit.Stats st = h.logicalUnit().stats();
            sample(sb, "remap_target_lun_commands_total", l + ",op=\"read\"", st.readCommands());
            sample(sb, "remap_target_lun_commands_total", l + ",op=\"write\"", st.writeCommands());
        });
        header(sb, "remap_target_lun_bytes_total", "counter", "Bytes read and written per LUN.");
        forEachLun((h, l) -> {
            LogicalUnit.Stats st = h.logicalUnit().stats();
            sample(sb, "remap_target_lun_bytes_total", l + ",op=\"read\"", st.readBytes());
            sample(sb, "remap_target_lun_bytes_total", l + ",op=\"write\"", st.writeBytes());
        });
        header(sb, "remap_target_lun_command_errors_total", "counter", "Commands that ended in CHECK CONDITION.");
        forEachLun((h, l) -> sample(sb, "remap_target_lun_command_errors_total", l, h.logicalUnit().stats().errors()));

        header(sb, "remap_target_lun_command_latency_seconds", "histogram",
                "SCSI command latency per LUN, from arrival at the SCSI core to completion.");
        double[] bounds = org.remaptarget.target.lun.LatencyHistogram.boundsSeconds();
        forEachLun((h, l) -> {
            var hist = h.logicalUnit().latency();
            long[] cum = hist.cumulativeCounts();
            for (int i = 0; i < bounds.length; i++) {
                sample(sb, "remap_target_lun_command_latency_seconds_bucket", l + ",le=\"" + bounds[i] + "\"", cum[i]);
            }
            sample(sb, "remap_target_lun_command_latency_seconds_bucket", l + ",le=\"+Inf\"", cum[cum.length - 1]);
            sb.append("remap_target_lun_command_latency_seconds_sum{").append(l).append("} ")
                    .append(hist.sumSeconds()).append('\n');
            sample(sb, "remap_target_lun_command_latency_seconds_count", l, cum[cum.length - 1]);
        });
        header(sb, "remap_target_target_sessions", "gauge", "Live iSCSI normal sessions per target.");
        for (String iqn : target.targetNames()) {
            sample(sb, "remap_target_target_sessions", "target=\"" + escape(iqn) + "\"", target.sessionCount(iqn));
        }
        header(sb, "remap_target_lun_remapped_blocks", "gauge", "Blocks currently redirected to a spare.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_remapped_blocks", l, s.remapped()));
        header(sb, "remap_target_lun_remaps_total", "counter", "Blocks moved to a spare since start.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_remaps_total", l, s.remaps()));
        header(sb, "remap_target_lun_pending_blocks", "gauge", "Unreadable blocks waiting for a write to remap them.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_pending_blocks", l, s.pending()));
        header(sb, "remap_target_lun_spares_used", "gauge", "Spare blocks holding data or retired.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_spares_used", l, s.sparesUsed() + s.sparesRetired()));
        header(sb, "remap_target_lun_spares_total", "gauge", "Size of the spare area in blocks.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_spares_total", l, s.sparesTotal()));
        header(sb, "remap_target_lun_spare_cache_blocks_total", "counter",
                "Blocks of spare-area reads served from the spare cache (hit) or read from the device (miss).");
        forEachLun((h, l) -> h.volume().flatMap(v -> v.spareCache()).ifPresent(c -> {
            sample(sb, "remap_target_lun_spare_cache_blocks_total", l + ",result=\"hit\"", c.hits());
            sample(sb, "remap_target_lun_spare_cache_blocks_total", l + ",result=\"miss\"", c.misses());
        }));
        header(sb, "remap_target_lun_media_errors_total", "counter", "Read and write errors seen on the backing store.");
        forEachVolume((s, l) -> {
            sample(sb, "remap_target_lun_media_errors_total", l + ",op=\"read\"", s.readErrors());
            sample(sb, "remap_target_lun_media_errors_total", l + ",op=\"write\"", s.writeErrors());
        });
        header(sb, "remap_target_lun_reallocation_failures_total", "counter", "Writes that found no spare left.");
        forEachVolume((s, l) -> sample(sb, "remap_target_lun_reallocation_failures_total", l,
                s.reallocationFailures()));
        header(sb, "remap_target_lun_health", "gauge", "1 for the LUN's current health state (OK, DEGRADED, FAILED).");
        forEachVolume((s, l) -> {
            for (var state : org.remaptarget.remap.stats.Health.values()) {
                sample(sb, "remap_target_lun_health", l + ",state=\"" + state.name() + "\"",
                        s.health() == state ? 1 : 0);
            }
        });
        jvm(sb);
        return sb.toString();
    }

    private static void jvm(StringBuilder sb) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(sb, "remap_target_jvm_heap_used_bytes", "Heap in use now (live and not yet collected).", heap.getUsed());
        gauge(sb, "remap_target_jvm_heap_committed_bytes", "Heap reserved from the OS.", heap.getCommitted());
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            afterGc += u == null ? 0 : u.getUsed();
        }
        gauge(sb, "remap_target_jvm_heap_used_after_gc_bytes",
                "Heap in use right after the last collection of each heap pool (live data after a full GC).", afterGc);
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getName().equals("direct") ? pool.getMemoryUsed() : 0;
        }
        gauge(sb, "remap_target_jvm_direct_buffer_bytes", "Direct (off-heap) buffers allocated.", direct);
        gauge(sb, "remap_target_jvm_threads", "Live threads in the server JVM.",
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** An unlabelled gauge with its header. */
    private static void gauge(StringBuilder sb, String name, String help, long value) {
        header(sb, name, "gauge", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private interface LunVisitor {
        void visit(LunHandle h, String labels);
    }

    private interface VolumeVisitor {
        void visit(StatsSnapshot s, String labels);
    }

    private void forEachLun(LunVisitor v) {
        for (String iqn : target.targetNames()) {
            for (LunHandle h : target.luns(iqn)) {
                v.visit(h, "target=\"" + escape(iqn) + "\",lun=\"" + h.lun() + "\"");
            }
        }
    }

    private void forEachVolume(VolumeVisitor v) {
        forEachLun((h, l) -> h.volume().ifPresent(vol -> v.visit(vol.stats(), l)));
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder sb, String name, String labels, long value) {
        sb.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
