package org.remaptarget.target.backend;

/**
 * A run of logical blocks that is uniformly mapped or uniformly deallocated (GET LBA STATUS, SBC-3 §5.8).
 *
 * @param mapped true when the blocks are mapped; false when deallocated (they read as zeros)
 * @param blocks length of the run, at least 1
 */
public record LbaRun(boolean mapped, long blocks) {
    public LbaRun {
        if (blocks < 1) {
            throw new IllegalArgumentException("LBA run of " + blocks + " blocks");
        }
    }
}
