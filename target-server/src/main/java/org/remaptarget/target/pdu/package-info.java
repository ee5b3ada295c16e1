/**
 * iSCSI PDU codec (RFC 7143 §11): one immutable record per PDU type behind the sealed {@link
 * org.remaptarget.target.pdu.Pdu} interface, an incremental state-machine {@link
 * org.remaptarget.target.pdu.PduDecoder} with limits that reports malformed input as failure values, and a
 * stateless {@link org.remaptarget.target.pdu.PduEncoder} (CRC32C digests, padding, zero-copy data segments).
 * A leaf package: imports nothing else of this project.
 */
package org.remaptarget.target.pdu;
