package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.MalformedDocumentException;
import io.vaultkeep.storage.archive.ArchiveEntryMissingException;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds the catalogue (invariant «the index is the catalogue», docs/design.md): the newest
 * generation with at least one readable index, its heads merged (with any index of the generation
 * below that it left out, see {@link #orphans}). Unreadable indexes met on the way (that generation
 * or newer) are recorded, so that no write builds on a catalogue that may lack what they list
 * («never build on an unreadable index»). An index is unreadable when its bytes are damaged or it
 * does not match its own name; an I/O failure of the location is not "unreadable" and propagates,
 * so a flaky server never makes an older catalogue look current.
 */
public final class IndexReader {

    private IndexReader() {}

    /** What one listed index object turned out to be. */
    public record IndexFile(String key, long generation, String indexId, IndexDocument document, String problem,
                            boolean vanished) {
        public boolean readable() {
            return document != null;
        }
    }

    public static IndexState read(RepositoryObjects objects) throws IOException {
        return find(listByGeneration(objects), RepositoryPaths.IndexName::indexId, names -> readEach(objects, names));
    }

    /** How one index object's document is had: read as a writer reads it, or checked strictly on the way. */
    @FunctionalInterface
    public interface DocumentReader {
        IndexDocument read(String key) throws IOException;
    }

    /**
     * Every index object, readable or not, newest generation first (for {@code check}), each document had
     * through {@code reader}, {@code readers} at a time (the list, its order and its failures as one reader's:
     * {@link OrderedReads}).
     */
    public static List<IndexFile> readAll(RepositoryObjects objects, DocumentReader reader, int readers) throws IOException {
        List<OrderedReads.Read<IndexFile>> reads = new ArrayList<>();
        for (List<RepositoryPaths.IndexName> names : listByGeneration(objects).values()) {
            names.forEach(name -> reads.add(() -> readOne(reader, name)));
        }
        try (OrderedReads ordered = new OrderedReads(readers)) {
            return ordered.inOrder(reads);
        }
    }

    private static List<IndexFile> readEach(RepositoryObjects objects, List<RepositoryPaths.IndexName> names) throws IOException {
        List<IndexFile> files = new ArrayList<>();
        for (RepositoryPaths.IndexName name : names) {
            files.add(readOne(objects::readIndex, name));
        }
        return files;
    }

    /** What {@link #read} finds, from the indexes {@link #readAll} has read already: none is read again. */
    public static IndexState stateOf(List<IndexFile> all) {
        TreeMap<Long, List<IndexFile>> byGeneration = new TreeMap<>(Comparator.reverseOrder());
        all.forEach(file -> byGeneration.computeIfAbsent(file.generation(), g -> new ArrayList<>()).add(file));
        return find(byGeneration, IndexFile::indexId, files -> files);
    }

    /** How the indexes of one generation are had: read from the store, or already read. */
    @FunctionalInterface
    private interface Opener<T, E extends Exception> {
        List<IndexFile> open(List<T> generation) throws E;
    }

    /**
     * The newest generation with a readable index, its heads merged; the unreadable indexes met on
     * the way recorded. @param byGeneration newest generation first
     */
    private static <T, E extends Exception> IndexState find(TreeMap<Long, List<T>> byGeneration, Function<T, String> idOf,
                                                            Opener<T, E> opener) throws E {
        if (byGeneration.isEmpty()) {
            return IndexState.empty();
        }
        long next = byGeneration.firstKey() + 1;
        List<IndexState.UnreadableIndex> unreadable = new ArrayList<>();
        for (Map.Entry<Long, List<T>> generation : byGeneration.entrySet()) {
            List<IndexDocument> readable = new ArrayList<>();
            for (IndexFile file : opener.open(generation.getValue())) {
                if (file.readable()) {
                    readable.add(file.document());
                } else if (!file.vanished()) {
                    unreadable.add(new IndexState.UnreadableIndex(file.key(), file.generation(), file.problem()));
                }
            }
            if (!readable.isEmpty()) {
                List<IndexDocument> heads = new ArrayList<>(IndexMerge.heads(readable));
                heads.addAll(orphans(byGeneration.get(generation.getKey() - 1), readable, idOf, opener));
                IndexMerge.Merged merged = IndexMerge.merge(heads);
                return new IndexState(merged.catalogue(), generation.getKey(),
                        heads.stream().map(IndexDocument::indexId).sorted().toList(), next, merged.conflicts(), unreadable);
            }
        }
        return new IndexState(IndexDocument.empty(), 0, List.of(), next, List.of(), unreadable);
    }

    /**
     * The indexes of the generation below that no index of the newest one names as a parent: a
     * writer that takes no lock committed one while another was building the newest generation
     * without it. They are heads too, so their snapshots stay listed and the next commit names them
     * (invariant «heal, never brick», docs/design.md). Found by name: where no such race happened
     * nothing more is read.
     */
    private static <T, E extends Exception> List<IndexDocument> orphans(List<T> below, List<IndexDocument> newest,
                                                                       Function<T, String> idOf, Opener<T, E> opener)
            throws E {
        if (below == null) {
            return List.of();
        }
        Set<String> named = new HashSet<>();
        newest.forEach(index -> named.addAll(index.parentIndexIds()));
        List<T> unnamed = below.stream().filter(index -> !named.contains(idOf.apply(index))).toList();
        if (unnamed.isEmpty()) {
            return List.of();
        }
        return opener.open(unnamed).stream().filter(IndexFile::readable).map(IndexFile::document).toList();
    }

    private static TreeMap<Long, List<RepositoryPaths.IndexName>> listByGeneration(RepositoryObjects objects) throws IOException {
        TreeMap<Long, List<RepositoryPaths.IndexName>> byGeneration = new TreeMap<>(Comparator.reverseOrder());
        for (ObjectInfo info : objects.store().list(RepositoryPaths.INDEXES)) {
            RepositoryPaths.parseIndex(info.key()).ifPresent(name ->
                    byGeneration.computeIfAbsent(name.generation(), g -> new ArrayList<>()).add(name));
        }
        return byGeneration;
    }

    private static IndexFile readOne(DocumentReader reader, RepositoryPaths.IndexName name) throws IOException {
        String key = RepositoryPaths.index(name.generation(), name.indexId());
        try {
            IndexDocument doc = reader.read(key);
            if (doc.generation() != name.generation() || !name.indexId().equals(doc.indexId())) {
                return new IndexFile(key, name.generation(), name.indexId(), null,
                        "its content (generation " + doc.generation() + ", id " + doc.indexId() + ") does not match its name", false);
            }
            return new IndexFile(key, name.generation(), name.indexId(), doc, null, false);
        } catch (IOException e) {
            if (!RepositoryObjects.isDamage(e)) {
                throw e;
            }
            // listed, then deleted (a compaction of superseded generations): gone, not damaged
            boolean vanished = e instanceof ObjectNotFoundException;
            return new IndexFile(key, name.generation(), name.indexId(), null, e.getMessage(), vanished);
        }
    }
}
