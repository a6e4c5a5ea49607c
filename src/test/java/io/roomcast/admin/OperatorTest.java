package io.roomcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class OperatorTest {

    @Test
    void withoutSecurityTheOperatorIsAnonymous() {
        assertEquals("anonymous", Operator.of(null, null).name());
    }

    @Test
    void auditLineNamesWhoAndOutcomeAndCannotBeSplitByTheRequest() {
        Logger audit = Logger.getLogger("io.roomcast.admin.audit");
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        audit.addHandler(capture);
        try {
            new Operator("alice", "10.0.0.7").audit("disconnect session x\nAdmin root did y", 200);
        } finally {
            audit.removeHandler(capture);
        }
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("Admin alice@10.0.0.7 disconnect session x?Admin root did y: 200"), lines.get(0));
        assertFalse(lines.get(0).contains("\n"));
    }
}
