package org.remaptarget.junit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.remaptarget.target.api.RemapTarget;

@RemapTargetTest(lifecycle = RemapTargetTest.Lifecycle.PER_TEST, size = 1L << 20)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestLifecycleTest {
    private static RemapTarget previous;

    @Test
    @Order(1)
    void firstTestGetsAServer(RemapTarget target) {
        previous = target;
    }

    @Test
    @Order(2)
    void nextTestGetsAFreshServerAndThePreviousOneIsClosed(RemapTarget target) {
        assertNotEquals(previous, target);
        int oldPort = previous.port();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", oldPort).close());
    }
}
