package org.remaptarget.target.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.remaptarget.remap.device.BlockDevice;
import org.remaptarget.remap.device.FileBlockDevice;
import org.remaptarget.remap.engine.FormatOptions;
import org.remaptarget.remap.engine.OpenOptions;
import org.remaptarget.remap.engine.Remap;
import org.remaptarget.remap.engine.RemapVolume;
import org.remaptarget.remap.meta.MetadataStore;
import org.remaptarget.remap.meta.Superblock;
import org.remaptarget.remap.stats.StatsSnapshot;
import org.remaptarget.remap.table.IncrementalRemapTable;
import org.remaptarget.target.config.Sizes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code remap-target lun create|inspect}: offline operations on a LUN's backing file (no server needed). */
@Command(name = "lun", mixinStandardHelpOptions = true, description = "Create or inspect a remapped LUN offline.",
        subcommands = {LunCommand.Create.class, LunCommand.Inspect.class})
final class LunCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Format PATH as a remapped LUN: data area, spare area and crash-safe metadata.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "PATH", description = "Backing file (created sparse) or block device.")
        Path path;
        @Option(names = "--size", required = true, description = "Usable capacity, e.g. 10GiB.")
        String size;
        @Option(names = "--spare", defaultValue = "64MiB", description = "Spare area (default ${DEFAULT-VALUE}).")
        String spare;
        @Option(names = "--spare-path", paramLabel = "FILE", description = "Put the spare area in this file/device.")
        Path sparePath;
        @Option(names = "--block-size", defaultValue = "512", description = "512 or 4096 (default 512).")
        int blockSize;
        @Option(names = "--preallocate", description = "Write zeros over the data area now (shows progress).")
        boolean preallocate;
        @Option(names = "--force", description = "Overwrite a device that already holds a LUN.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long bytes;
            long spareBytes;
            try {
                bytes = Sizes.parse(size);
                spareBytes = Sizes.parse(spare);
            } catch (IllegalArgumentException e) {
                err.println("remap-target lun create: " + e.getMessage());
                return 2;
            }
            if (blockSize != 512 && blockSize != 4096) {
                err.println("remap-target lun create: --block-size must be 512 or 4096");
                return 2;
            }
            if (bytes <= 0 || bytes % blockSize != 0 || spareBytes <= 0 || spareBytes % blockSize != 0) {
                err.println("remap-target lun create: --size and --spare must be positive multiples of "
                        + blockSize);
                return 2;
            }
            FormatOptions fo = FormatOptions.of(blockSize, bytes / blockSize, spareBytes / blockSize)
                    .withSpareFile(sparePath).withForce(force);
            try (RemapVolume v = RemapVolume.format(path, fo, OpenOptions.defaults(IncrementalRemapTable::new)
                    .withSpareFile(sparePath))) {
                if (preallocate) {
                    zeroFill(v.device(), out);
                }
                out.println("created " + path + ": " + Sizes.format(bytes) + " in " + blockSize + "-byte blocks, "
                        + v.stats().sparesTotal() + " spare blocks" + (sparePath == null ? "" : " on " + sparePath)
                        + ", LUN " + v.lunUuid());
                return 0;
            } catch (IOException e) {
                err.println("remap-target lun create: " + e.getMessage());
                return 1;
            }
        }

        private static void zeroFill(BlockDevice d, PrintWriter out) throws IOException {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            int per = zeros.capacity() / d.blockSize();
            long total = d.blockCount();
            int lastPct = -1;
            for (long lba = 0; lba < total; lba += per) {
                int n = (int) Math.min(per, total - lba);
                zeros.clear().limit(n * d.blockSize());
                d.write(lba, zeros, false);
                int pct = (int) ((lba + n) * 100 / total);
                if (pct != lastPct) {
                    lastPct = pct;
                    out.print("\rpreallocating [" + "#".repeat(pct * 30 / 100) + " ".repeat(30 - pct * 30 / 100)
                            + "] " + pct + "%");
                    out.flush();
                }
            }
            d.flush();
            out.println();
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show a LUN's superblock, remap table, health, pending blocks and journal state. "
                    + "Read-only: recovery runs against an in-memory overlay, nothing is written.")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "PATH")
        Path path;
        @Option(names = "--spare-path", paramLabel = "FILE", description = "The LUN's separate spare file/device.")
        Path sparePath;
        @Option(names = "--list", description = "List every remapped LBA.")
        boolean list;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.exists(path)) {
                err.println("remap-target lun inspect: " + path + " does not exist");
                return 2;
            }
            try {
                int bs = blockSizeOf(path);
                BlockDevice base = new ReadOnlyOverlay(FileBlockDevice.open(path, bs, true));
                BlockDevice spare = sparePath == null ? null
                        : new ReadOnlyOverlay(FileBlockDevice.open(sparePath, bs, true));
                try (RemapVolume v = RemapVolume.open(base, spare, OpenOptions.defaults(IncrementalRemapTable::new)
                        .withName(path.toString()))) {
                    Superblock sb = v.superblock();
                    StatsSnapshot s = v.stats();
                    MetadataStore.RecoveryReport r = v.recoveryReport();
                    out.println("LUN        " + sb.lunUuid());
                    out.println("format     version " + sb.version() + ", " + v.layout());
                    out.println("capacity   " + v.device().blockCount() + " blocks of " + v.device().blockSize()
                            + " bytes (" + Sizes.format(v.device().sizeBytes()) + ")");
                    out.println("health     " + s.health() + " (spares used " + s.sparesUsed() + ", retired "
                            + s.sparesRetired() + " of " + s.sparesTotal() + ", " + s.spareUsePercent() + "%)");
                    out.println("remapped   " + s.remapped() + " block(s)");
                    List<Long> pending = v.pending();
                    out.println("pending    " + (pending.isEmpty() ? "none" : pending.toString()));
                    out.println("metadata   checkpoint " + r.checkpointCopy() + " generation "
                            + r.checkpointGeneration() + " + " + r.recordsReplayed() + " journal record(s)"
                            + (r.repairs().isEmpty() ? "" : "; would repair: " + r.repairs()));
                    if (list) {
                        for (Remap m : v.remaps()) {
                            out.println("  LBA " + m.lba() + " -> spare " + m.spare());
                        }
                    }
                }
                return 0;
            } catch (IOException e) {
                err.println("remap-target lun inspect: " + e.getMessage());
                return 1;
            }
        }

        private static int blockSizeOf(Path p) throws IOException {
            try (FileBlockDevice probe = FileBlockDevice.open(p, 512, true)) {
                ByteBuffer b = ByteBuffer.allocate(512);
                probe.read(0, b);
                b.flip();
                return b.getLong(0) == Superblock.MAGIC && b.getInt(72) == 4096 ? 4096 : 512;
            }
        }
    }

    /**
     * A copy-on-write view of a read-only device: writes land in memory, reads see them; the device underneath is
     * never modified. Lets {@code inspect} run the normal recovery path without touching the LUN.
     */
    static final class ReadOnlyOverlay implements BlockDevice {
        private final BlockDevice base;
        private final Map<Long, byte[]> written = new HashMap<>();

        ReadOnlyOverlay(BlockDevice base) {
            this.base = base;
        }

        @Override
        public int blockSize() {
            return base.blockSize();
        }

        @Override
        public long blockCount() {
            return base.blockCount();
        }

        @Override
        public synchronized void read(long lba, ByteBuffer dst) throws IOException {
            int n = blocksIn(dst);
            int bs = blockSize();
            for (int i = 0; i < n; i++) {
                byte[] b = written.get(lba + i);
                ByteBuffer slice = dst.slice(dst.position(), bs);
                if (b != null) {
                    slice.put(b);
                } else {
                    base.read(lba + i, slice);
                }
                dst.position(dst.position() + bs);
            }
        }

        @Override
        public synchronized void write(long lba, ByteBuffer src, boolean fua) {
            int n = blocksIn(src);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[blockSize()];
                src.get(b);
                written.put(lba + i, b);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public synchronized void discard(long lba, long blocks) {
            for (long i = 0; i < blocks; i++) {
                written.put(lba + i, new byte[blockSize()]);
            }
        }

        @Override
        public void close() throws IOException {
            base.close();
        }

        @Override
        public String toString() {
            return base.toString();
        }
    }
}
