package org.remaptarget.target.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A coverage-agnostic mutational fuzzer (kept beside the Jazzer {@code *GuidedFuzzTest}s as fast, deterministic
 * regression tests): starts from a committed seed corpus
 * ({@code src/test/resources/fuzz/NAME/index} lists the seed files) and applies 1..8 random mutations per input
 * (bit flips, interesting bytes and 32-bit values, inserts, deletes, duplications, splices) drawn from a fixed
 * seed, so every run is reproducible. Each run is bounded in inputs and wall-clock time. A failing input is
 * written under {@code target/fuzz-failures/} and reported in hex.
 */
public final class Fuzzer {
    private static final int[] INTERESTING_8 = {0, 1, 0x7f, 0x80, 0xff, 0x40, 0x20, 0x10};
    private static final int[] INTERESTING_32 = {0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 48, 8192,
            0xffffff, 0x1000000, 512};

    private final SplittableRandom random;
    private final List<byte[]> corpus;
    private final int maxLength;

    public Fuzzer(long seed, List<byte[]> corpus, int maxLength) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("empty corpus");
        }
        this.random = new SplittableRandom(seed);
        this.corpus = List.copyOf(corpus);
        this.maxLength = maxLength;
    }

    /** The committed seeds of corpus {@code name} (classpath {@code fuzz/NAME/}). */
    public static List<byte[]> corpus(String name) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream idx = Fuzzer.class.getResourceAsStream("/fuzz/" + name + "/index")) {
            if (idx == null) {
                throw new IllegalStateException("no corpus index for " + name);
            }
            for (String line : new String(idx.readAllBytes()).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try (InputStream in = Fuzzer.class.getResourceAsStream("/fuzz/" + name + "/" + line.trim())) {
                    out.add(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public SplittableRandom random() {
        return random;
    }

    /** The next input: a corpus entry (sometimes unchanged) with random mutations. */
    public byte[] next() {
        byte[] b = corpus.get(random.nextInt(corpus.size())).clone();
        if (random.nextInt(16) == 0) {
            return b;
        }
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            b = mutate(b);
        }
        return b.length > maxLength ? java.util.Arrays.copyOf(b, maxLength) : b;
    }

    private byte[] mutate(byte[] b) {
        int op = random.nextInt(9);
        if (b.length == 0) {
            op = 4;
        }
        switch (op) {
            case 0 -> {
                int i = random.nextInt(b.length);
                b[i] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) INTERESTING_8[random.nextInt(INTERESTING_8.length)];
            case 2 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 3 -> {
                if (b.length >= 4) {
                    int i = random.nextInt(b.length - 3);
                    int v = INTERESTING_32[random.nextInt(INTERESTING_32.length)];
                    if (random.nextBoolean()) {
                        v += random.nextInt(-2, 3);
                    }
                    b[i] = (byte) (v >>> 24);
                    b[i + 1] = (byte) (v >>> 16);
                    b[i + 2] = (byte) (v >>> 8);
                    b[i + 3] = (byte) v;
                }
            }
            case 4 -> {
                int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
                byte[] ins = new byte[1 + random.nextInt(16)];
                random.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                return out;
            }
            case 5 -> {
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 6 -> {
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(64, b.length - at));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            case 7 -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(b.length + 1);
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] out = new byte[cut + other.length - from];
                System.arraycopy(b, 0, out, 0, cut);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            default -> {
                int at = random.nextInt(b.length);
                return java.util.Arrays.copyOf(b, at); // truncate
            }
        }
        return b;
    }

    /**
     * Feeds up to {@code maxInputs} inputs (or until {@code maxMillis} pass) to {@code target}; any throwable
     * fails the test with the input. Returns the number of inputs run.
     */
    public int run(String name, int maxInputs, long maxMillis, Consumer<byte[]> target) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        int i = 0;
        for (; i < maxInputs && System.nanoTime() < deadline; i++) {
            byte[] input = next();
            try {
                target.accept(input);
            } catch (Throwable t) {
                String hex = HexFormat.of().formatHex(input);
                try {
                    Path dir = Path.of("target", "fuzz-failures");
                    Files.createDirectories(dir);
                    Files.write(dir.resolve(name + "-" + i + ".bin"), input);
                } catch (IOException ignored) {
                    // the hex in the message is enough
                }
                fail(name + " input #" + i + " (" + input.length + " bytes) threw " + t + ": " + hex, t);
            }
        }
        return i;
    }
}
