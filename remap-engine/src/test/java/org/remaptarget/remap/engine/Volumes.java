package org.remaptarget.remap.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.remaptarget.remap.device.ManualTimeSource;
import org.remaptarget.remap.device.MemoryBlockDevice;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;

/** Helpers shared by engine tests: memory volumes with fault injection, deterministic data patterns. */
public final class Volumes {
    public static final int BS = 512;

    private Volumes() {
    }

    /** Fault injection on, manual clock, the placeholder table. */
    public static OpenOptions opts() {
        return OpenOptions.defaults(TestRemapTable::new).withFaultInjection(true).withTime(new ManualTimeSource())
                .withName("test");
    }

    /** A memory device formatted for {@code f}. */
    public static MemoryBlockDevice formatted(FormatOptions f) throws IOException {
        MemoryBlockDevice dev = new MemoryBlockDevice(f.blockSize(), f.layout(false).backingBlocks());
        RemapVolume.format(dev, null, f);
        return dev;
    }

    /** Formats a memory volume of {@code data} blocks with {@code spares} spares and opens it with faults. */
    public static RemapVolume memory(long data, long spares) throws IOException {
        return RemapVolume.open(formatted(FormatOptions.of(BS, data, spares)), opts());
    }

    /** {@code blocks} blocks of data derived from {@code seed}. */
    public static ByteBuffer pattern(int blocks, long seed) {
        byte[] b = new byte[blocks * BS];
        new SplittableRandom(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    public static ByteBuffer read(org.remaptarget.remap.device.BlockDevice d, long lba, int blocks)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(blocks * d.blockSize());
        d.read(lba, b);
        return b.flip();
    }

    /** Installs a rule that counts {@code op} calls touching {@code [deviceLba, +blocks)} and never fires; its id. */
    public static long countCalls(RemapVolume v, FaultOp op, long deviceLba, long blocks) {
        return v.faults().addRule(FaultRule.of(op, deviceLba, blocks, new FaultOutcome.IoError())
                .withTrigger(new FaultTrigger.AfterCalls(Long.MAX_VALUE)));
    }

    /** Calls counted so far by rule {@code rule} of {@link #countCalls}. */
    public static long calls(RemapVolume v, long rule) {
        return v.faults().rules().stream().filter(r -> r.id() == rule).findFirst().orElseThrow().matchingCalls();
    }

    /** Blocks {@code [lba, +blocks)} of {@code all} (a view). */
    public static ByteBuffer slice(ByteBuffer all, long lba, int blocks) {
        return all.duplicate().position((int) lba * BS).limit((int) (lba + blocks) * BS).slice();
    }

    /**
     * A memory volume of {@code data} blocks holding {@code pattern(data, 1)}, with every {@code step}-th block from 0
     * on moved to a spare in ascending order (so on consecutive spares).
     */
    public static RemapVolume remappedEvery(int data, int spares, int step) throws IOException {
        RemapVolume v = memory(data, spares);
        v.device().write(0, pattern(data, 1), false);
        for (long b = 0; b < data; b += step) {
            v.remapNow(b);
        }
        return v;
    }
}
