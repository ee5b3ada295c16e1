package org.remaptarget.remap.scrub;

/**
 * Where a scrub stands.
 *
 * @param blocksDone  blocks patrolled so far (data then spare area)
 * @param blocksTotal blocks to patrol in all
 * @param errorsFound unreadable blocks found (data blocks marked pending, spares retired or their LBA marked)
 */
public record ScrubProgress(long blocksDone, long blocksTotal, long errorsFound, State state) {

    public enum State { IDLE, RUNNING, STOPPED, DONE, FAILED }

    public int percent() {
        return blocksTotal == 0 ? 100 : (int) (blocksDone * 100 / blocksTotal);
    }
}
