package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;
import static org.remaptarget.target.scsi.Harness.pattern;
import static org.remaptarget.target.scsi.Harness.put;
import static org.remaptarget.target.scsi.Harness.rw10;

import org.junit.jupiter.api.Test;

/** EXTENDED COPY (LID1) block-to-block within the LU, its parameter checks, and RECEIVE COPY RESULTS. */
class ExtendedCopyTest {
    private final Harness h = new Harness();

    private byte[] targetDescriptor(byte[] naa) {
        byte[] t = new byte[32];
        t[0] = (byte) 0xE4;
        t[4] = 0x01;             // binary
        t[5] = 0x03;             // NAA, LU association
        t[7] = (byte) naa.length;
        System.arraycopy(naa, 0, t, 8, naa.length);
        put(t, 29, 512, 3);
        return t;
    }

    private static byte[] segment(int src, int dst, int blocks, long srcLba, long dstLba) {
        byte[] s = new byte[28];
        s[0] = 0x02;
        s[3] = 24;
        put(s, 4, src, 2);
        put(s, 6, dst, 2);
        put(s, 10, blocks, 2);
        put(s, 12, srcLba, 8);
        put(s, 20, dstLba, 8);
        return s;
    }

    private static byte[] parameterList(int listId, byte[] targets, byte[] segments) {
        byte[] d = new byte[16 + targets.length + segments.length];
        d[0] = (byte) listId;
        put(d, 2, targets.length, 2);
        put(d, 8, segments.length, 4);
        System.arraycopy(targets, 0, d, 16, targets.length);
        System.arraycopy(segments, 0, d, 16 + targets.length, segments.length);
        return d;
    }

    private static byte[] xcopy(int len) {
        byte[] c = cdb(0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        put(c, 10, len, 4);
        return c;
    }

    @Test
    void blockToBlockSegmentCopiesTheBlocksWithinTheLu() {
        assertGood(h.run(rw10(0x2A, 0, 0, 16), pattern(16 * 512, 4)));
        byte[] p = parameterList(1, targetDescriptor(h.lu.settings().naaId()), segment(0, 0, 16, 0, 1000));
        assertGood(h.run(xcopy(p.length), p));
        assertArrayEquals(pattern(16 * 512, 4), data(h.run(rw10(0x28, 0, 1000, 16))));
    }

    @Test
    void aSegmentCopiesFromOneLuToAnotherOfTheSameTarget() {
        org.remaptarget.target.lun.LogicalUnit other = new org.remaptarget.target.lun.LogicalUnit(
                org.remaptarget.target.lun.LunSettings.defaults(Harness.IQN, 1),
                new org.remaptarget.target.backend.DeviceBackend(new RecordingDevice(Harness.BS, Harness.BLOCKS)));
        h.core.addLogicalUnit(other);
        h.run(cdb(0x00, 0, 0, 0, 0, 0)); // REPORTED LUNS DATA HAS CHANGED
        assertGood(h.run(rw10(0x2A, 0, 40, 4), pattern(4 * 512, 11)));
        byte[] targets = new byte[64];
        System.arraycopy(targetDescriptor(h.lu.settings().naaId()), 0, targets, 0, 32);
        System.arraycopy(targetDescriptor(other.settings().naaId()), 0, targets, 32, 32);
        byte[] p = parameterList(1, targets, segment(0, 1, 4, 40, 7));
        assertGood(h.run(xcopy(p.length), p));
        h.run(h.a, 1, cdb(0x00, 0, 0, 0, 0, 0), null); // LUN 1's first command reports its power-on attention
        assertArrayEquals(pattern(4 * 512, 11), data(h.run(h.a, 1, rw10(0x28, 0, 7, 4), null)));
    }

    @Test
    void overlappingCopyForwardWithinOneLuMovesLikeMemmove() {
        byte[] src = pattern(8 * 512, 2);
        assertGood(h.run(rw10(0x2A, 0, 100, 8), src));
        byte[] p = parameterList(1, targetDescriptor(h.lu.settings().naaId()), segment(0, 0, 8, 100, 104));
        assertGood(h.run(xcopy(p.length), p));
        assertArrayEquals(src, data(h.run(rw10(0x28, 0, 104, 8))));
    }

    @Test
    void receiveCopyResultsReportsTheHeldStatusOfTheList() {
        byte[] p = parameterList(7, targetDescriptor(h.lu.settings().naaId()), segment(0, 0, 2, 0, 10));
        assertGood(h.run(xcopy(p.length), p));
        byte[] d = data(h.run(cdb(0x84, 0x00, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(0x01, d[4], "completed without errors");
        assertEquals(1, d[6]);
        assertEquals(1024, Harness.u32(d, 8));
    }

    @Test
    void receiveCopyResultsForAnUnknownListIsInvalidFieldInCdb() {
        assertSense(h.run(cdb(0x84, 0x00, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)), SenseReason.INVALID_FIELD_IN_CDB);
    }

    @Test
    void aTargetDescriptorThatNamesNoLuAbortsTheCopy() {
        byte[] p = parameterList(1, targetDescriptor(new byte[16]), segment(0, 0, 1, 0, 10));
        assertSense(h.run(xcopy(p.length), p), SenseReason.COPY_TARGET_DEVICE_NOT_REACHABLE);
    }

    @Test
    void aSegmentBeyondTheLastBlockAbortsTheCopy() {
        byte[] p = parameterList(1, targetDescriptor(h.lu.settings().naaId()), segment(0, 0, 8, 0, Harness.BLOCKS - 1));
        assertSense(h.run(xcopy(p.length), p), SenseReason.COPY_ABORTED);
    }

    @Test
    void listsLongerThanTheParameterListAreParameterListLengthError() {
        byte[] p = parameterList(1, targetDescriptor(h.lu.settings().naaId()), segment(0, 0, 1, 0, 10));
        byte[] shortList = java.util.Arrays.copyOf(p, p.length - 1);
        assertSense(h.run(xcopy(shortList.length), shortList), SenseReason.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void anUnsupportedTargetDescriptorTypeIsReported() {
        byte[] t = targetDescriptor(h.lu.settings().naaId());
        t[0] = (byte) 0xE0;
        byte[] p = parameterList(1, t, segment(0, 0, 1, 0, 10));
        assertSense(h.run(xcopy(p.length), p), SenseReason.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
    }

    @Test
    void moreTargetDescriptorsThanTheLimitAreTooManyTargetDescriptors() {
        byte[] one = targetDescriptor(h.lu.settings().naaId());
        byte[] nine = new byte[9 * 32];
        for (int i = 0; i < 9; i++) {
            System.arraycopy(one, 0, nine, 32 * i, 32);
        }
        byte[] p = parameterList(1, nine, segment(0, 0, 1, 0, 10));
        assertSense(h.run(xcopy(p.length), p), SenseReason.TOO_MANY_TARGET_DESCRIPTORS);
    }

    @Test
    void operatingParametersListTheSupportedDescriptorCodes() {
        byte[] d = data(h.run(cdb(0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(8, d[9]);
        assertEquals(64, d[11]);
        assertEquals(2, d[43]);
        assertEquals(0x02, d[44]);
        assertEquals((byte) 0xE4, d[45]);
    }
}
