package io.vaultkeep.storage.store;

import java.time.Instant;

/** What a store knows about one object. {@code lastModified} may be null where the store has none. */
public record ObjectInfo(String key, long size, Instant lastModified) {}
