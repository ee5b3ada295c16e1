package org.remaptarget.target.config;

import java.util.Locale;

/** Parses and prints byte sizes such as {@code 1GiB}, {@code 512M}, {@code 4096}. Binary units (K = 1024). */
public final class Sizes {
    private Sizes() {
    }

    /** Parses a size; throws {@link IllegalArgumentException} with a readable message when it is not one. */
    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1GiB, 512MiB, 4096)");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        String unit = s.substring(i).trim();
        int shift = switch (unit) {
            case "", "B" -> 0;
            case "K", "KB", "KIB" -> 10;
            case "M", "MB", "MIB" -> 20;
            case "G", "GB", "GIB" -> 30;
            case "T", "TB", "TIB" -> 40;
            case "P", "PB", "PIB" -> 50;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "' (use B, KiB, MiB, GiB, TiB)");
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }

    /** Prints a size with the largest binary unit that divides it exactly. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }
}
