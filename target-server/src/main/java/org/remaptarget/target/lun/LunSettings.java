package org.remaptarget.target.lun;

import java.util.Objects;

/**
 * Identity and policy of one logical unit, immutable.
 *
 * @param lun                    the LUN number (0..16383)
 * @param serial                 unit serial number (VPD 80h), printable ASCII
 * @param naaId                  16-byte NAA-6 designator (VPD 83h), stable per LUN
 * @param vendor                 T10 vendor identification (≤ 8 chars)
 * @param product                product identification (≤ 16 chars)
 * @param revision               product revision level (≤ 4 chars)
 * @param readOnly               every write fails with DATA PROTECT 27/00 and MODE SENSE sets WP
 * @param writeCacheEnabled      initial WCE of the caching mode page
 * @param maxTransferBlocks      MAXIMUM TRANSFER LENGTH (VPD B0h) in blocks; longer READ/WRITE get 24/00
 * @param optimalTransferBlocks  OPTIMAL TRANSFER LENGTH GRANULARITY (VPD B0h) in blocks
 * @param maxWriteSameBlocks     MAXIMUM WRITE SAME LENGTH (VPD B0h) in blocks
 * @param thin                   thin provisioned (LBPME=1, LBPRZ=1): UNMAP, WRITE SAME with UNMAP and SANITIZE
 *                               BLOCK ERASE deallocate blocks, which then read as zeros; GET LBA STATUS reports them
 * @param removable              removable medium (RMB = 1): START STOP UNIT with LOEJ ejects and loads it, PREVENT
 *                               ALLOW MEDIUM REMOVAL guards that, and media access without a medium is 3A/00
 */
public record LunSettings(long lun, String serial, byte[] naaId, String vendor, String product, String revision,
                          boolean readOnly, boolean writeCacheEnabled, int maxTransferBlocks,
                          int optimalTransferBlocks, long maxWriteSameBlocks, boolean thin, boolean removable) {

    public static final String DEFAULT_VENDOR = "REMAPTGT";
    public static final String DEFAULT_PRODUCT = "remap-disk";
    public static final String DEFAULT_REVISION = "0001";

    public LunSettings {
        Objects.requireNonNull(serial);
        Objects.requireNonNull(vendor);
        Objects.requireNonNull(product);
        Objects.requireNonNull(revision);
        if (naaId == null || naaId.length != 16) {
            throw new IllegalArgumentException("naaId must be 16 bytes");
        }
        if (lun < 0 || lun > 16383) {
            throw new IllegalArgumentException("lun " + lun + " outside 0..16383");
        }
        if (maxTransferBlocks <= 0 || optimalTransferBlocks <= 0 || maxWriteSameBlocks <= 0) {
            throw new IllegalArgumentException("transfer limits must be positive");
        }
        naaId = naaId.clone();
    }

    /** A fully provisioned (thick) LU. */
    public LunSettings(long lun, String serial, byte[] naaId, String vendor, String product, String revision,
                       boolean readOnly, boolean writeCacheEnabled, int maxTransferBlocks,
                       int optimalTransferBlocks, long maxWriteSameBlocks) {
        this(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled, maxTransferBlocks,
                optimalTransferBlocks, maxWriteSameBlocks, false, false);
    }

    /** A fixed (non-removable) LU, thin or thick. */
    public LunSettings(long lun, String serial, byte[] naaId, String vendor, String product, String revision,
                       boolean readOnly, boolean writeCacheEnabled, int maxTransferBlocks,
                       int optimalTransferBlocks, long maxWriteSameBlocks, boolean thin) {
        this(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled, maxTransferBlocks,
                optimalTransferBlocks, maxWriteSameBlocks, thin, false);
    }

    /** The same LU with a removable medium or not. */
    public LunSettings withRemovable(boolean on) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, thin, on);
    }

    /** The same LU, thin provisioned or not. */
    public LunSettings withThin(boolean on) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, on, removable);
    }

    /** Defaults for LUN {@code lun} of {@code targetName}, ids derived with {@link LunIds}. */
    public static LunSettings defaults(String targetName, long lun) {
        String seed = LunIds.seed(targetName, lun);
        return new LunSettings(lun, LunIds.serial(seed), LunIds.naa6(seed), DEFAULT_VENDOR, DEFAULT_PRODUCT,
                DEFAULT_REVISION, false, true, 16384, 8, 0xFFFF);
    }

    @Override
    public byte[] naaId() {
        return naaId.clone();
    }

    public LunSettings withReadOnly(boolean ro) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, ro, writeCacheEnabled,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, thin, removable);
    }

    public LunSettings withWriteCacheEnabled(boolean wce) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, readOnly, wce,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, thin, removable);
    }

    /** Replaces the unit serial number (VPD 80h and the T10 vendor id designator); the NAA id stays. */
    public LunSettings withSerial(String newSerial) {
        return new LunSettings(lun, newSerial, naaId, vendor, product, revision, readOnly, writeCacheEnabled,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, thin, removable);
    }

    public LunSettings withIdentity(String vendor, String product, String revision) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled,
                maxTransferBlocks, optimalTransferBlocks, maxWriteSameBlocks, thin, removable);
    }

    public LunSettings withLimits(int maxTransfer, int optimalGranularity, long maxWriteSame) {
        return new LunSettings(lun, serial, naaId, vendor, product, revision, readOnly, writeCacheEnabled,
                maxTransfer, optimalGranularity, maxWriteSame, thin, removable);
    }
}
