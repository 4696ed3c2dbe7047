package io.vaultkeep.engine.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload changes: the accounts a new config adds, removes and changes against the running
 * one, and the host-wide settings that only a restart applies. Two configs are compared by what
 * they ask for: records component by component, secrets by value (a rotated password file is a
 * change, the same password read again is not).
 *
 * @param added       ids in the new config only, in its order
 * @param removed     ids in the running config only, in its order
 * @param changed     ids in both whose settings differ
 * @param unchanged   ids in both, the same
 * @param needRestart the host-wide settings ({@code data-dir}, {@code limits}, …) that differ: kept as running
 */
public record ConfigChanges(List<String> added, List<String> removed, List<String> changed, List<String> unchanged,
                            List<String> needRestart) {

    public ConfigChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        needRestart = List.copyOf(needRestart);
    }

    public static ConfigChanges between(HostConfig running, HostConfig next) {
        Map<String, AccountConfig> before = byId(running.accounts());
        Map<String, AccountConfig> after = byId(next.accounts());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        after.forEach((id, account) -> {
            AccountConfig old = before.get(id);
            (old == null ? added : same(old, account) ? unchanged : changed).add(id);
        });
        List<String> removed = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();
        List<String> needRestart = new ArrayList<>();
        Map<String, Object[]> hostWide = new LinkedHashMap<>();
        hostWide.put("data-dir", new Object[] {running.dataDir(), next.dataDir()});
        hostWide.put("limits", new Object[] {running.limits(), next.limits()});
        hostWide.put("status", new Object[] {running.status(), next.status()});
        hostWide.put("cluster", new Object[] {running.cluster(), next.cluster()});
        hostWide.put("debounce", new Object[] {running.debounce(), next.debounce()});
        hostWide.put("log", new Object[] {running.log(), next.log()});
        hostWide.put("health", new Object[] {running.health(), next.health()});
        hostWide.put("pekko", new Object[] {running.pekko(), next.pekko()});
        hostWide.put("notify", new Object[] {running.notifications(), next.notifications()});
        hostWide.forEach((key, values) -> {
            if (!same(values[0], values[1])) {
                needRestart.add(key);
            }
        });
        return new ConfigChanges(added, removed, changed, unchanged, needRestart);
    }

    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && needRestart.isEmpty();
    }

    private static Map<String, AccountConfig> byId(List<AccountConfig> accounts) {
        Map<String, AccountConfig> byId = new LinkedHashMap<>();
        accounts.forEach(account -> byId.put(account.id(), account));
        return byId;
    }

    /** Equality by value through records, optionals and lists; a {@link Secret} by its value. */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Secret secret) {
            return secret.sameValue((Secret) b);
        }
        if (a instanceof Optional<?> optional) {
            return same(optional.orElse(null), ((Optional<?>) b).orElse(null));
        }
        if (a instanceof Map<?, ?> map) {
            Map<?, ?> other = (Map<?, ?>) b;
            return map.size() == other.size() && map.entrySet().stream()
                    .allMatch(e -> other.containsKey(e.getKey()) && same(e.getValue(), other.get(e.getKey())));
        }
        if (a instanceof List<?> list) {
            List<?> other = (List<?>) b;
            if (list.size() != other.size()) {
                return false;
            }
            Iterator<?> theirs = other.iterator();
            for (Object mine : list) {
                if (!same(mine, theirs.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                try {
                    if (!same(component.getAccessor().invoke(a), component.getAccessor().invoke(b))) {
                        return false;
                    }
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot compare " + component, e);
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
