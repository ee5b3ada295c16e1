package org.remaptarget.target.scsi.spc;

import java.io.ByteArrayOutputStream;
import org.remaptarget.target.backend.StorageCounters;

/**
 * Encodes the log pages this target implements (SPC-4 §7.3, SBC-3 §6.3): supported pages (00h) and supported pages
 * and subpages (00h/FFh), write error counter (02h), read error counter (03h), informational exceptions (2Fh) and
 * the vendor remap page (30h). Counters come from the storage ({@link StorageCounters}); pure functions, no state.
 *
 * <p>Error counter parameters (bounded data counters, 8 bytes): 0000h corrected without substantial delay (none:
 * every correction here is a retry or a reallocation), 0001h corrected with possible delays (writes: retries;
 * reads: reads recovered by a retry), 0002h total rewrites / rereads (retries), 0003h total errors corrected
 * (writes: reallocations to spares; reads: reads recovered), 0004h times the correction algorithm ran (same as
 * 0003h), 0005h bytes processed, 0006h total uncorrected errors (medium errors returned).
 *
 * <p>Remap page 30h (bounded data counters, 8 bytes): 0000h remapped blocks, 0001h blocks pending reallocation,
 * 0002h spares used, 0003h spares retired, 0004h spares total, 0005h spares free, 0006h health (0 OK,
 * 1 DEGRADED, 2 FAILED, binary), 0007h blocks reallocated since start.
 */
final class LogPages {
    static final int SUPPORTED = 0x00;
    static final int WRITE_ERRORS = 0x02;
    static final int READ_ERRORS = 0x03;
    static final int INFORMATIONAL_EXCEPTIONS = 0x2F;
    static final int REMAP = 0x30;
    static final int ALL_SUBPAGES = 0xFF;

    /** Supported page codes, ascending (all with subpage 00h). */
    static final int[] PAGES = {SUPPORTED, WRITE_ERRORS, READ_ERRORS, INFORMATIONAL_EXCEPTIONS, REMAP};

    /** The largest parameter code of each page with parameters (for the PARAMETER POINTER check). */
    static int lastParameter(int page) {
        return switch (page) {
            case WRITE_ERRORS, READ_ERRORS -> 0x0006;
            case INFORMATIONAL_EXCEPTIONS -> 0x0000;
            case REMAP -> 0x0007;
            default -> -1;
        };
    }

    private static final int COUNTER = 0x00;       // bounded data counter: format and linking 00b
    private static final int BINARY_LIST = 0x03;   // binary format list: format and linking 11b
    private static final int NO_TEMPERATURE = 0xFF;

    private LogPages() {
    }

    static boolean supported(int page, int subpage) {
        if (page == SUPPORTED) {
            return subpage == 0 || subpage == ALL_SUBPAGES;
        }
        if (subpage != 0) {
            return false;
        }
        for (int p : PAGES) {
            if (p == page) {
                return true;
            }
        }
        return false;
    }

    /**
     * The page with parameters whose code is at least {@code pointer}.
     *
     * @param c                 the storage's counters (null: all zero)
     * @param failurePredicted  an informational exception condition (5D/00) exists
     * @param current           cumulative values (PC 01b); false reports the defaults (zeros)
     */
    static byte[] encode(int page, int subpage, int pointer, StorageCounters c, boolean failurePredicted,
                         boolean current) {
        StorageCounters v = current && c != null ? c
                : new StorageCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        boolean saveDisabled = true;
        switch (page) {
            case SUPPORTED -> {
                saveDisabled = false;
                for (int p : PAGES) {
                    params.write(p);
                    if (subpage == ALL_SUBPAGES) {
                        params.write(0);
                        if (p == SUPPORTED) {
                            params.write(SUPPORTED);
                            params.write(ALL_SUBPAGES);
                        }
                    }
                }
            }
            case WRITE_ERRORS -> errorCounters(params, pointer, 0, v.writeRetries(), v.writeRetries(),
                    v.writesReallocated(), v.writesReallocated(), v.bytesWritten(), v.writeErrors());
            case READ_ERRORS -> errorCounters(params, pointer, 0, v.readsRecovered(), v.readRetries(),
                    v.readsRecovered(), v.readsRecovered(), v.bytesRead(), v.readErrors());
            case INFORMATIONAL_EXCEPTIONS -> {
                boolean ie = current && failurePredicted;
                byte[] p = {(byte) (ie ? 0x5D : 0), 0, (byte) NO_TEMPERATURE};
                parameter(params, 0x0000, BINARY_LIST, p);
            }
            case REMAP -> {
                long[] values = {v.remapped(), v.pending(), v.sparesUsed(), v.sparesRetired(), v.sparesTotal(),
                        Math.max(0, v.sparesTotal() - v.sparesUsed() - v.sparesRetired()), v.health(),
                        v.writesReallocated()};
                for (int code = pointer; code < values.length; code++) {
                    parameter(params, code, code == 6 ? BINARY_LIST : COUNTER, be(values[code]));
                }
            }
            default -> throw new IllegalArgumentException("log page " + page);
        }
        byte[] body = params.toByteArray();
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) ((saveDisabled ? 0x80 : 0) | (subpage != 0 ? 0x40 : 0) | page);
        out[1] = (byte) subpage;
        out[2] = (byte) (body.length >>> 8);
        out[3] = (byte) body.length;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    private static void errorCounters(ByteArrayOutputStream out, int pointer, long... values) {
        for (int code = pointer; code < values.length; code++) {
            parameter(out, code, COUNTER, be(values[code]));
        }
    }

    private static void parameter(ByteArrayOutputStream out, int code, int control, byte[] value) {
        out.write(code >>> 8);
        out.write(code);
        out.write(control);
        out.write(value.length);
        out.write(value, 0, value.length);
    }

    private static byte[] be(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
