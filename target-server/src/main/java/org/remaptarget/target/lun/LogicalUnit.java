package org.remaptarget.target.lun;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.remaptarget.target.backend.BlockBackend;
import org.remaptarget.target.scsi.Nexus;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.TaskSet;
import org.remaptarget.target.scsi.pr.PersistentReservations;
import org.remaptarget.target.lun.UnitAttentions.PortKey;

/**
 * One logical unit: its settings, its storage, and the SCSI state SPC/SBC keep per LU — mode parameters, the
 * started/stopped state, the SPC-2 reservation, the persistent reservations (SPC-4, state and APTPL store in
 * {@link PersistentReservations}), prevent-removal holders, whether a removable medium is loaded, the sanitize state
 * ({@link SanitizeState}), held EXTENDED COPY results ({@link CopyResults}), pending unit attentions, the task set and
 * I/O counters.
 *
 * <p>Invariants: geometry is fixed for the LU's life; the reservation holder, when set, is a port that addressed
 * this LU; the storage always runs with the error recovery page (01h) of the current mode values (pushed at
 * construction, on every mode change and on reset). Locks: the LBA-range locks ({@link RangeLocks}), taken by every
 * medium write for the duration of its backend I/O, and the error-recovery monitor (held only while pushing page 01h
 * to the storage); every other field is atomic or concurrent, and the task set has its own monitor.
 * The task set is attached by the core ({@link #attach}) because the executor belongs to the target.
 */
public final class LogicalUnit {
    private final LunSettings settings;
    private final BlockBackend backend;
    private final int blockSize;
    private final long blockCount;
    private final AtomicReference<ModeValues> mode;
    private final AtomicBoolean started = new AtomicBoolean(true);
    private final AtomicBoolean mediumLoaded = new AtomicBoolean(true);
    private final AtomicReference<PortKey> reservation = new AtomicReference<>();
    private final Set<PortKey> preventers = ConcurrentHashMap.newKeySet();
    private final UnitAttentions unitAttentions = new UnitAttentions();
    private final AtomicReference<TaskSet> taskSet = new AtomicReference<>();
    private final Object errorRecoveryLock = new Object();
    private final RangeLocks rangeLocks = RangeLocks.defaults();
    private final SanitizeState sanitize;
    private final CopyResults copyResults = new CopyResults();
    private final InformationalExceptions informationalExceptions = new InformationalExceptions();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final PersistentReservations persistentReservations;

    private final LongAdder readCommands = new LongAdder();
    private final LongAdder writeCommands = new LongAdder();
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** A snapshot of the I/O counters. */
    public record Stats(long readCommands, long writeCommands, long readBytes, long writeBytes, long errors) {
    }

    /** A logical unit whose persistent reservations (APTPL) live only in memory. */
    public LogicalUnit(LunSettings settings, BlockBackend backend) {
        this(settings, backend, new MemoryImageStore());
    }

    /**
     * A logical unit whose APTPL persistent reservations are kept in {@code prStore} (loaded here: fails with
     * IllegalStateException or UncheckedIOException when the stored image is unreadable).
     */
    public LogicalUnit(LunSettings settings, BlockBackend backend, ImageStore prStore) {
        this(settings, backend, prStore, new SanitizeState());
    }

    /**
     * A logical unit whose APTPL persistent reservations are kept in {@code prStore} and whose sanitize state is
     * {@code sanitize} (one recorded in a store survives a restart; see {@link SanitizeState}).
     */
    public LogicalUnit(LunSettings settings, BlockBackend backend, ImageStore prStore, SanitizeState sanitize) {
        this.sanitize = sanitize;
        this.persistentReservations = new PersistentReservations(prStore);
        this.settings = settings;
        this.backend = backend;
        this.blockSize = backend.blockSize();
        this.blockCount = backend.blockCount();
        this.mode = new AtomicReference<>(ModeValues.defaults(settings.writeCacheEnabled()));
        applyErrorRecovery();
    }

    /**
     * Hands the current read-write error recovery page (AWRE, ARRE, read retry count) to the storage. Serialised
     * so that concurrent mode changes cannot leave the storage with an older page than {@link #mode()}.
     */
    private void applyErrorRecovery() {
        synchronized (errorRecoveryLock) {
            ModeValues m = mode.get();
            backend.applyErrorRecovery(m.awre(), m.arre(), m.readRetry());
        }
    }

    /** Counts one completed read of {@code bytes}. */
    public void countRead(long bytes) {
        readCommands.increment();
        readBytes.add(bytes);
    }

    /** Counts one completed medium write of {@code bytes}. */
    public void countWrite(long bytes) {
        writeCommands.increment();
        writeBytes.add(bytes);
    }

    /** Command latency from arrival to completion (for the metrics endpoint). */
    public LatencyHistogram latency() {
        return latency;
    }

    /** Counts one command that ended in CHECK CONDITION. */
    public void countError() {
        errors.increment();
    }

    /** The counters now (each read individually; cheap, never blocks I/O). */
    public Stats stats() {
        return new Stats(readCommands.sum(), writeCommands.sum(), readBytes.sum(), writeBytes.sum(), errors.sum());
    }

    /** Binds the task set to the target's executor; called once by the core that serves this LU. */
    public TaskSet attach(Executor executor) {
        taskSet.compareAndSet(null, new TaskSet(executor));
        return taskSet.get();
    }

    public TaskSet taskSet() {
        return taskSet.get();
    }

    public LunSettings settings() {
        return settings;
    }

    public long lun() {
        return settings.lun();
    }

    public BlockBackend backend() {
        return backend;
    }

    public int blockSize() {
        return blockSize;
    }

    public long blockCount() {
        return blockCount;
    }


    /**
     * The LBA-range locks every medium write takes (plain writes included), so COMPARE AND WRITE, ORWRITE and WRITE
     * ATOMIC are atomic against all other writes to their blocks, across sessions.
     */
    public RangeLocks rangeLocks() {
        return rangeLocks;
    }

    /** The sanitize state (in progress, failed) of this LU. */
    public SanitizeState sanitize() {
        return sanitize;
    }

    /** Results of EXTENDED COPY commands held for RECEIVE COPY RESULTS. */
    public CopyResults copyResults() {
        return copyResults;
    }

    /** True when the LU is thin provisioned (LBPME = 1). */
    public boolean thin() {
        return settings.thin();
    }

    public boolean readOnly() {
        return settings.readOnly();
    }

    public ModeValues mode() {
        return mode.get();
    }

    /** Replaces the mode parameters if they are still {@code expected}; returns true on success. */
    public boolean replaceMode(ModeValues expected, ModeValues next) {
        if (!mode.compareAndSet(expected, next)) {
            return false;
        }
        applyErrorRecovery();
        return true;
    }

    /** True when sense data should be in descriptor format (control page D_SENSE). */
    public boolean descriptorSense() {
        return mode.get().dSense();
    }

    /** False after a removable medium was ejected (START STOP UNIT LOEJ), until it is loaded again. */
    public boolean mediumLoaded() {
        return mediumLoaded.get();
    }

    public void setMediumLoaded(boolean on) {
        mediumLoaded.set(on);
    }

    /** True when the medium is removable (RMB = 1). */
    public boolean removable() {
        return settings.removable();
    }

    public boolean isStarted() {
        return started.get();
    }

    public void setStarted(boolean on) {
        started.set(on);
    }

    public UnitAttentions unitAttentions() {
        return unitAttentions;
    }

    public InformationalExceptions informationalExceptions() {
        return informationalExceptions;
    }

    /**
     * The informational exception to report to {@code nexus} now (see {@link InformationalExceptions}), or null.
     * Called after a successful command ({@code onRequest} false) and by REQUEST SENSE ({@code onRequest} true).
     */
    public SenseReason pendingInformationalException(Nexus nexus, boolean onRequest) {
        ModeValues m = mode.get();
        if (m.dexcpt()) {
            return null;
        }
        return informationalExceptions.pending(m, nexus, backend.failurePredicted(), onRequest);
    }

    /** SPC-3/4 persistent reservations of this LU (survive LUN reset and I_T nexus loss, unlike SPC-2's). */
    public PersistentReservations persistentReservations() {
        return persistentReservations;
    }

    // ---- SPC-2 reservation ----

    /** Reserves for {@code nexus}; false when another port holds the reservation. */
    public boolean reserve(Nexus nexus) {
        PortKey me = PortKey.of(nexus);
        PortKey prev = reservation.compareAndExchange(null, me);
        return prev == null || prev.equals(me);
    }

    // PortKey values are compared with equals(), never identity: AtomicReference CAS is identity-based, so
    // release goes through the holder instance actually stored.

    /** Releases the reservation if {@code nexus} holds it; a release by anyone else does nothing. */
    public void release(Nexus nexus) {
        PortKey me = PortKey.of(nexus);
        PortKey holder = reservation.get();
        if (holder != null && holder.equals(me)) {
            reservation.compareAndSet(holder, null);
        }
    }

    /** True when some port other than {@code nexus}'s holds the reservation. */
    public boolean reservedByOther(Nexus nexus) {
        PortKey holder = reservation.get();
        return holder != null && !holder.equals(PortKey.of(nexus));
    }

    public void clearReservation() {
        reservation.set(null);
    }

    // ---- prevent medium removal ----

    public void setPrevent(Nexus nexus, boolean prevent) {
        if (prevent) {
            preventers.add(PortKey.of(nexus));
        } else {
            preventers.remove(PortKey.of(nexus));
        }
    }

    public boolean removalPrevented() {
        return !preventers.isEmpty();
    }

    public void clearPrevent() {
        preventers.clear();
    }

    /** Forgets everything SPC ties to an I_T nexus that is gone. */
    public void nexusLost(Nexus nexus) {
        release(nexus);
        preventers.remove(PortKey.of(nexus));
        unitAttentions.nexusLost(nexus);
    }

    /** LOGICAL UNIT RESET / target reset effects on LU state (tasks are aborted by the caller). */
    public void reset() {
        clearReservation();
        clearPrevent();
        mode.set(ModeValues.defaults(settings.writeCacheEnabled()));
        applyErrorRecovery();
        started.set(true);
        copyResults.clear();
    }

    @Override
    public String toString() {
        return "LUN " + settings.lun() + " (" + blockCount + "x" + blockSize + ")";
    }
}
