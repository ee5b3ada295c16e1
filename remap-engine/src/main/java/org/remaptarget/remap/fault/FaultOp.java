package org.remaptarget.remap.fault;

/** The device operations a fault rule can match. */
public enum FaultOp {
    READ, WRITE, FLUSH, DISCARD
}
