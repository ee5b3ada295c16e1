package org.remaptarget.target.scsi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One SCSI command as the transport hands it to the SCSI core: transport-neutral (no PDU, no session object).
 *
 * <p>The transport gathers all Data-Out before submitting, so {@link #dataOut()} holds every byte the initiator
 * sent (at most its Expected Data Transfer Length). The core calls {@link #complete(ScsiResult)} exactly once, from
 * any thread; later calls are ignored. Abort is a flag the core checks before and after execution.
 */
public final class ScsiTask {
    private final Nexus nexus;
    private final long lun;
    private final byte[] cdb;
    private final TaskAttribute attribute;
    private final long tag;
    private final long expectedDataTransferLength;
    private final boolean readExpected;
    private final boolean writeExpected;
    private final byte[] dataOut;
    private final int dataOutLength;
    private final Consumer<ScsiResult> completion;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();

    /**
     * @param nexus                      the I_T nexus the command arrived on
     * @param lun                        the LUN as a plain number (0..16383 flat or peripheral addressing decoded)
     * @param cdb                        the command descriptor block (copied by the caller; not modified here)
     * @param attribute                  the task attribute
     * @param tag                        the transport's task tag (iSCSI Initiator Task Tag), unique per nexus
     * @param expectedDataTransferLength the initiator's expected transfer length in bytes
     * @param readExpected               the initiator expects Data-In (iSCSI R bit)
     * @param writeExpected              the initiator sends Data-Out (iSCSI W bit)
     * @param dataOut                    the gathered Data-Out bytes, or null
     * @param dataOutLength              number of valid bytes in {@code dataOut}
     * @param completion                 called once with the result
     */
    public ScsiTask(Nexus nexus, long lun, byte[] cdb, TaskAttribute attribute, long tag,
                    long expectedDataTransferLength, boolean readExpected, boolean writeExpected,
                    byte[] dataOut, int dataOutLength, Consumer<ScsiResult> completion) {
        this.nexus = Objects.requireNonNull(nexus);
        this.lun = lun;
        this.cdb = Objects.requireNonNull(cdb);
        this.attribute = attribute;
        this.tag = tag;
        this.expectedDataTransferLength = expectedDataTransferLength;
        this.readExpected = readExpected;
        this.writeExpected = writeExpected;
        this.dataOut = dataOut;
        this.dataOutLength = dataOut == null ? 0 : dataOutLength;
        this.completion = Objects.requireNonNull(completion);
    }

    public Nexus nexus() {
        return nexus;
    }

    public long lun() {
        return lun;
    }

    public byte[] cdb() {
        return cdb;
    }

    public int opcode() {
        return cdb[0] & 0xff;
    }

    public TaskAttribute attribute() {
        return attribute;
    }

    public long tag() {
        return tag;
    }

    public long expectedDataTransferLength() {
        return expectedDataTransferLength;
    }

    public boolean readExpected() {
        return readExpected;
    }

    public boolean writeExpected() {
        return writeExpected;
    }

    /** The Data-Out bytes (valid up to {@link #dataOutLength()}), or null. */
    public byte[] dataOut() {
        return dataOut;
    }

    public int dataOutLength() {
        return dataOutLength;
    }

    /** Marks the task aborted; returns true if this call aborted it. */
    public boolean abort() {
        return aborted.compareAndSet(false, true);
    }

    public boolean isAborted() {
        return aborted.get();
    }

    public boolean isCompleted() {
        return completed.get();
    }

    /**
     * Delivers the result once. An aborted task always completes with {@link ScsiResult#abortedTask()} whatever
     * result is passed.
     */
    public void complete(ScsiResult result) {
        if (completed.compareAndSet(false, true)) {
            if (aborted.get()) {
                result.releaseData(); // nobody will send it
                completion.accept(ScsiResult.abortedTask());
                return;
            }
            completion.accept(result);
        }
    }

    @Override
    public String toString() {
        return "ScsiTask[lun=" + lun + " op=0x" + Integer.toHexString(opcode()) + " tag=0x" + Long.toHexString(tag)
                + " " + nexus.initiatorPort() + "]";
    }
}
