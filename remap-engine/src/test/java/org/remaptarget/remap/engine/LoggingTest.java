package org.remaptarget.remap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remaptarget.remap.engine.Volumes.pattern;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;

/** Nothing on the per-I/O path logs above DEBUG; remaps and pending marks are logged at WARN with their addresses. */
class LoggingTest {
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private AbstractAppender appender;

    @BeforeEach
    void capture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        appender.start();
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        Configurator.setLevel("org.remaptarget.remap", Level.DEBUG);
        ctx.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("capture");
        Configurator.setLevel("org.remaptarget.remap", Level.OFF);
        ctx.updateLoggers();
        appender.stop();
    }

    private long above(Level level) {
        return events.stream().filter(e -> e.getLevel().isMoreSpecificThan(level)).count();
    }

    @Test
    void healthyIoLogsNothingAboveDebug() throws Exception {
        RemapVolume v = Volumes.memory(256, 16);
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(200), 1, new FaultOutcome.IoError()));
        v.device().write(200, pattern(1, 1), false); // one remap, so I/O also runs the split path
        events.clear();
        for (int i = 0; i < 2000; i++) {
            long lba = (i * 37L) % 250;
            v.device().write(lba, pattern(4, i), i % 7 == 0);
            v.device().read(lba, ByteBuffer.allocate(4 * 512));
            if (i % 50 == 0) {
                v.device().flush();
                v.device().discard(lba, 2);
            }
        }
        assertEquals(0, above(Level.INFO), events.toString());
    }

    @Test
    void remapIsLoggedAtWarnNamingLbaAndSpare() throws Exception {
        RemapVolume v = Volumes.memory(256, 16);
        v.faults().addRule(FaultRule.of(FaultOp.WRITE, v.backingLbaOfData(99), 1, new FaultOutcome.IoError()));
        events.clear();
        v.device().write(99, pattern(1, 1), false);
        List<String> warns = events.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(e -> e.getMessage().getFormattedMessage()).toList();
        assertEquals(1, warns.size(), warns.toString());
        assertTrue(warns.get(0).contains("LBA 99 remapped to spare 0"), warns.get(0));
    }
}
