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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remaptarget.target.api.RemapTarget;

/**
 * libiscsi's conformance suite ({@code iscsi-test-cu}, ALL family) against a live server, one test at a time, with
 * {@code -d} (data loss allowed), {@code -S} (sanitize allowed) and a second URL to the same LUN for the multipath
 * tests. Gate: at least {@link #MIN_PASSED} pass, none fail or hang, and every skip is listed with its reason in
 * {@code conformance-skips.tsv}. Results are written to {@code target/conformance.tsv}.
 *
 * <p>A second pass runs the removable-medium families (PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT) against a
 * removable LUN and the read-only family against a write-protected LUN, where every test must pass: those tests
 * skip on the default (fixed, writable) LUN.
 */
class ConformanceIT {
    /** The acceptance bar of the iSCSI target issue. */
    static final int MIN_PASSED = 217;
    private static final long PER_TEST_SECONDS = 30;
    private static final Pattern ONE_RAN_ONE_PASSED = Pattern.compile("(?m)^\\s+tests\\s+1\\s+1\\s+1\\s+0");

    enum Outcome { PASS, FAIL, SKIP, HANG }

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
        Map<String, String> knownFailures = load("/conformance-known-failures.tsv");

        List<TestResult> results = new ArrayList<>();
        try (RemapTarget server = TestTargets.start(dir, 256L << 20, false)) {
            String url = server.url();
            for (String t : tests) {
                results.add(runOne(t, url));
            }
        }
        List<TestResult> media = new ArrayList<>();
        Path mediaDir = Files.createDirectories(dir.resolve("media"));
        try (RemapTarget server = TestTargets.startWithMediaLuns(mediaDir, 64L << 20)) {
            for (String t : tests) {
                if (t.startsWith("ALL.PreventAllow.") || t.startsWith("ALL.StartStopUnit.")) {
                    media.add(runOne(t, server.url(TestTargets.IQN, 1)));
                } else if (t.startsWith("ALL.ReadOnly.")) {
                    media.add(runOne(t, server.url(TestTargets.IQN, 2)));
                }
            }
        }
        List<TestResult> all = new ArrayList<>(results);
        for (TestResult r : media) {
            all.add(new TestResult(r.name() + "@media", r.outcome(), r.why(), r.output()));
        }
        writeReport(all);

        List<String> problems = new ArrayList<>();
        int passed = 0;
        for (TestResult r : results) {
            switch (r.outcome()) {
                case PASS -> passed++;
                case FAIL -> {
                    if (!knownFailures.containsKey(r.name())) {
                        problems.add(r.outcome() + " " + r.name() + ": " + r.why() + "\n" + tail(r.output()));
                    }
                }
                case HANG -> problems.add(r.outcome() + " " + r.name() + ": " + r.why() + "\n" + tail(r.output()));
                case SKIP -> {
                    if (!allowedSkips.containsKey(r.name())) {
                        problems.add("unlisted SKIP " + r.name() + ": " + r.why()
                                + " (add it to conformance-skips.tsv with a reason, or make it pass)");
                    }
                }
            }
        }
        for (TestResult r : media) {
            if (r.outcome() != Outcome.PASS) {
                problems.add(r.outcome() + " " + r.name() + " on the removable/read-only LUN: " + r.why() + "\n"
                        + tail(r.output()));
            }
        }
        String summary = passed + " passed of " + results.size() + " on the default LUN; " + media.size()
                + " passed on the removable and read-only LUNs";
        System.out.println("conformance: " + summary);
        assertEquals(List.of(), problems, summary);
        assertTrue(passed >= MIN_PASSED, summary + ", fewer than " + MIN_PASSED);
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

    private static TestResult runOne(String test, String url) throws IOException, InterruptedException {
        Tools.Result r = test.startsWith("ALL.MultipathIO.")
                ? Tools.run(PER_TEST_SECONDS, "iscsi-test-cu", "-d", "-S", "-s", "-t", test, url, url)
                : Tools.run(PER_TEST_SECONDS, "iscsi-test-cu", "-d", "-S", "-s", "-t", test, url);
        String why = r.output().lines().filter(l -> l.contains("[FAILED]") || l.contains("[SKIPPED]"))
                .findFirst().orElse("").trim().replaceAll("\\s+", " ");
        Outcome o;
        if (r.timedOut()) {
            o = Outcome.HANG;
        } else if (ONE_RAN_ONE_PASSED.matcher(r.output()).find()) {
            o = r.output().contains("[SKIPPED]") ? Outcome.SKIP : Outcome.PASS;
        } else {
            o = Outcome.FAIL;
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
