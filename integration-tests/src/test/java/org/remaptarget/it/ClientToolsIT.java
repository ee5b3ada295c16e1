package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/** libiscsi's command-line tools (iscsi-ls, iscsi-inq, iscsi-readcapacity16) against a live server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientToolsIT {
    private static final long SIZE = 64L << 20;

    @TempDir
    static Path dir;
    private RemapTarget server;

    @BeforeAll
    void start() throws Exception {
        server = TestTargets.start(dir, SIZE, false);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String portal() {
        return "iscsi://127.0.0.1:" + server.port();
    }

    @Test
    void iscsiLsDiscoversTheTargetAndShowsTheLunSize() throws Exception {
        Tools.require("iscsi-ls");
        Tools.Result r = Tools.run(30, "iscsi-ls", "-s", portal());
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Target:" + TestTargets.IQN), r.output());
        assertTrue(r.output().contains("Portal:127.0.0.1:" + server.port()), r.output());
        assertTrue(r.output().matches("(?s).*Lun:0\\s+Type:DIRECT_ACCESS \\(Size:63M\\).*"), r.output());
    }

    @Test
    void iscsiInqReturnsStandardInquiryData() throws Exception {
        Tools.require("iscsi-inq");
        Tools.Result r = Tools.run(30, "iscsi-inq", server.url());
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Peripheral Device Type:DIRECT_ACCESS"), r.output());
        assertTrue(r.output().contains("Vendor:"), r.output());
    }

    @Test
    void iscsiInqDecodesEverySupportedVpdPage() throws Exception {
        Tools.require("iscsi-inq");
        Tools.Result supported = Tools.run(30, "iscsi-inq", "-e", "1", "-c", "0", server.url());
        assertTrue(supported.ok(), supported.output());
        String[][] pages = {
            {"128", "Page:0x80 UNIT_SERIAL_NUMBER", "Unit Serial Number:"},
            {"131", "Page:0x83 DEVICE_IDENTIFICATION", "Designator Type:(3) NAA"},
            {"176", "Page:0xb0 BLOCK_LIMITS", "maximum transfer length:"},
            {"177", "Page:0xb1 BLOCK_DEVICE_CHARACTERISTICS", "Medium Rotation Rate:"},
            {"178", "Page:0xb2 LOGICAL_BLOCK_PROVISIONING", "provisioning type:"},
        };
        for (String[] p : pages) {
            assertTrue(supported.output().contains(p[1]), "VPD 00 does not list " + p[1] + ":\n" + supported.output());
            Tools.Result r = Tools.run(30, "iscsi-inq", "-e", "1", "-c", p[0], server.url());
            assertTrue(r.ok(), "VPD " + p[0] + ": " + r.output());
            assertTrue(r.output().contains(p[2]), "VPD " + p[0] + " decoded as:\n" + r.output());
        }
    }

    @Test
    void unknownVpdPageFailsCleanly() throws Exception {
        Tools.require("iscsi-inq");
        Tools.Result r = Tools.run(30, "iscsi-inq", "-e", "1", "-c", "199", server.url());
        assertTrue(!r.ok() && !r.timedOut(), "VPD 0xC7 should fail: " + r.output());
        assertTrue(r.output().contains("INVALID_FIELD_IN_CDB"), r.output());
        // the server keeps serving after the refused page
        assertTrue(Tools.run(30, "iscsi-inq", server.url()).ok());
    }

    @Test
    void iscsiReadCapacity16ReportsTheLunGeometry() throws Exception {
        Tools.require("iscsi-readcapacity16");
        Tools.Result r = Tools.run(30, "iscsi-readcapacity16", server.url());
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("LOGICAL BLOCK LENGTH IN BYTES:512"), r.output());
        assertTrue(r.output().contains("RETURNED LOGICAL BLOCK ADDRESS:" + (SIZE / 512 - 1)), r.output());
    }
}
