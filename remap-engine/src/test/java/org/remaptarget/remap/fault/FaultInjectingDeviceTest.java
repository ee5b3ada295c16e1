package org.remaptarget.remap.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.device.ManualTimeSource;
import org.remaptarget.remap.device.MediumErrorException;
import org.remaptarget.remap.device.MemoryBlockDevice;

class FaultInjectingDeviceTest {
    private static final int BS = 512;
    private final ManualTimeSource clock = new ManualTimeSource();
    private final MemoryBlockDevice mem = new MemoryBlockDevice(BS, 64);
    private final FaultInjectingDevice dev = new FaultInjectingDevice(mem, clock, true);

    private static ByteBuffer blocks(int n, int fill) {
        byte[] b = new byte[n * BS];
        java.util.Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    private byte[] read(long lba, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n * BS);
        dev.read(lba, b);
        return b.array();
    }

    private boolean readFails(long lba, int n) {
        try {
            read(lba, n);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void readRuleFailsOnlyRequestsTouchingItsRange() throws IOException {
        dev.addRule(FaultRule.of(FaultOp.READ, 10, 2, new FaultOutcome.IoError()));
        assertFalse(readFails(0, 10));
        assertTrue(readFails(9, 2));
        assertTrue(readFails(11, 1));
        assertFalse(readFails(12, 4));
        dev.write(10, blocks(1, 1), false); // writes are not matched by a read rule
    }

    @Test
    void mediumErrorNamesTheFirstFailingLbaOfTheRequest() {
        dev.addRule(FaultRule.of(FaultOp.READ, 13, 3, new FaultOutcome.MediumError()));
        MediumErrorException e = assertThrows(MediumErrorException.class, () -> read(10, 8));
        assertEquals(13, e.lba());
        assertFalse(e.isWrite());
    }

    @Test
    void failedWriteChangesNothingOnTheDevice() throws IOException {
        dev.addRule(FaultRule.of(FaultOp.WRITE, 5, 1, new FaultOutcome.MediumError()));
        MediumErrorException e = assertThrows(MediumErrorException.class, () -> dev.write(4, blocks(2, 9), false));
        assertTrue(e.isWrite());
        assertArrayEquals(new byte[2 * BS], read(4, 2));
    }

    @Test
    void oneInNWithTheSameSeedFiresOnTheSameCalls() throws IOException {
        List<Boolean> first = pattern(99);
        List<Boolean> second = pattern(99);
        assertEquals(first, second);
        long fired = first.stream().filter(b -> b).count();
        assertTrue(fired > 10 && fired < 90, "about one in four of 200 calls should fire, got " + fired);
        assertNotEquals(first, pattern(100));
    }

    private List<Boolean> pattern(long seed) throws IOException {
        FaultInjectingDevice d = new FaultInjectingDevice(new MemoryBlockDevice(BS, 8), clock, false);
        d.addRule(FaultRule.everywhere(FaultOp.READ, new FaultTrigger.OneIn(4, seed), new FaultOutcome.IoError()));
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try {
                d.read(0, ByteBuffer.allocate(BS));
                out.add(false);
            } catch (IOException e) {
                out.add(true);
            }
        }
        return out;
    }

    @Test
    void afterCallsLetsTheFirstNCallsPass() {
        dev.addRule(FaultRule.everywhere(FaultOp.READ, new FaultTrigger.AfterCalls(3), new FaultOutcome.IoError()));
        assertFalse(readFails(0, 1));
        assertFalse(readFails(0, 1));
        assertFalse(readFails(0, 1));
        assertTrue(readFails(0, 1));
        assertTrue(readFails(0, 1));
    }

    @Test
    void dustBlockFailsReadsAndWritesNTimesThenHealsOnWrite() throws IOException {
        dev.addRule(new FaultRule(EnumSet.of(FaultOp.READ, FaultOp.WRITE), 20, 1,
                new FaultTrigger.FailThenHealOnWrite(2), new FaultOutcome.MediumError(), 0));
        assertTrue(readFails(20, 1));
        assertThrows(MediumErrorException.class, () -> dev.write(20, blocks(1, 3), false));
        assertThrows(MediumErrorException.class, () -> dev.write(20, blocks(1, 3), false));
        assertTrue(readFails(20, 1));
        dev.write(20, blocks(1, 3), false);
        assertArrayEquals(blocks(1, 3).array(), read(20, 1));
    }

    @Test
    void flakeyWindowFollowsTheInjectedClock() {
        dev.addRule(FaultRule.everywhere(FaultOp.READ, new FaultTrigger.Flakey(1000, 500),
                new FaultOutcome.IoError()));
        assertFalse(readFails(0, 1));
        clock.advance(999);
        assertFalse(readFails(0, 1));
        clock.advance(1);
        assertTrue(readFails(0, 1));
        clock.advance(499);
        assertTrue(readFails(0, 1));
        clock.advance(1);
        assertFalse(readFails(0, 1));
    }

    @Test
    void latencyDelaysTheCallOnTheInjectedClock() throws IOException {
        dev.addRule(FaultRule.of(FaultOp.READ, 0, 1, new FaultOutcome.Latency(5_000_000)));
        read(0, 1);
        assertEquals(5_000_000, clock.nanoTime());
        read(1, 1);
        assertEquals(5_000_000, clock.nanoTime());
    }

    @Test
    void corruptionDamagesReadDataSilentlyOnlyInsideTheRange() throws IOException {
        dev.write(0, blocks(4, 7), false);
        dev.addRule(FaultRule.of(FaultOp.READ, 2, 1, new FaultOutcome.Corrupt()));
        byte[] got = read(0, 4);
        assertArrayEquals(java.util.Arrays.copyOfRange(blocks(4, 7).array(), 0, 2 * BS),
                java.util.Arrays.copyOfRange(got, 0, 2 * BS));
        assertEquals((byte) ~7, got[2 * BS]);
        assertEquals((byte) 7, got[2 * BS + 1]);
        ByteBuffer direct = ByteBuffer.allocate(BS);
        mem.read(2, direct);
        assertArrayEquals(blocks(1, 7).array(), direct.array());
    }

    @Test
    void corruptionOnWriteStoresDamagedData() throws IOException {
        dev.addRule(FaultRule.of(FaultOp.WRITE, 1, 1, new FaultOutcome.Corrupt()));
        ByteBuffer src = blocks(1, 5);
        dev.write(1, src, false);
        assertEquals((byte) ~5, read(1, 1)[0]);
        assertEquals((byte) 5, src.array()[0]);
    }

    @Test
    void powerCutDiscardsEveryUnflushedWrite() throws IOException {
        dev.write(0, blocks(1, 1), false);
        dev.flush();
        dev.write(0, blocks(1, 2), false);
        dev.write(1, blocks(1, 3), false);
        dev.powerCut();
        assertTrue(dev.isPoweredOff());
        assertThrows(IOException.class, () -> read(0, 1));
        dev.restorePower();
        assertArrayEquals(blocks(1, 1).array(), read(0, 1));
        assertArrayEquals(new byte[BS], read(1, 1));
    }

    @Test
    void fuaWritesSurviveAPowerCut() throws IOException {
        dev.write(0, blocks(1, 2), false);
        dev.write(1, blocks(1, 4), true);
        dev.powerCut();
        dev.restorePower();
        assertArrayEquals(new byte[BS], read(0, 1));
        assertArrayEquals(blocks(1, 4).array(), read(1, 1));
    }

    @Test
    void powerCutAfterNWritesFailsTheNextWriteAndLosesUnflushedOnes() throws IOException {
        dev.addRule(FaultRule.everywhere(FaultOp.WRITE, new FaultTrigger.AfterCalls(2),
                new FaultOutcome.PowerCut(false, 0)));
        dev.write(0, blocks(1, 1), false);
        dev.flush();
        dev.write(1, blocks(1, 1), false);
        assertThrows(IOException.class, () -> dev.write(2, blocks(1, 1), false));
        assertEquals(1, dev.powerCuts());
        dev.restorePower();
        assertArrayEquals(blocks(1, 1).array(), read(0, 1));
        assertArrayEquals(new byte[BS], read(1, 1));
        assertArrayEquals(new byte[BS], read(2, 1));
    }

    @Test
    void droppedFlushLeavesWritesVolatileUntilTheNextRealFlush() throws IOException {
        long id = dev.addRule(FaultRule.everywhere(FaultOp.FLUSH, new FaultTrigger.Always(),
                new FaultOutcome.DropFlush()).withMaxFirings(1));
        dev.write(0, blocks(1, 1), false);
        dev.flush(); // dropped
        assertEquals(1, dev.unflushedWrites());
        dev.powerCut();
        dev.restorePower();
        assertArrayEquals(new byte[BS], read(0, 1));
        dev.write(0, blocks(1, 1), false);
        dev.flush(); // honoured: the rule fired its one time
        dev.powerCut();
        dev.restorePower();
        assertArrayEquals(blocks(1, 1).array(), read(0, 1));
        assertEquals(1, dev.firings(id));
    }

    @Test
    void tornPowerCutKeepsASeededSubsetOfUnflushedBlocks() throws IOException {
        int[] survivors = new int[2];
        for (int run = 0; run < 2; run++) {
            MemoryBlockDevice m = new MemoryBlockDevice(BS, 64);
            FaultInjectingDevice d = new FaultInjectingDevice(m, clock, true);
            d.write(0, blocks(64, 9), false);
            d.powerCutTorn(1234);
            for (long b = 0; b < 64; b++) {
                ByteBuffer one = ByteBuffer.allocate(BS);
                m.read(b, one);
                survivors[run] += one.get(0) == 9 ? 1 : 0;
            }
        }
        assertEquals(survivors[0], survivors[1]);
        assertTrue(survivors[0] > 5 && survivors[0] < 59, "about half should survive: " + survivors[0]);
    }

    @Test
    void rulesCanBeListedAndRemovedAtRunTime() {
        long a = dev.addRule(FaultRule.of(FaultOp.READ, 0, 1, new FaultOutcome.IoError()));
        long b = dev.addRule(FaultRule.of(FaultOp.WRITE, 0, 1, new FaultOutcome.IoError()));
        assertEquals(List.of(a, b), dev.rules().stream().map(FaultRuleStatus::id).toList());
        assertTrue(dev.removeRule(a));
        assertFalse(dev.removeRule(a));
        assertFalse(readFails(0, 1));
        assertEquals(List.of(b), dev.rules().stream().map(FaultRuleStatus::id).toList());
    }

    @Test
    void everyFiringIsCountedPerRuleAndInTotal() {
        long id = dev.addRule(FaultRule.of(FaultOp.READ, 3, 1, new FaultOutcome.IoError()));
        readFails(3, 1);
        readFails(3, 1);
        readFails(4, 1);
        FaultRuleStatus s = dev.rules().get(0);
        assertEquals(2, s.firings());
        assertEquals(2, s.matchingCalls());
        assertEquals(2, dev.firings(id));
        assertEquals(2, dev.totalFirings());
    }

    @Test
    void maxFiringsTurnsARuleIntoATransientFault() {
        dev.addRule(FaultRule.of(FaultOp.READ, 0, 1, new FaultOutcome.IoError()).withMaxFirings(2));
        assertTrue(readFails(0, 1));
        assertTrue(readFails(0, 1));
        assertFalse(readFails(0, 1));
    }

    @Test
    void discardRuleMatchesDiscards() {
        dev.addRule(FaultRule.of(FaultOp.DISCARD, 8, 8, new FaultOutcome.MediumError()));
        MediumErrorException e = assertThrows(MediumErrorException.class, () -> dev.discard(0, 10));
        assertEquals(8, e.lba());
    }
}
