package org.remaptarget.target.scsi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Opcode (and service action) → {@link CommandSpec}, built once at start-up and immutable afterwards. Lookup is an
 * array index, plus a 32-entry array for opcodes with service actions.
 */
public final class CommandTable {
    private final CommandSpec[] plain = new CommandSpec[256];
    private final CommandSpec[][] withSa = new CommandSpec[256][];
    private final boolean[] saIsField = new boolean[256];
    private final List<CommandSpec> all;

    private CommandTable(List<CommandSpec> specs) {
        for (CommandSpec s : specs) {
            if (s.serviceAction() < 0) {
                if (plain[s.opcode()] != null || withSa[s.opcode()] != null) {
                    throw new IllegalArgumentException("opcode registered twice: " + s.name());
                }
                plain[s.opcode()] = s;
            } else {
                if (plain[s.opcode()] != null) {
                    throw new IllegalArgumentException("opcode registered twice: " + s.name());
                }
                CommandSpec[] sas = withSa[s.opcode()];
                if (sas == null) {
                    sas = new CommandSpec[32];
                    withSa[s.opcode()] = sas;
                }
                if (sas[s.serviceAction()] != null) {
                    throw new IllegalArgumentException("service action registered twice: " + s.name());
                }
                sas[s.serviceAction()] = s;
                saIsField[s.opcode()] |= s.has(CommandSpec.SA_IS_FIELD);
            }
        }
        List<CommandSpec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingInt(CommandSpec::opcode).thenComparingInt(CommandSpec::serviceAction));
        this.all = Collections.unmodifiableList(sorted);
    }

    public static CommandTable of(List<CommandSpec> specs) {
        return new CommandTable(specs);
    }

    /** The spec for {@code cdb}, or null when the opcode (or its service action) is not supported. */
    public CommandSpec lookup(byte[] cdb) {
        int op = cdb[0] & 0xff;
        CommandSpec s = plain[op];
        if (s != null) {
            return s;
        }
        CommandSpec[] sas = withSa[op];
        if (sas == null || cdb.length < 2) {
            return null;
        }
        return sas[cdb[1] & 0x1f];
    }

    /** Exact lookup: {@code serviceAction} -1 for opcodes without service actions. */
    public CommandSpec find(int opcode, int serviceAction) {
        if (serviceAction < 0) {
            return plain[opcode & 0xff];
        }
        CommandSpec[] sas = withSa[opcode & 0xff];
        return sas == null || serviceAction > 31 ? null : sas[serviceAction];
    }

    /** True when {@code opcode} is dispatched by service action. */
    public boolean hasServiceActions(int opcode) {
        return withSa[opcode & 0xff] != null;
    }

    /** True when an unknown service action of {@code opcode} is INVALID FIELD IN CDB ({@link CommandSpec#SA_IS_FIELD}). */
    public boolean unknownServiceActionIsInvalidField(int opcode) {
        return saIsField[opcode & 0xff];
    }

    /** Every spec, by opcode then service action. */
    public List<CommandSpec> all() {
        return all;
    }
}
