package org.remaptarget.target.admin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.remaptarget.remap.fault.FaultOp;
import org.remaptarget.remap.fault.FaultOutcome;
import org.remaptarget.remap.fault.FaultRule;
import org.remaptarget.remap.fault.FaultTrigger;

/**
 * The text form of fault-injection rules used by the admin API and the {@code fault add} command:
 * {@code op=read,write lba=100 blocks=8 trigger=always|one-in:N[:SEED]|after:N|fail-then-heal:N|flakey:UPMS:DOWNMS
 * outcome=medium-error|io-error|latency:MS|corrupt|drop-flush|power-cut max=N}. Stateless.
 */
public final class FaultSpecs {
    private FaultSpecs() {
    }

    /** Parses a rule from named parameters; {@link IllegalArgumentException} names the bad parameter. */
    public static FaultRule parse(Map<String, String> p) {
        Set<FaultOp> ops = EnumSet.noneOf(FaultOp.class);
        for (String o : require(p, "op").split(",")) {
            try {
                ops.add(FaultOp.valueOf(o.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("op: '" + o + "' is not one of read, write, flush, discard");
            }
        }
        long lba = number(p, "lba", 0);
        long blocks = p.containsKey("blocks") && p.get("blocks").equals("all") ? Long.MAX_VALUE
                : number(p, "blocks", 1);
        FaultTrigger trigger = trigger(p.getOrDefault("trigger", "always"));
        FaultOutcome outcome = outcome(require(p, "outcome"));
        long max = number(p, "max", 0);
        return new FaultRule(ops, lba, blocks, trigger, outcome, max);
    }

    static FaultTrigger trigger(String s) {
        String[] f = s.toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (f[0]) {
                case "always" -> new FaultTrigger.Always();
                case "one-in" -> new FaultTrigger.OneIn(Long.parseLong(f[1]), f.length > 2 ? Long.parseLong(f[2]) : 1);
                case "after" -> new FaultTrigger.AfterCalls(Long.parseLong(f[1]));
                case "fail-then-heal" -> new FaultTrigger.FailThenHealOnWrite(Integer.parseInt(f[1]));
                case "flakey" -> new FaultTrigger.Flakey(Long.parseLong(f[1]) * 1_000_000L,
                        Long.parseLong(f[2]) * 1_000_000L);
                default -> throw new IllegalArgumentException("unknown");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("trigger: '" + s + "' is not always, one-in:N[:SEED], after:N, "
                    + "fail-then-heal:N or flakey:UP_MS:DOWN_MS");
        }
    }

    static FaultOutcome outcome(String s) {
        String[] f = s.toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (f[0]) {
                case "medium-error" -> new FaultOutcome.MediumError();
                case "io-error" -> new FaultOutcome.IoError();
                case "latency" -> new FaultOutcome.Latency(Long.parseLong(f[1]) * 1_000_000L);
                case "corrupt" -> new FaultOutcome.Corrupt();
                case "drop-flush" -> new FaultOutcome.DropFlush();
                case "power-cut" -> new FaultOutcome.PowerCut(false, 0);
                default -> throw new IllegalArgumentException("unknown");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("outcome: '" + s + "' is not medium-error, io-error, latency:MS, "
                    + "corrupt, drop-flush or power-cut");
        }
    }

    /** Renders a rule back in the same text form. */
    public static String format(FaultRule r) {
        StringBuilder sb = new StringBuilder("op=");
        sb.append(String.join(",", r.ops().stream().map(o -> o.name().toLowerCase(Locale.ROOT)).sorted().toList()));
        sb.append(" lba=").append(r.firstLba()).append(" blocks=")
                .append(r.blocks() == Long.MAX_VALUE ? "all" : String.valueOf(r.blocks()));
        sb.append(" trigger=").append(triggerText(r.trigger()));
        sb.append(" outcome=").append(outcomeText(r.outcome()));
        if (r.maxFirings() > 0) {
            sb.append(" max=").append(r.maxFirings());
        }
        return sb.toString();
    }

    private static String triggerText(FaultTrigger t) {
        if (t instanceof FaultTrigger.OneIn o) {
            return "one-in:" + o.n() + ":" + o.seed();
        } else if (t instanceof FaultTrigger.AfterCalls a) {
            return "after:" + a.n();
        } else if (t instanceof FaultTrigger.FailThenHealOnWrite d) {
            return "fail-then-heal:" + d.writeFailures();
        } else if (t instanceof FaultTrigger.Flakey f) {
            return "flakey:" + f.upNanos() / 1_000_000 + ":" + f.downNanos() / 1_000_000;
        }
        return "always";
    }

    private static String outcomeText(FaultOutcome o) {
        if (o instanceof FaultOutcome.IoError) {
            return "io-error";
        } else if (o instanceof FaultOutcome.Latency l) {
            return "latency:" + l.nanos() / 1_000_000;
        } else if (o instanceof FaultOutcome.Corrupt) {
            return "corrupt";
        } else if (o instanceof FaultOutcome.DropFlush) {
            return "drop-flush";
        } else if (o instanceof FaultOutcome.PowerCut) {
            return "power-cut";
        }
        return "medium-error";
    }

    private static String require(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return v;
    }

    private static long number(Map<String, String> p, String key, long dflt) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a non-negative integer");
        }
    }
}
