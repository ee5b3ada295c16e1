/**
 * Sockets and threads — the only package that owns either. {@link org.remaptarget.target.net.IscsiServer} runs one
 * acceptor thread per portal, one reader thread per connection ("iscsi-conn-ip:port") and one timer thread (login
 * timeouts, keep-alive NOP-Ins, forced closes). Writes are serialised per connection by a combining writer: any
 * thread enqueues, whichever thread holds the connection's write lock stamps sequence numbers and writes every queued
 * PDU in one gathering write; a thread finding the lock busy returns at once. SCSI execution happens on each target's
 * {@code ScsiCore} executor; completions write their responses through this writer from whatever thread they run on.
 */
package org.remaptarget.target.net;
