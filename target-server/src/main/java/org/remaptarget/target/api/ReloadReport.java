package org.remaptarget.target.api;

import java.util.List;

/**
 * What a configuration reload did.
 *
 * @param source         the configuration applied (file path)
 * @param addedTargets   IQNs now served that were not before
 * @param removedTargets IQNs no longer served (their sessions were closed)
 * @param addedLuns      {@code IQN/LUN} of every LUN added (including those of added targets)
 * @param removedLuns    {@code IQN/LUN} of every LUN removed (including those of removed targets)
 * @param aliasChanges   IQNs whose alias changed (new logins see it)
 * @param unchangedLuns  LUNs that kept serving untouched
 */
public record ReloadReport(String source, List<String> addedTargets, List<String> removedTargets,
                           List<String> addedLuns, List<String> removedLuns, List<String> aliasChanges,
                           int unchangedLuns) {
    public ReloadReport {
        addedTargets = List.copyOf(addedTargets);
        removedTargets = List.copyOf(removedTargets);
        addedLuns = List.copyOf(addedLuns);
        removedLuns = List.copyOf(removedLuns);
        aliasChanges = List.copyOf(aliasChanges);
    }

    /** True when the reload changed anything. */
    public boolean changed() {
        return !addedLuns.isEmpty() || !removedLuns.isEmpty() || !aliasChanges.isEmpty();
    }

    @Override
    public String toString() {
        if (!changed()) {
            return "no change (" + unchangedLuns + " LUN(s) unchanged)";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, "targets added", addedTargets);
        append(sb, "targets removed", removedTargets);
        append(sb, "LUNs added", addedLuns);
        append(sb, "LUNs removed", removedLuns);
        append(sb, "aliases changed", aliasChanges);
        return sb.append("; ").append(unchangedLuns).append(" LUN(s) unchanged").toString();
    }

    private static void append(StringBuilder sb, String what, List<String> items) {
        if (!items.isEmpty()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(what).append(' ').append(items);
        }
    }
}
