/**
 * Sessions in full feature phase: the registry (TSIH, reinstatement), the CmdSN window, SCSI command / Data-Out /
 * R2T handling, Data-In and SCSI Response building, NOP, Text (SendTargets), Task Management and Logout handlers,
 * and the write memory budget. Builds transport-neutral {@code ScsiTask}s for the SCSI core and never interprets a
 * CDB. Sends through {@link org.remaptarget.target.session.PduSink}; knows nothing of sockets or threads.
 */
package org.remaptarget.target.session;
