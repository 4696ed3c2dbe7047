package io.vaultkeep.protocol.repository;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the repository documents on jackson-core alone, byte for byte as the databind mapper of
 * {@link RepositoryJson} writes them: every record component in declaration order, nulls included,
 * instants as ISO-8601 strings (what JavaTimeModule writes with WRITE_DATES_AS_TIMESTAMPS off). A
 * one-shot command otherwise spends a good part of its start-up building databind's serializers.
 */
final class DocumentWriter {

    private final JsonGenerator out;

    private DocumentWriter(JsonGenerator out) {
        this.out = out;
    }

    /** Whether {@link #write} knows {@code type}'s document. */
    static boolean writes(Class<?> type) {
        return type == IndexDocument.class || type == SnapshotManifest.class || type == RepoDocument.class
                || type == LockDocument.class;
    }

    static byte[] write(JsonFactory factory, Object document) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = factory.createGenerator(bytes, JsonEncoding.UTF8)) {
            DocumentWriter writer = new DocumentWriter(generator);
            if (document instanceof IndexDocument index) {
                writer.index(index);
            } else if (document instanceof SnapshotManifest manifest) {
                writer.manifest(manifest);
            } else if (document instanceof RepoDocument repo) {
                writer.repo(repo);
            } else if (document instanceof LockDocument lock) {
                writer.lock(lock);
            } else {
                throw new IllegalArgumentException("no writer for " + document.getClass().getSimpleName());
            }
        }
        return bytes.toByteArray();
    }

    private void index(IndexDocument index) throws IOException {
        out.writeStartObject();
        integer("formatVersion", index.formatVersion());
        string("indexId", index.indexId());
        out.writeNumberField("generation", index.generation());
        strings("parentIndexIds", index.parentIndexIds());
        instant("updatedAt", index.updatedAt());
        map("snapshots", index.snapshots(), SNAPSHOTS);
        map("attachments", index.attachments(), ATTACHMENTS);
        map("blobs", index.blobs(), BLOBS);
        map("contentHashes", index.contentHashes(), STRINGS);
        out.writeEndObject();
    }

    private void snapshotEntry(SnapshotEntry entry) throws IOException {
        if (entry == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        string("path", entry.path());
        instant("createdAt", entry.createdAt());
        out.writeNumberField("vaultSize", entry.vaultSize());
        strings("blobIds", entry.blobIds());
        out.writeFieldName("encryption");
        encryption(entry.encryption());
        out.writeFieldName("stats");
        stats(entry.stats());
        out.writeEndObject();
    }

    private void attachmentEntry(AttachmentEntry entry) throws IOException {
        if (entry == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        string("blobId", entry.blobId());
        longValue("plainSize", entry.plainSize());
        instant("createdAt", entry.createdAt());
        instant("lastSeenAt", entry.lastSeenAt());
        out.writeEndObject();
    }

    private void blobEntry(BlobEntry entry) throws IOException {
        if (entry == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        string("path", entry.path());
        longValue("plainSize", entry.plainSize());
        longValue("encryptedSize", entry.encryptedSize());
        instant("createdAt", entry.createdAt());
        instant("lastSeenAt", entry.lastSeenAt());
        instant("lastValidatedAt", entry.lastValidatedAt());
        out.writeFieldName("encryption");
        encryption(entry.encryption());
        out.writeEndObject();
    }

    private void encryption(ObjectEncryption encryption) throws IOException {
        if (encryption == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        string("method", encryption.method());
        string("keyBase64", encryption.keyBase64());
        out.writeEndObject();
    }

    private void stats(SnapshotStats stats) throws IOException {
        if (stats == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        out.writeNumberField("cipherCount", stats.cipherCount());
        out.writeNumberField("attachmentCount", stats.attachmentCount());
        out.writeNumberField("skippedAttachmentCount", stats.skippedAttachmentCount());
        out.writeNumberField("newBlobCount", stats.newBlobCount());
        out.writeNumberField("reusedBlobCount", stats.reusedBlobCount());
        out.writeEndObject();
    }

    private void manifest(SnapshotManifest manifest) throws IOException {
        out.writeStartObject();
        integer("formatVersion", manifest.formatVersion());
        string("snapshotId", manifest.snapshotId());
        instant("createdAt", manifest.createdAt());
        out.writeFieldName("options");
        SnapshotManifest.Options options = manifest.options();
        if (options == null) {
            out.writeNull();
        } else {
            out.writeStartObject();
            out.writeFieldName("includeAttachments");
            if (options.includeAttachments() == null) {
                out.writeNull();
            } else {
                out.writeBoolean(options.includeAttachments());
            }
            out.writeEndObject();
        }
        out.writeFieldName("vault");
        SnapshotManifest.VaultRef vault = manifest.vault();
        if (vault == null) {
            out.writeNull();
        } else {
            out.writeStartObject();
            string("entry", vault.entry());
            out.writeNumberField("size", vault.size());
            out.writeEndObject();
        }
        out.writeFieldName("attachments");
        List<ManifestAttachment> attachments = manifest.attachments();
        if (attachments == null) {
            out.writeNull();
        } else {
            out.writeStartArray();
            for (ManifestAttachment attachment : attachments) {
                manifestAttachment(attachment);
            }
            out.writeEndArray();
        }
        out.writeFieldName("stats");
        stats(manifest.stats());
        out.writeEndObject();
    }

    private void manifestAttachment(ManifestAttachment attachment) throws IOException {
        if (attachment == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        string("accountId", attachment.accountId());
        string("localCipherId", attachment.localCipherId());
        string("remoteCipherId", attachment.remoteCipherId());
        string("attachmentId", attachment.attachmentId());
        string("fileName", attachment.fileName());
        longValue("plainSize", attachment.plainSize());
        string("fingerprint", attachment.fingerprint());
        string("blobId", attachment.blobId());
        string("blobPath", attachment.blobPath());
        string("exportPath", attachment.exportPath());
        out.writeEndObject();
    }

    private void repo(RepoDocument repo) throws IOException {
        out.writeStartObject();
        integer("formatVersion", repo.formatVersion());
        string("repoId", repo.repoId());
        instant("createdAt", repo.createdAt());
        string("app", repo.app());
        strings("features", repo.features());
        out.writeFieldName("crypto");
        RepoCrypto crypto = repo.crypto();
        if (crypto == null) {
            out.writeNull();
        } else {
            out.writeStartObject();
            string("archive", crypto.archive());
            string("objectArchive", crypto.objectArchive());
            string("attachmentFingerprint", crypto.attachmentFingerprint());
            out.writeEndObject();
        }
        out.writeFieldName("layout");
        RepoLayout layout = repo.layout();
        if (layout == null) {
            out.writeNull();
        } else {
            out.writeStartObject();
            string("repo", layout.repo());
            string("indexes", layout.indexes());
            string("snapshots", layout.snapshots());
            string("blobs", layout.blobs());
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private void lock(LockDocument lock) throws IOException {
        out.writeStartObject();
        string("owner", lock.owner());
        string("host", lock.host());
        out.writeNumberField("pid", lock.pid());
        instant("acquiredAt", lock.acquiredAt());
        instant("expiresAt", lock.expiresAt());
        string("token", lock.token());
        out.writeEndObject();
    }

    // no lambdas: each would cost a cold JVM a call site bootstrap on first use

    private void string(String name, String value) throws IOException {
        out.writeFieldName(name);
        stringValue(value);
    }

    private void stringValue(String value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value);
        }
    }

    private void integer(String name, Integer value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.intValue());
        }
    }

    private void longValue(String name, Long value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeNumber(value.longValue());
        }
    }

    /** ISO_INSTANT, as JavaTimeModule's InstantSerializer formats an instant ({@link Instant#toString} is that). */
    private void instant(String name, Instant value) throws IOException {
        out.writeFieldName(name);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value.toString());
        }
    }

    private void strings(String name, List<String> values) throws IOException {
        out.writeFieldName(name);
        if (values == null) {
            out.writeNull();
            return;
        }
        out.writeStartArray();
        for (String value : values) {
            stringValue(value);
        }
        out.writeEndArray();
    }

    private static final int SNAPSHOTS = 0;
    private static final int ATTACHMENTS = 1;
    private static final int BLOBS = 2;
    private static final int STRINGS = 3;

    /** One of the index's maps, its values of the given kind. */
    private void map(String name, Map<String, ?> entries, int kind) throws IOException {
        out.writeFieldName(name);
        if (entries == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            out.writeFieldName(entry.getKey());
            Object value = entry.getValue();
            switch (kind) {
                case SNAPSHOTS -> snapshotEntry((SnapshotEntry) value);
                case ATTACHMENTS -> attachmentEntry((AttachmentEntry) value);
                case BLOBS -> blobEntry((BlobEntry) value);
                default -> stringValue((String) value);
            }
        }
        out.writeEndObject();
    }
}
