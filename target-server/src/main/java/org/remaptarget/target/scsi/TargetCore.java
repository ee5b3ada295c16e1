package org.remaptarget.target.scsi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.remaptarget.target.lun.LogicalUnit;
import org.remaptarget.target.scsi.pr.PrCommands;
import org.remaptarget.target.scsi.sbc.SbcCommands;
import org.remaptarget.target.scsi.spc.SpcCommands;

/**
 * The SCSI target device: a fixed set of logical units, the command table, and the screening every command goes
 * through before its handler runs (SAM-5 order: LUN exists → unit attention → opcode supported → CDB control byte
 * → reservation conflict → medium ready → handler, which checks write protection after
 * validating its CDB, before any I/O).
 *
 * <p>Owns the LUN map, replaced copy-on-write (under {@code lunChange}) when LUs are added or removed at run time;
 * readers take the volatile snapshot without locking. Per-LU state lives in {@link LogicalUnit}, ordering and
 * aborts in each LU's {@link TaskSet}. Commands to existing LUs run on the executor given at construction; commands to a missing LUN
 * are answered on the caller's thread. No global lock on the I/O path. Thread-safe.
 */
public final class TargetCore implements ScsiCore, TargetInfo {
    private static final Logger LOG = LogManager.getLogger(TargetCore.class);

    private final String targetName;
    private final Executor executor;
    private final Object lunChange = new Object();
    private volatile Map<Long, LogicalUnit> luns;
    private volatile List<Long> lunNumbers;
    private final CommandTable table;
    private final DataBufferPool dataBuffers;

    /**
     * @param targetName the target's name (iSCSI IQN), used in identification data
     * @param luns       the logical units; LUN numbers must be distinct
     * @param executor   runs the commands (I/O happens on its threads)
     */
    public TargetCore(String targetName, List<LogicalUnit> luns, Executor executor) {
        this(targetName, luns, executor, new DataBufferPool());
    }

    /**
     * @param targetName  the target's name (iSCSI IQN), used in identification data
     * @param luns        the logical units; LUN numbers must be distinct
     * @param executor    runs the commands (I/O happens on its threads)
     * @param dataBuffers direct buffers for large reads (shared by every LU of this target)
     */
    public TargetCore(String targetName, List<LogicalUnit> luns, Executor executor, DataBufferPool dataBuffers) {
        this.dataBuffers = Objects.requireNonNull(dataBuffers);
        this.targetName = Objects.requireNonNull(targetName);
        this.executor = Objects.requireNonNull(executor);
        TreeMap<Long, LogicalUnit> m = new TreeMap<>();
        for (LogicalUnit lu : luns) {
            if (m.put(lu.lun(), lu) != null) {
                throw new IllegalArgumentException("LUN " + lu.lun() + " configured twice");
            }
            lu.attach(executor);
        }
        this.luns = Collections.unmodifiableMap(m);
        this.lunNumbers = List.copyOf(m.keySet());
        List<CommandSpec> specs = new ArrayList<>(SpcCommands.specs());
        specs.addAll(SbcCommands.specs());
        specs.addAll(PrCommands.specs());
        this.table = CommandTable.of(specs);
    }

    @Override
    public String targetName() {
        return targetName;
    }

    @Override
    public List<Long> lunNumbers() {
        return lunNumbers;
    }

    @Override
    public CommandTable commands() {
        return table;
    }

    @Override
    public DataBufferPool dataBuffers() {
        return dataBuffers;
    }

    /**
     * Adds a logical unit while the target runs; every nexus that knows another LU of this target gets REPORTED
     * LUNS DATA HAS CHANGED (3F/0E) there.
     */
    public void addLogicalUnit(LogicalUnit lu) {
        synchronized (lunChange) {
            if (luns.containsKey(lu.lun())) {
                throw new IllegalArgumentException("LUN " + lu.lun() + " already exists");
            }
            lu.attach(executor);
            TreeMap<Long, LogicalUnit> m = new TreeMap<>(luns);
            m.put(lu.lun(), lu);
            publish(m);
        }
        LOG.info("{}: added {}", targetName, lu);
    }

    /**
     * Removes a logical unit while the target runs: its tasks are aborted (and awaited), and the other LUs report
     * 3F/0E to their nexuses. Returns the removed unit (the caller closes its backend), or null.
     */
    public LogicalUnit removeLogicalUnit(long lun) {
        LogicalUnit lu;
        synchronized (lunChange) {
            lu = luns.get(lun);
            if (lu == null) {
                return null;
            }
            TreeMap<Long, LogicalUnit> m = new TreeMap<>(luns);
            m.remove(lun);
            publish(m);
        }
        lu.taskSet().abort(t -> true);
        LOG.info("{}: removed {}", targetName, lu);
        return lu;
    }

    private void publish(TreeMap<Long, LogicalUnit> m) {
        luns = Collections.unmodifiableMap(m);
        lunNumbers = List.copyOf(m.keySet());
        for (LogicalUnit other : m.values()) {
            other.unitAttentions().establishForAll(SenseReason.REPORTED_LUNS_DATA_CHANGED);
        }
    }

    /** The logical unit numbered {@code lun}, or null. */
    @Override
    public LogicalUnit logicalUnit(long lun) {
        return luns.get(lun);
    }

    @Override
    public List<Long> luns(Nexus nexus) {
        return lunNumbers;
    }

    @Override
    public void submit(ScsiTask task) {
        LogicalUnit lu = luns.get(task.lun());
        if (lu == null) {
            task.complete(execute(task, null));
            return;
        }
        lu.unitAttentions().seen(task.nexus());
        long arrived = System.nanoTime();
        lu.taskSet().admit(task, () -> {
            ScsiResult result = execute(task, lu);
            lu.latency().record(System.nanoTime() - arrived);
            task.complete(result);
        });
    }

    /** Screens and runs one command; never throws. */
    ScsiResult execute(ScsiTask task, LogicalUnit lu) {
        Command cmd = new Command(task, lu, this);
        try {
            CommandSpec spec = cmd.cdbLength() == 0 ? null : table.lookup(task.cdb());
            ScsiResult r = screenAndRun(cmd, lu, spec);
            if (r.status() == ScsiResult.GOOD && lu != null && !spec.has(CommandSpec.NO_IE)
                    && (!spec.has(CommandSpec.IE_AS_UA_ONLY) || lu.mode().mrie() == 2)) {
                r = reportInformationalException(cmd, lu, r);
            }
            return r.transferLength() < 0 && cmd.transferLength() >= 0 && !r.hasDataIn()
                    ? r.withTransferLength(cmd.transferLength()) : r;
        } catch (ScsiFailure f) {
            if (lu != null) {
                lu.countError();
            }
            ScsiResult r = ScsiResult.checkCondition(SenseData.build(f, cmd.descriptorSense()));
            // Data-Out commands report the CDB's length so the transport sets residuals against what it received;
            // a failed Data-In command transferred nothing (residual from an empty Data-In).
            boolean dataOut = task.writeExpected() || task.dataOutLength() > 0;
            return dataOut && cmd.transferLength() >= 0 ? r.withTransferLength(cmd.transferLength()) : r;
        } catch (RuntimeException e) {
            LOG.warn("{}: internal error executing {}", lu, task, e);
            return ScsiResult.checkCondition(
                    SenseData.build(SenseReason.INTERNAL_TARGET_FAILURE, cmd.descriptorSense()));
        }
    }

    /**
     * After a successful command: MRIE 2 queues a unit attention for this nexus; 3, 4 and 5 turn this GOOD into
     * CHECK CONDITION with RECOVERED ERROR or NO SENSE, keeping the data (the command did complete).
     */
    private static ScsiResult reportInformationalException(Command cmd, LogicalUnit lu, ScsiResult r) {
        SenseReason ie = lu.pendingInformationalException(cmd.nexus(), false);
        if (ie == null) {
            return r;
        }
        if (ie.isUnitAttention()) {
            lu.unitAttentions().establish(cmd.nexus(), ie);
            return r;
        }
        byte[] sense = SenseData.build(ie, cmd.descriptorSense());
        return r.withStatus(ScsiResult.CHECK_CONDITION, sense);
    }

    private ScsiResult screenAndRun(Command cmd, LogicalUnit lu, CommandSpec spec) throws ScsiFailure {
        byte[] cdb = cmd.task().cdb();
        if (cdb.length == 0) {
            throw ScsiFailure.of(SenseReason.INVALID_OPERATION_CODE);
        }
        if (lu == null && (spec == null || !spec.has(CommandSpec.ANY_LUN))) {
            throw ScsiFailure.of(SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
        }
        if (lu != null && lu.sanitize().inProgress() && !allowedDuringSanitize(cdb[0] & 0xff, spec)) {
            // SBC-3 §4.11: reported ahead of unit attentions, to every nexus, until the operation ends
            throw ScsiFailure.progress(SenseReason.NOT_READY_SANITIZE_IN_PROGRESS, lu.sanitize().progress());
        }
        if (lu != null && (spec == null || !spec.has(CommandSpec.SKIP_UA))) {
            SenseReason ua = lu.unitAttentions().poll(cmd.nexus());
            if (ua != null) {
                throw ScsiFailure.of(ua);
            }
        }
        if (spec == null && table.unknownServiceActionIsInvalidField(cdb[0])) {
            throw ScsiFailure.cdb(1, 4);
        }
        if (spec == null) {
            // Unknown service actions too: initiators (libiscsi, Linux) read 20/00 as "not implemented".
            throw ScsiFailure.of(SenseReason.INVALID_OPERATION_CODE);
        }
        if (cdb.length < spec.cdbLength()) {
            throw ScsiFailure.cdb(cdb.length - 1);
        }
        int control = spec.cdbLength() - 1;
        if ((cdb[control] & 0x04) != 0) { // NACA: ACA is not supported
            throw ScsiFailure.cdb(control, 2);
        }
        if (lu != null) {
            if (spec.has(CommandSpec.CONFLICTS) && lu.reservedByOther(cmd.nexus())) {
                return ScsiResult.status(ScsiResult.RESERVATION_CONFLICT);
            }
            ScsiResult persistent = lu.persistentReservations().screen(cmd);
            if (persistent != null) {
                return persistent;
            }
            if (spec.has(CommandSpec.MEDIUM) && !lu.mediumLoaded()) {
                throw ScsiFailure.of(SenseReason.NOT_READY_MEDIUM_NOT_PRESENT);
            }
            if (spec.has(CommandSpec.MEDIUM) && !lu.isStarted()) {
                throw ScsiFailure.of(SenseReason.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
            }
            if (spec.has(CommandSpec.MEDIUM) && lu.sanitize().failed() && spec.opcode() != SANITIZE) {
                throw ScsiFailure.of(SenseReason.SANITIZE_COMMAND_FAILED);
            }
        }
        return spec.handler().execute(cmd);
    }

    private static final int SANITIZE = 0x48;
    private static final int LOG_SENSE = 0x4D;

    /** INQUIRY, REPORT LUNS, REQUEST SENSE (the commands that run for any LUN) and LOG SENSE. */
    private static boolean allowedDuringSanitize(int opcode, CommandSpec spec) {
        return opcode == LOG_SENSE || (spec != null && spec.has(CommandSpec.ANY_LUN));
    }

    @Override
    public TmfResponse taskManagement(Nexus nexus, TaskManagementFunction function, long lun, long referencedTag) {
        switch (function) {
            case TARGET_WARM_RESET, TARGET_COLD_RESET -> {
                SenseReason ua = function == TaskManagementFunction.TARGET_COLD_RESET
                        ? SenseReason.POWER_ON_OCCURRED : SenseReason.SCSI_BUS_RESET_OCCURRED;
                for (LogicalUnit lu : luns.values()) {
                    resetLu(lu, ua);
                }
                LOG.info("{} by {}", function, nexus.initiatorPort());
                return TmfResponse.FUNCTION_COMPLETE;
            }
            case TASK_REASSIGN -> {
                return TmfResponse.TASK_REASSIGNMENT_NOT_SUPPORTED;
            }
            case CLEAR_ACA, QUERY_TASK, QUERY_TASK_SET, QUERY_ASYNC_EVENT -> {
                return TmfResponse.FUNCTION_NOT_SUPPORTED;
            }
            default -> {
                // LU-addressed functions below
            }
        }
        LogicalUnit lu = luns.get(lun);
        if (lu == null) {
            return TmfResponse.LUN_DOES_NOT_EXIST;
        }
        TaskSet ts = lu.taskSet();
        switch (function) {
            case ABORT_TASK -> {
                int n = ts.abort(t -> t.tag() == referencedTag && t.nexus().equals(nexus));
                return n > 0 ? TmfResponse.FUNCTION_COMPLETE : TmfResponse.TASK_DOES_NOT_EXIST;
            }
            case ABORT_TASK_SET -> {
                ts.abort(t -> t.nexus().samePorts(nexus));
                return TmfResponse.FUNCTION_COMPLETE;
            }
            case CLEAR_TASK_SET -> {
                Set<Nexus> others = new HashSet<>();
                ts.abort(t -> {
                    if (!t.nexus().samePorts(nexus)) {
                        others.add(t.nexus());
                    }
                    return true;
                });
                for (Nexus other : others) {
                    lu.unitAttentions().establish(other, SenseReason.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
                }
                return TmfResponse.FUNCTION_COMPLETE;
            }
            case LOGICAL_UNIT_RESET -> {
                resetLu(lu, SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
                LOG.info("LOGICAL UNIT RESET of {} by {}", lu, nexus.initiatorPort());
                return TmfResponse.FUNCTION_COMPLETE;
            }
            default -> {
                return TmfResponse.FUNCTION_NOT_SUPPORTED;
            }
        }
    }

    private static void resetLu(LogicalUnit lu, SenseReason ua) {
        lu.taskSet().abort(t -> true);
        lu.reset();
        lu.unitAttentions().establishForAll(ua);
    }

    @Override
    public void nexusLost(Nexus nexus) {
        for (LogicalUnit lu : luns.values()) {
            lu.taskSet().abort(t -> t.nexus().equals(nexus));
            lu.nexusLost(nexus);
        }
    }
}
