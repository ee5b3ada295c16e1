package org.remaptarget.target.scsi;

/** Executes one command family. Returns the result or throws {@link ScsiFailure} for CHECK CONDITION. */
@FunctionalInterface
public interface CommandHandler {
    ScsiResult execute(Command command) throws ScsiFailure;
}
