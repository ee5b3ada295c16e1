package org.remaptarget.target.scsi;

import org.remaptarget.target.backend.RecoveredError;
import org.remaptarget.target.lun.LogicalUnit;

/**
 * A task being executed: the task, the logical unit it addresses (null for a LUN that does not exist — only
 * {@link CommandSpec#ANY_LUN} commands see that), and big-endian accessors for the CDB. Handlers read fields here
 * and never index past the CDB: a short CDB reads as zeros beyond its end.
 */
public final class Command {
    private final ScsiTask task;
    private final LogicalUnit lu;
    private final TargetInfo target;
    private final byte[] cdb;
    private long transferLength = -1;

    public Command(ScsiTask task, LogicalUnit lu, TargetInfo target) {
        this.task = task;
        this.lu = lu;
        this.target = target;
        this.cdb = task.cdb();
    }

    public ScsiTask task() {
        return task;
    }

    public Nexus nexus() {
        return task.nexus();
    }

    /** The logical unit, or null when the addressed LUN does not exist. */
    public LogicalUnit lu() {
        return lu;
    }

    public TargetInfo target() {
        return target;
    }

    public int opcode() {
        return u8(0);
    }

    public int cdbLength() {
        return cdb.length;
    }

    public int u8(int i) {
        return i < cdb.length ? cdb[i] & 0xff : 0;
    }

    public boolean bit(int i, int bit) {
        return (u8(i) & (1 << bit)) != 0;
    }

    public int u16(int i) {
        return (u8(i) << 8) | u8(i + 1);
    }

    public int u24(int i) {
        return (u8(i) << 16) | u16(i + 1);
    }

    public long u32(int i) {
        return ((long) u16(i) << 16) | u16(i + 2);
    }

    public long u64(int i) {
        return (u32(i) << 32) | u32(i + 4);
    }

    /**
     * Records the number of bytes the CDB itself asks to transfer, so the transport computes residuals from it
     * whatever the outcome (set it before anything can fail).
     */
    public void setTransferLength(long bytes) {
        this.transferLength = bytes;
    }

    /** The CDB's transfer length in bytes, or -1 when not set. */
    public long transferLength() {
        return transferLength;
    }

    /** Data-Out bytes (valid up to {@link #dataOutLength()}), never null. */
    public byte[] dataOut() {
        byte[] d = task.dataOut();
        return d == null ? new byte[0] : d;
    }

    public int dataOutLength() {
        return task.dataOut() == null ? 0 : task.dataOutLength();
    }

    /** Sense format for failures of this command. */
    public boolean descriptorSense() {
        return lu != null && lu.descriptorSense();
    }

    /**
     * Fails with DATA PROTECT 27/00 on a read-only LU, 27/02 while software write protect (SWP) is on; write
     * handlers call it after CDB checks, before I/O.
     */
    public void requireWritable() throws ScsiFailure {
        if (lu.readOnly()) {
            throw ScsiFailure.of(SenseReason.WRITE_PROTECTED);
        }
        if (lu.mode().swp()) {
            throw ScsiFailure.of(SenseReason.SOFTWARE_WRITE_PROTECTED);
        }
    }

    /** Fails with 21/00 unless {@code [lba, lba+blocks)} lies inside the LU (64-bit overflow included). */
    public void checkRange(long lba, long blocks) throws ScsiFailure {
        long cap = lu.blockCount();
        if (lba < 0 || blocks < 0 || lba > cap || blocks > cap - lba) {
            throw ScsiFailure.of(SenseReason.LBA_OUT_OF_RANGE);
        }
    }

    /**
     * The parameter list of a command whose CDB announces {@code length} bytes: fails with 0E/03 (the EDTL rule)
     * when the initiator sent fewer. Returns the Data-Out array (valid for {@code length} bytes).
     */
    public byte[] parameterList(int length) throws ScsiFailure {
        if (dataOutLength() < length) {
            throw ScsiFailure.of(SenseReason.INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        return dataOut();
    }

    /**
     * A command that completed after the storage recovered an error on its way (a write moved to a spare, a read
     * that needed retries): when the read-write error recovery page's PER bit is set, CHECK CONDITION with the
     * RECOVERED ERROR reason and the block in INFORMATION, keeping {@code completed}'s data and transfer length
     * (the command did complete); otherwise, or when {@code recovered} is null, {@code completed} unchanged.
     */
    public ScsiResult recovered(ScsiResult completed, RecoveredError recovered) {
        if (recovered == null || lu == null || !lu.mode().per()) {
            return completed;
        }
        return withSense(completed, ScsiFailure.at(recovered.reason(), recovered.lba()));
    }

    /**
     * {@code completed} turned into CHECK CONDITION with {@code sense} (a RECOVERED ERROR or NO SENSE condition),
     * keeping its data and transfer length: the command itself did its work.
     */
    public ScsiResult withSense(ScsiResult completed, ScsiFailure sense) {
        byte[] bytes = SenseData.build(sense, descriptorSense());
        return completed.withStatus(ScsiResult.CHECK_CONDITION, bytes);
    }

    /** GOOD with {@code data[0..len)} truncated to the CDB's allocation length. */
    public static ScsiResult dataIn(byte[] data, int len, long allocationLength) {
        int n = (int) Math.min(len, allocationLength);
        return ScsiResult.goodWithData(data, n);
    }
}
