package org.remaptarget.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs an embedded remap-target iSCSI server on 127.0.0.1 (ephemeral port) for the annotated test class: one
 * target named {@link #iqn()} with {@link #luns()} in-memory remapped LUNs of {@link #size()} bytes each. Test
 * methods, constructors and lifecycle methods receive the running {@link org.remaptarget.target.api.RemapTarget}
 * as a parameter; the server is always closed afterwards, even when a test fails.
 *
 * <pre>{@code
 * @RemapTargetTest(size = 64 << 20)
 * class MyInitiatorTest {
 *     @Test
 *     void readsBack(RemapTarget target) { String url = target.url(); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RemapTargetExtension.class)
public @interface RemapTargetTest {

    /** Target name. */
    String iqn() default "iqn.2026-11.org.remaptarget:test";

    /** Usable bytes per LUN (a multiple of 512). */
    long size() default 64L << 20;

    /** Number of LUNs (0..n-1). */
    int luns() default 1;

    /** Whether one server serves the whole class (default) or each test gets a fresh one. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** How long a server lives. */
    enum Lifecycle { PER_CLASS, PER_TEST }
}
