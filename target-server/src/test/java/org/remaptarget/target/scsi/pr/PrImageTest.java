package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The persistent reservation image: round trip and every way a damaged image is recognised. */
class PrImageTest {
    private final Registrant a = new Registrant("iqn.1994-05.com.example:a", 0x23d000000001L, "iqn.t", 1, false);
    private final Registrant b = new Registrant("iqn.1994-05.com.example:b", Registrant.ANY_ISID, "iqn.t", 3, true);
    private final PrState state = new PrState(17, List.of(new Registration(a, 0xA1), new Registration(b, -5L)),
            new PrState.Reservation(b, PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY), true);

    @Test
    void anImageDecodesToTheSameRegistrationsReservationAndAptplWithGenerationZero() {
        PrImage.Decoded d = PrImage.decode(PrImage.encode(state, 9));
        assertNull(d.error());
        assertEquals(9, d.sequence());
        assertEquals(new PrState(0, state.registrations(), state.reservation(), true), d.state());
    }

    @Test
    void anAllRegistrantsReservationRoundTripsWithoutAHolder() {
        PrState s = state.withReservation(new PrState.Reservation(null, PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS));
        assertEquals(s.reservation(), PrImage.decode(PrImage.encode(s, 1)).state().reservation());
    }

    @Test
    void aFlippedBitIsACrcMismatch() {
        byte[] img = PrImage.encode(state, 1);
        img[40] ^= 1;
        assertEquals("CRC32C mismatch", PrImage.decode(img).error());
    }

    @Test
    void aTruncatedImageIsRejected() {
        byte[] img = PrImage.encode(state, 1);
        assertNotNull(PrImage.decode(Arrays.copyOf(img, img.length - 9)).error());
        assertNotNull(PrImage.decode(new byte[5]).error());
    }

    @Test
    void aWrongMagicWithAValidCrcIsRejected() {
        byte[] img = PrImage.encode(state, 1);
        img[0] = 'X';
        reseal(img);
        assertEquals("bad magic", PrImage.decode(img).error());
    }

    @Test
    void anAbsurdRegistrationCountIsRejectedWithoutAllocating() {
        byte[] img = PrImage.encode(state, 1);
        img[20] = 0x7f;
        reseal(img);
        assertNotNull(PrImage.decode(img).error());
    }

    @Test
    void aHolderIndexOutsideTheRegistrationsIsRejected() {
        byte[] img = PrImage.encode(state, 1);
        img[19] = 9;
        reseal(img);
        assertNotNull(PrImage.decode(img).error());
    }

    private static void reseal(byte[] img) {
        CRC32C crc = new CRC32C();
        crc.update(img, 0, img.length - 4);
        int v = (int) crc.getValue();
        img[img.length - 4] = (byte) (v >>> 24);
        img[img.length - 3] = (byte) (v >>> 16);
        img[img.length - 2] = (byte) (v >>> 8);
        img[img.length - 1] = (byte) v;
    }
}
