package io.vaultkeep.storage.repository;

import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A writer's view of the indexes, frozen from {@link #freeze()} until it writes its own index: what a
 * writer sees when another commits between its reading the catalogue and its commit landing (the
 * race window a lock-free writer such as Keyguard always has).
 */
final class FrozenListingStore extends DelegatingStore {

    private Set<String> frozen;

    FrozenListingStore(ObjectStore delegate) {
        super(delegate);
    }

    void freeze() throws IOException {
        frozen = delegate.list(RepositoryPaths.INDEXES).stream().map(ObjectInfo::key).collect(Collectors.toSet());
    }

    void thaw() {
        frozen = null;
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        Set<String> seen = frozen;
        return delegate.list(prefix).stream()
                .filter(info -> seen == null || RepositoryPaths.parseIndex(info.key()).isEmpty() || seen.contains(info.key()))
                .toList();
    }

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        ObjectInfo created = delegate.create(key, content);
        if (RepositoryPaths.parseIndex(key).isPresent()) {
            thaw();
        }
        return created;
    }
}
