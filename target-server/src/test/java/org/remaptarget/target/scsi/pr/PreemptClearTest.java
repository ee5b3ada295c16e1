package org.remaptarget.target.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.target.scsi.pr.PrHarness.assertConflict;
import static org.remaptarget.target.scsi.pr.PrHarness.assertGood;
import static org.remaptarget.target.scsi.pr.PrHarness.assertSense;
import static org.remaptarget.target.scsi.pr.PrHarness.params;
import static org.remaptarget.target.scsi.pr.PrHarness.proutCdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.remaptarget.target.lun.MemoryImageStore;
import org.remaptarget.target.scsi.ScsiResult;
import org.remaptarget.target.scsi.SenseReason;
import org.remaptarget.target.scsi.TaskAttribute;

/** CLEAR, PREEMPT and PREEMPT AND ABORT (SPC-4 §5.13.11.2.6, §5.13.11.4). */
class PreemptClearTest {
    private static final int WE = 1;
    private static final int EA = 3;
    private static final int WE_RO = 5;
    private static final int EA_AR = 8;

    private final PrHarness h = new PrHarness();

    private void registerAll() {
        assertGood(h.registerIgnore(h.a, 0xA1));
        assertGood(h.registerIgnore(h.b, 0xB1));
        assertGood(h.registerIgnore(h.c, 0xC1));
    }

    @Test
    void clearRemovesEveryRegistrationAndTheReservationAndBumpsTheGenerationOnce() {
        registerAll();
        h.reserve(h.a, 0xA1, EA);
        assertGood(h.clear(h.b, 0xB1));
        assertEquals(List.of(), h.keys(h.b));
        assertNull(h.reservation(h.b));
        assertEquals(4, h.generation(h.b));
    }

    @Test
    void clearTellsEveryOtherRegistrantItsReservationsWerePreempted() {
        registerAll();
        h.clear(h.b, 0xB1);
        assertSense(h.tur(h.a), SenseReason.RESERVATIONS_PREEMPTED);
        assertSense(h.tur(h.c), SenseReason.RESERVATIONS_PREEMPTED);
        assertGood(h.tur(h.b));
    }

    @Test
    void clearWithTheWrongKeyConflicts() {
        registerAll();
        assertConflict(h.clear(h.b, 0xA1));
        assertEquals(3, h.keys(h.a).size());
    }

    @Test
    void preemptWithoutAReservationRemovesTheRegistrationsOfThatKey() {
        registerAll();
        assertGood(h.preempt(h.b, 0xB1, 0xA1, EA, false));
        assertEquals(List.of(0xB1L, 0xC1L), h.keys(h.b));
        assertEquals(4, h.generation(h.b));
        assertNull(h.reservation(h.b));
    }

    @Test
    void aPreemptedRegistrantSeesRegistrationsPreempted() {
        registerAll();
        h.preempt(h.b, 0xB1, 0xA1, EA, false);
        assertSense(h.tur(h.a), SenseReason.REGISTRATIONS_PREEMPTED);
        assertGood(h.tur(h.c));
    }

    @Test
    void aPreemptedAllTargetPortsRegistrantIsToldOnTheTargetPortItUses() {
        h.tur(h.a);
        assertGood(h.prout(h.a, 6, 0, 0, 0xA1, 0x04));
        assertGood(h.registerIgnore(h.b, 0xB1));
        h.preempt(h.b, 0xB1, 0xA1, EA, false);
        assertSense(h.tur(h.a), SenseReason.REGISTRATIONS_PREEMPTED);
    }

    @Test
    void preemptingAKeyNobodyHoldsConflicts() {
        registerAll();
        assertConflict(h.preempt(h.b, 0xB1, 0xEE, EA, false));
    }

    @Test
    void preemptingKeyZeroWithoutAReservationIsInvalidFieldInParameterList() {
        registerAll();
        ScsiResult r = h.preempt(h.b, 0xB1, 0, EA, false);
        assertSense(r, SenseReason.INVALID_FIELD_IN_PARAMETER_LIST);
        assertArrayEquals(new int[] {0, 0, 0, 8}, PrHarness.fieldPointer(r));
    }

    @Test
    void preemptingTheHoldersKeyTakesTheReservationWithTheNewType() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        assertGood(h.preempt(h.b, 0xB1, 0xA1, EA, false));
        assertArrayEquals(new long[] {0xB1, EA}, h.reservation(h.b));
        assertEquals(List.of(0xB1L, 0xC1L), h.keys(h.b));
    }

    @Test
    void changingTheTypeByPreemptTellsTheRemainingRegistrantsTheReservationWasReleased() {
        registerAll();
        h.reserve(h.a, 0xA1, WE);
        h.preempt(h.b, 0xB1, 0xA1, EA, false);
        assertSense(h.tur(h.a), SenseReason.REGISTRATIONS_PREEMPTED);
        assertSense(h.tur(h.c), SenseReason.RESERVATIONS_RELEASED);
    }

    @Test
    void preemptingANonHolderKeyLeavesTheReservationAlone() {
        registerAll();
        h.reserve(h.a, 0xA1, WE_RO);
        assertGood(h.preempt(h.b, 0xB1, 0xC1, WE_RO, false));
        assertArrayEquals(new long[] {0xA1, WE_RO}, h.reservation(h.b));
        assertEquals(List.of(0xA1L, 0xB1L), h.keys(h.b));
    }

    @Test
    void preemptingKeyZeroUnderAnAllRegistrantsReservationLeavesOnlyThePreemptor() {
        registerAll();
        h.reserve(h.a, 0xA1, EA_AR);
        assertGood(h.preempt(h.b, 0xB1, 0, WE, false));
        assertEquals(List.of(0xB1L), h.keys(h.b));
        assertArrayEquals(new long[] {0xB1, WE}, h.reservation(h.b));
        assertSense(h.tur(h.a), SenseReason.REGISTRATIONS_PREEMPTED);
        assertConflict(h.write(h.a));
    }

    @Test
    void preemptFromAnUnregisteredNexusConflicts() {
        h.registerIgnore(h.a, 0xA1);
        assertConflict(h.preempt(h.b, 0, 0xA1, EA, false));
    }

    @Test
    void preemptAndAbortAbortsTheWaitingTasksOfThePreemptedNexusOnly() {
        List<Runnable> queue = new ArrayList<>();
        PrHarness q = new PrHarness(new MemoryImageStore(), queue::add);
        byte[] tur = new byte[6];
        AtomicReference<ScsiResult> setup;
        for (long[] reg : new long[][] {{0, 0xA1}, {1, 0xB1}, {2, 0xC1}}) {
            setup = q.submit(reg[0] == 0 ? q.a : reg[0] == 1 ? q.b : q.c, proutCdb(6, 0, 24),
                    params(0, reg[1], 0), TaskAttribute.SIMPLE);
            queue.remove(0).run();
            assertGood(setup.get());
        }
        AtomicReference<ScsiResult> blocker = q.submit(q.c, tur, null, TaskAttribute.ORDERED);
        AtomicReference<ScsiResult> victim = q.submit(q.a, tur, null, TaskAttribute.SIMPLE);
        AtomicReference<ScsiResult> bystander = q.submit(q.c, tur, null, TaskAttribute.SIMPLE);
        AtomicReference<ScsiResult> preempt = q.submit(q.b, proutCdb(5, EA, 24), params(0xB1, 0xA1, 0),
                TaskAttribute.HEAD_OF_QUEUE);
        assertEquals(2, queue.size(), "the ORDERED blocker and the HEAD OF QUEUE preempt were started");
        queue.remove(1).run();
        assertGood(preempt.get());
        assertSame(ScsiResult.abortedTask(), victim.get());
        assertNull(bystander.get());
        while (!queue.isEmpty()) {
            queue.remove(0).run();
        }
        assertGood(blocker.get());
        assertGood(bystander.get());
        assertTrue(q.lu.taskSet().size() == 0);
    }
}
