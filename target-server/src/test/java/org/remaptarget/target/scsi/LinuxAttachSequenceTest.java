package org.remaptarget.target.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.Harness.assertGood;
import static org.remaptarget.target.scsi.Harness.assertSense;
import static org.remaptarget.target.scsi.Harness.cdb;
import static org.remaptarget.target.scsi.Harness.data;

import org.junit.jupiter.api.Test;

/** The commands the Linux sd driver sends when it attaches a disk, in its order, on a fresh nexus. */
class LinuxAttachSequenceTest {
    private final Harness h = new Harness();

    @Test
    void theSdAttachSequenceSucceedsWithoutAnyUnitAttention() {
        assertEquals(36, h.run(cdb(0x12, 0, 0, 0, 36, 0)).dataInLength());
        assertGood(h.run(cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0)));
        assertGood(h.run(cdb(0x00, 0, 0, 0, 0, 0)));
        byte[] pages = data(h.run(cdb(0x12, 1, 0x00, 0, 255, 0)));
        for (int i = 0; i < pages[3]; i++) {
            assertGood(h.run(cdb(0x12, 1, pages[4 + i] & 0xff, 0, 255, 0)));
        }
        assertSense(h.run(cdb(0x12, 1, 0x89, 0x02, 0x40, 0)), SenseReason.INVALID_FIELD_IN_CDB);
        assertSense(h.run(cdb(0x12, 1, 0xB7, 0, 255, 0)), SenseReason.INVALID_FIELD_IN_CDB);
        byte[] rc16 = data(h.run(cdb(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
        assertEquals(Harness.BS, ((rc16[10] & 0xff) << 8) | (rc16[11] & 0xff));
        // sd_read_write_protect_flag: MODE SENSE(6) all pages, first 4 bytes then 255
        byte[] hdr = data(h.run(cdb(0x1A, 0, 0x3F, 0, 4, 0)));
        assertEquals(4, hdr.length);
        assertEquals(0, hdr[2] & 0x80, "not write protected");
        byte[] all = data(h.run(cdb(0x1A, 0, 0x3F, 0, 255, 0)));
        assertEquals(all.length - 1, all[0] & 0xff);
        // sd_read_cache_type: caching page with DBD, then without
        byte[] cache = data(h.run(cdb(0x1A, 0x08, 0x08, 0, 255, 0)));
        assertEquals(0x08, cache[4] & 0x3f);
        assertTrue((cache[4 + 2] & 0x04) != 0, "WCE");
        assertGood(h.run(cdb(0x1A, 0, 0x08, 0, 255, 0)));
        assertGood(h.run(cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
    }
}
