package org.remaptarget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/**
 * libiscsi's conformance suite ({@code iscsi-test-cu}, ALL family) against a live server, one test at a time, with
 * {@code -d} (data loss allowed), {@code -S} (sanitize allowed) and a second URL to the same LUN for the multipath
 * tests. Gate: at least {@link #MIN_PASSED} pass, none fail or hang, and every skip is listed with its reason in
 * {@code conformance-skips.tsv}. Results are written to {@code target/conformance.tsv}.
 */
class ConformanceIT {
    /** The acceptance bar of the iSCSI target issue. */
    static final int MIN_PASSED = 217;
    private static final long PER_TEST_SECONDS = 30;
    private static final Pattern ONE_RAN_ONE_PASSED = Pattern.compile("(?m)^\\s+tests\\s+1\\s+1\\s+1\\s+0");
    /** CUnit's summary line: "asserts  TOTAL  RAN  PASSED  FAILED  n/a". */
    private static final Pattern ASSERTS_FAILED = Pattern.compile("(?m)^\\s+asserts\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+)\\s");
    /** A failed-assertion line of CUnit's verbose output: "  1. file.c:123  - CU_ASSERT...". */
    private static final Pattern FAILED_ASSERT = Pattern.compile("^\\s+\\d+\\. \\S+\\.c:\\d+\\s+- ");

    enum Outcome { PASS, FAIL, SKIP, HANG, KNOWN_BROKEN }

    record TestResult(String name, Outcome outcome, String why, String output) {
    }

    @TempDir
    Path dir;

    @Test
    void libiscsiConformanceSuitePassesWithNoFailureOrHang() throws Exception {
        Tools.require("iscsi-test-cu");
        List<String> tests = listTests();
        assertTrue(tests.size() >= 200, "iscsi-test-cu lists only " + tests.size() + " ALL tests");
        Map<String, String> allowedSkips = loadSkips();
        Map<String, String[]> knownBroken = loadKnownBroken();

        List<TestResult> results = new ArrayList<>();
        try (RemapTarget server = TestTargets.start(dir, 256L << 20, false)) {
            String url = server.url();
            for (String t : tests) {
                results.add(runOne(t, url, knownBroken.get(t)));
            }
        }
        writeReport(results);

        List<String> problems = new ArrayList<>();
        int passed = 0;
        for (TestResult r : results) {
            switch (r.outcome()) {
                case PASS -> passed++;
                case KNOWN_BROKEN -> System.out.println("known-broken test " + r.name() + ": "
                        + knownBroken.get(r.name())[1]);
                case FAIL, HANG -> problems.add(r.outcome() + " " + r.name() + ": " + r.why() + "\n" + tail(r.output()));
                case SKIP -> {
                    if (!allowedSkips.containsKey(r.name())) {
                        problems.add("unlisted SKIP " + r.name() + ": " + r.why()
                                + " (add it to conformance-skips.tsv with a reason, or make it pass)");
                    }
                }
            }
        }
        String summary = passed + " passed of " + results.size();
        System.out.println("conformance: " + summary);
        assertEquals(List.of(), problems, summary);
        assertTrue(passed >= MIN_PASSED, summary + ", fewer than " + MIN_PASSED);
    }

    /** The write-protect family needs a write-protected LUN: it skips on the default one (see the skip list). */
    @Test
    void readOnlyFamilyPassesOnAWriteProtectedLun(@TempDir Path roDir) throws Exception {
        Tools.require("iscsi-test-cu");
        List<String> tests = listTests().stream().filter(t -> t.startsWith("ALL.ReadOnly.")).toList();
        assertTrue(!tests.isEmpty(), "no ALL.ReadOnly tests listed");
        try (RemapTarget server = TestTargets.startReadOnly(roDir, 64L << 20)) {
            for (String t : tests) {
                TestResult r = runOne(t, server.url(), null);
                assertEquals(Outcome.PASS, r.outcome(), t + ": " + r.why() + "\n" + tail(r.output()));
            }
        }
        System.out.println("conformance (write-protected LUN): " + tests.size() + " passed");
    }

    /**
     * The removable-medium families (PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT) need a removable LUN: they skip
     * on the default fixed disk (see the skip list) and must all pass on one configured {@code removable: true}.
     */
    @Test
    void removableMediumFamiliesPassOnARemovableLun(@TempDir Path rmDir) throws Exception {
        Tools.require("iscsi-test-cu");
        List<String> tests = listTests().stream()
                .filter(t -> t.startsWith("ALL.PreventAllow.") || t.startsWith("ALL.StartStopUnit.")).toList();
        assertTrue(!tests.isEmpty(), "no ALL.PreventAllow / ALL.StartStopUnit tests listed");
        try (RemapTarget server = TestTargets.startRemovable(rmDir, 64L << 20)) {
            for (String t : tests) {
                TestResult r = runOne(t, server.url(), null);
                assertEquals(Outcome.PASS, r.outcome(), t + ": " + r.why() + "\n" + tail(r.output()));
            }
        }
        System.out.println("conformance (removable LUN): " + tests.size() + " passed");
    }

    private static List<String> listTests() throws IOException, InterruptedException {
        Tools.Result r = Tools.run(60, "iscsi-test-cu", "--list");
        List<String> out = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String s = line.trim();
            if (s.matches("ALL\\.[^.]+\\.[^.]+")) {
                out.add(s);
            }
        }
        return out;
    }

    private static TestResult runOne(String test, String url, String[] knownBroken)
            throws IOException, InterruptedException {
        Tools.Result r = test.startsWith("ALL.MultipathIO.")
                ? Tools.run(PER_TEST_SECONDS, "iscsi-test-cu", "-d", "-S", "-t", test, url, url)
                : Tools.run(PER_TEST_SECONDS, "iscsi-test-cu", "-d", "-S", "-t", test, url);
        String why = r.output().lines().filter(l -> l.contains("[FAILED]") || l.contains("[SKIPPED]"))
                .findFirst().orElse("").trim().replaceAll("\\s+", " ");
        Outcome o;
        if (r.timedOut()) {
            o = Outcome.HANG;
        } else if (ONE_RAN_ONE_PASSED.matcher(r.output()).find()) {
            o = r.output().contains("[SKIPPED]") ? Outcome.SKIP : Outcome.PASS;
        } else if (knownBroken != null && onlyListedAssertionsFailed(r.output(), knownBroken[0])) {
            o = Outcome.KNOWN_BROKEN;
        } else {
            o = Outcome.FAIL;
        }
        if (o == Outcome.FAIL && why.isEmpty()) {
            why = r.output().lines().filter(l -> FAILED_ASSERT.matcher(l).find()).findFirst().orElse("").trim();
        }
        return new TestResult(test, o, why, r.output());
    }

    static Map<String, String> loadSkips() throws IOException {
        return load("/conformance-skips.tsv");
    }

    /** A test-name-to-reason table (TAB separated, # comments); every entry must give its reason. */
    static Map<String, String> load(String resource) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = ConformanceIT.class.getResourceAsStream(resource)) {
            if (in == null) {
                return m;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 2);
                assertTrue(f.length == 2 && !f[1].isBlank(), resource + ": no reason for " + f[0]);
                m.put(f[0].trim(), f[1].trim());
            }
        }
        return m;
    }

    /**
     * True when the test failed only on assertions named in {@code listed} (" | "-separated failure lines), at
     * least one of them, and nothing else failed.
     */
    static boolean onlyListedAssertionsFailed(String output, String listed) {
        List<String> allowed = List.of(listed.split(" \\| "));
        List<String> failed = output.lines().filter(l -> FAILED_ASSERT.matcher(l).find())
                .map(l -> l.trim().replaceFirst("^\\d+\\. ", "").replaceAll("\\s+", " ")).toList();
        Matcher asserts = ASSERTS_FAILED.matcher(output);
        int failedCount = asserts.find() ? Integer.parseInt(asserts.group(1)) : -1;
        return !failed.isEmpty() && failed.size() == failedCount
                && allowed.stream().map(a -> a.trim().replaceAll("\\s+", " ")).toList().containsAll(failed);
    }

    static Map<String, String[]> loadKnownBroken() throws IOException {
        Map<String, String[]> m = new LinkedHashMap<>();
        try (InputStream in = ConformanceIT.class.getResourceAsStream("/conformance-known-broken.tsv")) {
            if (in == null) {
                return m;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                assertTrue(f.length == 3 && !f[2].isBlank(), "conformance-known-broken.tsv: bad line " + line);
                m.put(f[0].trim(), new String[] {f[1].trim(), f[2].trim()});
            }
        }
        return m;
    }

    private static void writeReport(List<TestResult> results) throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        StringBuilder sb = new StringBuilder();
        for (TestResult r : results) {
            sb.append(r.name()).append('\t').append(r.outcome().name().toLowerCase()).append('\t').append(r.why())
                    .append('\n');
        }
        Files.writeString(target.resolve("conformance.tsv"), sb.toString());
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        int from = Math.max(0, lines.length - 25);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
