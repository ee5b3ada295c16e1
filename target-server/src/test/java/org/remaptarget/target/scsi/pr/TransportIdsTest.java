package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** iSCSI TransportIDs: the layout SPC-4 §7.6.4.6 gives and bounded decoding. */
class TransportIdsTest {
    @Test
    void anInitiatorPortEncodesAsFormatOneWithIsidAndPadding() {
        Registrant r = new Registrant("iqn.x:a", 0x23d000000001L, "t", 1, false);
        byte[] t = TransportIds.encode(r);
        assertEquals(0x45, t[0] & 0xff);
        String s = "iqn.x:a,i,0x23d000000001";
        int additional = ((t[2] & 0xff) << 8) | (t[3] & 0xff);
        assertEquals(0, additional % 4);
        assertTrue(additional >= s.length() + 1);
        assertEquals(4 + additional, t.length);
        assertEquals(s, new String(t, 4, s.length(), StandardCharsets.US_ASCII));
        assertEquals(0, t[4 + s.length()]);
    }

    @Test
    void anEncodedTransportIdDecodesToTheSameNameAndIsid() {
        Registrant r = new Registrant("iqn.1994-05.com.example:host", 0x80123456789aL, "t", 1, false);
        byte[] t = TransportIds.encode(r);
        TransportIds.Parsed p = TransportIds.decode(t, 0, t.length);
        assertEquals(-1, p.errorOffset());
        assertEquals(r.initiatorName(), p.name());
        assertEquals(r.isid(), p.isid());
        assertEquals(t.length, p.length());
    }

    @Test
    void aNameOnlyTransportIdMeansAnyIsid() {
        byte[] t = TransportIds.encode(new Registrant("iqn.x:b", Registrant.ANY_ISID, "t", 1, false));
        assertEquals(0x05, t[0]);
        assertEquals(Registrant.ANY_ISID, TransportIds.decode(t, 0, t.length).isid());
    }

    @Test
    void anotherProtocolIsRejectedAtItsFirstByte() {
        byte[] t = TransportIds.encode(new Registrant("iqn.x:a", 1, "t", 1, false));
        t[0] = 0x40 | 0x06;
        assertEquals(0, TransportIds.decode(t, 0, t.length).errorOffset());
    }

    @Test
    void aLengthBeyondTheBufferIsRejectedAtTheLengthField() {
        byte[] t = TransportIds.encode(new Registrant("iqn.x:a", 1, "t", 1, false));
        t[2] = 0x10;
        assertEquals(2, TransportIds.decode(t, 0, t.length).errorOffset());
    }

    @Test
    void aNameWithoutItsTerminatingNulIsRejected() {
        byte[] t = new byte[8];
        t[0] = 0x05;
        t[3] = 4;
        t[4] = 'a';
        t[5] = 'b';
        t[6] = 'c';
        t[7] = 'd';
        assertEquals(4, TransportIds.decode(t, 0, t.length).errorOffset());
    }
}
