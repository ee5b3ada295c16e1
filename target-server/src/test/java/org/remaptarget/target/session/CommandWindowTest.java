package org.remaptarget.target.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandWindowTest {
    @Test
    void commandAtExpCmdSNIsDeliveredAndAdvancesTheWindow() {
        CommandWindow<String> w = new CommandWindow<>(10, 4);
        assertEquals(List.of("a"), w.offer(10, "a"));
        w.refresh(0);
        assertEquals(11, w.expCmdSN());
        assertEquals(14, w.maxCmdSN());
    }

    @Test
    void commandAfterAGapIsHeldUntilTheGapFills() {
        CommandWindow<String> w = new CommandWindow<>(10, 8);
        assertEquals(List.of(), w.offer(12, "c"));
        assertEquals(List.of(), w.offer(11, "b"));
        assertEquals(2, w.heldCount());
        assertEquals(List.of("a", "b", "c"), w.offer(10, "a"));
        assertEquals(13, w.expCmdSN());
    }

    @Test
    void commandsOutsideTheWindowAreRefused() {
        CommandWindow<String> w = new CommandWindow<>(10, 4);
        assertNull(w.offer(9, "old"));
        assertNull(w.offer(14, "too far"));
        assertEquals(List.of(), w.offer(13, "last slot"));
    }

    @Test
    void duplicateCmdSNIsRefused() {
        CommandWindow<String> w = new CommandWindow<>(10, 4);
        w.offer(12, "x");
        assertNull(w.offer(12, "y"));
    }

    @Test
    void windowWrapsAroundTheTopOfTheSequenceSpace() {
        CommandWindow<String> w = new CommandWindow<>(0xffffffff, 4);
        assertEquals(List.of(), w.offer(0, "second"));
        assertEquals(List.of("first", "second"), w.offer(0xffffffff, "first"));
        assertEquals(1, w.expCmdSN());
    }

    @Test
    void consumedCmdSNLetsLaterCommandsThroughAndDropsTheLateOne() {
        CommandWindow<String> w = new CommandWindow<>(10, 8);
        w.offer(11, "b");
        assertEquals(List.of("b"), w.consume(10));
        assertNull(w.offer(10, "late"));
    }

    @Test
    void consumedSlotAheadOfExpCmdSNSwallowsTheCommandWhenItArrives() {
        CommandWindow<String> w = new CommandWindow<>(10, 8);
        assertEquals(List.of(), w.consume(11));
        assertEquals(List.of("a"), w.offer(10, "a"));
        assertEquals(12, w.expCmdSN());
    }

    @Test
    void outstandingCommandsNarrowTheWindowButNeverMoveMaxCmdSNBack() {
        CommandWindow<String> w = new CommandWindow<>(10, 4);
        for (int sn = 10; sn < 14; sn++) {
            w.offer(sn, "c" + sn);
        }
        w.refresh(4);
        assertEquals(14, w.expCmdSN());
        assertEquals(13, w.maxCmdSN(), "four in progress: no new slot");
        assertNull(w.offer(14, "too many"));
        w.refresh(1);
        assertEquals(16, w.maxCmdSN());
        w.refresh(4);
        assertEquals(16, w.maxCmdSN(), "never decreases");
    }
}
