package org.remaptarget.remap.engine;

/** One remapped block: data-area {@code lba} now lives on spare {@code spare}. */
public record Remap(long lba, long spare) {
}
