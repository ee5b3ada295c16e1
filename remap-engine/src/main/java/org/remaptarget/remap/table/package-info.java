/**
 * The remap table: the in-memory map from a remapped LBA to the spare block holding its data.
 *
 * <p>{@link org.remaptarget.remap.table.RemapTable} is the contract; {@link
 * org.remaptarget.remap.table.IncrementalRemapTable} the implementation, configured by {@link
 * org.remaptarget.remap.table.TablePolicy} (dm-remap's integer load rule: grow above 150%, shrink below 50%, never
 * below 64 buckets).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Separate chaining over primitive arrays.</b> Entries live in an {@code EntryPool} of fixed 1024-slot
 *       chunks (key and value adjacent in a {@code long[]}, the chain link in an {@code int[]}: 20 bytes per
 *       slot); bucket heads are {@code int} links in 4096-bucket chunks ({@code BucketArray}). No per-entry
 *       objects, so the table stays under 32 bytes per entry at every point of its growth, rehash included
 *       (about 23.5 bytes at 10^7 entries), and it gives memory back when entries are removed: allocation is
 *       lowest-chunk-first, every rehash copies each entry once, so shrinking compacts the pool and trailing
 *       empty chunks are released.</li>
 *   <li><b>Incremental rehash.</b> A resize decision only creates the next bucket generation (a directory; chunks
 *       appear as written). Each later mutation rehashes the old bucket of its own key plus a quota of old buckets
 *       in order; the quota is computed at the decision so the rehash always completes before the count can reach
 *       the next grow or shrink point. No operation pays for the table's size: directory copies are 1/1024 or
 *       1/4096 of it.</li>
 *   <li><b>Lookups that never block.</b> Writers serialise on one lock. Readers take none: they read a reuse
 *       sequence, walk a chain with acquire loads, and re-check the sequence. Rehashing copies entries instead of
 *       relinking them, so a chain a reader is walking is never rewired; the only dangerous write is the reuse of
 *       a freed slot (or release of a chunk), and every freeing happens after a sequence bump, so a reader that saw
 *       an unchanged sequence saw only entries that were linked during its walk. A reader retries only when its
 *       walk overlapped a removal or a rehash step (at most once per mutation); it never waits for a writer.</li>
 * </ul>
 *
 * <p>Pure memory, no I/O and no persistence: the metadata layer journals and checkpoints the mappings and rebuilds
 * the table at start-up.
 */
package org.remaptarget.remap.table;
