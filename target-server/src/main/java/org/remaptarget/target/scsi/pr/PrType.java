package org.remaptarget.target.scsi.pr;

/**
 * The six persistent reservation types of SPC-4 §5.13.10 with their TYPE field codes, and the two properties the
 * access rules depend on: whether every registrant is a holder (all registrants) and whether registered non-holders
 * get full access (registrants only and all registrants).
 */
public enum PrType {
    WRITE_EXCLUSIVE(0x1),
    EXCLUSIVE_ACCESS(0x3),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8);

    private final int code;

    PrType(int code) {
        this.code = code;
    }

    /** The TYPE field value. */
    public int code() {
        return code;
    }

    /** The type for a TYPE field value, or null when the code is reserved or obsolete. */
    public static PrType fromCode(int code) {
        for (PrType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Every registered I_T nexus is a reservation holder (WE-AR, EA-AR). */
    public boolean allRegistrants() {
        return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    /** Registered I_T nexuses have full access (the RO and AR types). */
    public boolean registrantsHaveAccess() {
        return this != WRITE_EXCLUSIVE && this != EXCLUSIVE_ACCESS;
    }

    /** Only writes are restricted for non-holders (WE, WE-RO, WE-AR); otherwise all medium access is. */
    public boolean writeExclusive() {
        return this == WRITE_EXCLUSIVE || this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY
                || this == WRITE_EXCLUSIVE_ALL_REGISTRANTS;
    }
}
