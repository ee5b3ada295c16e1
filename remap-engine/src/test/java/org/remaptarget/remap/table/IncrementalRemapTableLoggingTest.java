package org.remaptarget.remap.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncrementalRemapTableLoggingTest {

    private static final String LOGGER = IncrementalRemapTable.class.getName();

    /** Keeps INFO events of the table's logger. */
    private static final class Capture extends AbstractAppender {
        final List<String> messages = new CopyOnWriteArrayList<>();

        Capture() {
            super("remap-table-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            messages.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }
    }

    private final Capture capture = new Capture();
    private LoggerContext context;

    @BeforeEach
    void attach() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        capture.start();
        LoggerConfig loggerConfig = new LoggerConfig(LOGGER, Level.INFO, false);
        loggerConfig.addAppender(capture, Level.INFO, null);
        config.addLogger(LOGGER, loggerConfig);
        context.updateLoggers();
    }

    @AfterEach
    void detach() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void eachResizeDecisionIsLoggedAtInfoInTheDocumentedFormat() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 194; lba++) {
            table.put(lba, lba);
        }
        for (long lba = 0; lba < 131; lba++) {
            table.remove(lba);
        }
        assertEquals(List.of(
                "INFO remap table resize: 64 -> 128 buckets (count=97)",
                "INFO remap table resize: 128 -> 256 buckets (count=194)",
                "INFO remap table resize: 256 -> 128 buckets (count=127)",
                "INFO remap table resize: 128 -> 64 buckets (count=63)"), capture.messages);
    }

    @Test
    void lookupsAndMutationsWithoutAResizeLogNothing() {
        IncrementalRemapTable table = new IncrementalRemapTable();
        for (long lba = 0; lba < 96; lba++) {
            table.put(lba, lba);
            table.get(lba);
        }
        table.remove(5);
        assertEquals(List.of(), capture.messages);
    }
}
