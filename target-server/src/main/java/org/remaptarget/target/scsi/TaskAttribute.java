package org.remaptarget.target.scsi;

/** SAM task attributes, as carried by the transport (iSCSI ATTR field values 0..4). */
public enum TaskAttribute {
    UNTAGGED, SIMPLE, ORDERED, HEAD_OF_QUEUE, ACA;

    public static TaskAttribute fromIscsi(int attr) {
        return switch (attr) {
            case 0 -> UNTAGGED;
            case 1 -> SIMPLE;
            case 2 -> ORDERED;
            case 3 -> HEAD_OF_QUEUE;
            case 4 -> ACA;
            default -> SIMPLE;
        };
    }
}
