package io.vaultkeep.engine.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.protocol.bitwarden.BitwardenJson;
import io.vaultkeep.protocol.bitwarden.ExportOutline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.store.SlicedFileIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A vault read from a Bitwarden unencrypted JSON export ({@code bw export --format json}) and an
 * optional attachments folder laid out {@code <itemId>/<fileName>} (the layout of
 * {@code bw export --format zip}). A file its item does not list yet gets an entry in Keyguard's
 * shape ({@code {id, size, fileName}}, the size a number); every byte of the export is kept as given.
 * Files in a folder that matches no item are left out, with a warning.
 */
public final class ExportFileVault {

    /** Made on first use: a plain export is outlined without it (ExportOutline). */
    private static final class Json {
        // a number in the export is written back digit for digit
        static final ObjectMapper MAPPER = BitwardenJson.mapper();
    }

    private ExportFileVault() {}

    /**
     * @param accountId the account the attachments belong to (part of their fingerprints)
     * @throws VaultSourceException with a message that names the file and the problem
     */
    public static FetchedVault read(Path exportFile, Path attachmentsDir, String accountId, boolean includeAttachments)
            throws IOException {
        return fromJson(readFile(exportFile), exportFile, attachmentsDir, accountId, includeAttachments);
    }

    /** The export file's bytes, with a clear error when it is missing. */
    public static byte[] readFile(Path exportFile) throws IOException {
        try {
            return SlicedFileIo.readAllBytes(exportFile);
        } catch (NoSuchFileException e) {
            throw new VaultSourceException("export file " + exportFile + " does not exist");
        }
    }

    /**
     * A vault from the bytes of an unencrypted json export (read from, or decrypted out of,
     * {@code exportFile}, which names the input in messages).
     */
    public static FetchedVault fromJson(byte[] bytes, Path exportFile, Path attachmentsDir, String accountId,
                                        boolean includeAttachments) throws IOException {
        return fromJson(new ExportDecoder.PlainJson(bytes, null), exportFile, attachmentsDir, accountId, includeAttachments);
    }

    /** As {@link #fromJson(byte[], Path, Path, String, boolean)}, with the outline {@link ExportDecoder#decode} may have read. */
    public static FetchedVault fromJson(ExportDecoder.PlainJson plain, Path exportFile, Path attachmentsDir, String accountId,
                                        boolean includeAttachments) throws IOException {
        byte[] bytes = plain.json();
        if (attachmentsDir == null) {
            // the counts alone, without the export's tree, when it is a plain export in the common shape
            ExportOutline outline = plain.outline() != null ? plain.outline() : ExportOutline.scan(bytes);
            if (outline != null) {
                return new FetchedVault(bytes, outline.items(), includeAttachments, List.of(), outline.listedAttachments());
            }
        }
        JsonNode root = parse(bytes, exportFile);
        if (!root.isObject()) {
            throw new VaultSourceException(exportFile + " is not a Bitwarden json export (expected a JSON object)");
        }
        if (root.path("encrypted").asBoolean(false)) {
            throw new VaultSourceException(exportFile + " is an encrypted export: decrypt it first (ExportDecoder)");
        }
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new VaultSourceException(exportFile + " is not a Bitwarden json export: it has no \"items\" list");
        }
        if (attachmentsDir == null) {
            return new FetchedVault(bytes, items.size(), includeAttachments, List.of(), listedAttachments(items));
        }
        if (!Files.isDirectory(attachmentsDir)) {
            throw new VaultSourceException("attachments folder " + attachmentsDir + " does not exist or is not a folder");
        }
        Map<String, JsonNode> itemsById = new LinkedHashMap<>();
        for (JsonNode item : items) {
            if (item.isObject() && item.path("id").isTextual()) {
                itemsById.putIfAbsent(item.get("id").asText(), item);
            }
        }
        List<AttachmentSource> attachments = new ArrayList<>();
        List<AttachmentListing.Added> added = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path itemDir : sortedChildren(attachmentsDir)) {
            String itemId = itemDir.getFileName().toString();
            JsonNode item = itemsById.get(itemId);
            refuseLink(itemDir);
            if (!Files.isDirectory(itemDir, LinkOption.NOFOLLOW_LINKS)) {
                throw new VaultSourceException("unexpected file " + itemDir + ": the attachments folder holds one folder per item id");
            }
            List<Path> files = sortedChildren(itemDir);
            for (Path file : files) {
                refuseLink(file);
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new VaultSourceException("unexpected " + file + ": an item's attachments folder holds files only");
                }
            }
            if (item == null) {
                // left over from an older export (an item deleted since): not this vault's, and no reason to stop backing it up
                warnings.add("left out " + Counted.of(files.size(), "file") + " in " + itemDir + ": no item " + itemId + " in " + exportFile);
                continue;
            }
            for (Path file : files) {
                attachments.add(attach(item, file, accountId, added));
            }
        }
        int unavailable = listedAttachments(items) + added.size() - attachments.size();
        byte[] vault = AttachmentListing.withEntries(bytes, added, exportFile.toString());
        return new FetchedVault(vault, items.size(), includeAttachments, attachments, Math.max(0, unavailable), warnings);
    }

    /**
     * The item's attachment for one file. A file the item already lists (by name) is that entry,
     * left as given; a new one gets an entry (added to {@code added}) with an id derived from the
     * item, the name and the bytes, so an unchanged file keeps its fingerprint run after run and a
     * changed one never reuses a stale blob.
     */
    private static AttachmentSource attach(JsonNode item, Path file, String accountId, List<AttachmentListing.Added> added)
            throws IOException {
        String itemId = item.get("id").asText();
        String fileName = file.getFileName().toString();
        long size = Files.size(file);
        String attachmentId = null;
        for (JsonNode existing : item.path("attachments")) {
            if (existing.isObject() && fileName.equals(existing.path("fileName").asText(null)) && existing.hasNonNull("id")) {
                attachmentId = existing.get("id").asText();
            }
        }
        if (attachmentId == null) {
            attachmentId = UUID.nameUUIDFromBytes((itemId + "/" + fileName + "/" + sha256(file)).getBytes(StandardCharsets.UTF_8)).toString();
            added.add(new AttachmentListing.Added(itemId, attachmentId, size, fileName));
        }
        return new AttachmentSource(accountId, itemId, itemId, attachmentId, fileName, size, () -> {
            try {
                return SlicedFileIo.input(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
            } catch (NoSuchFileException e) {
                // the folder changed under the run: a source problem, retried with the next export
                throw new VaultSourceException("attachment " + file + " disappeared while it was being backed up "
                        + "(the export folder changed during the run)");
            }
        });
    }

    /** What is backed up is what lies in the folder: a link could pull in any file the user can read. */
    private static void refuseLink(Path path) throws VaultSourceException {
        if (Files.isSymbolicLink(path)) {
            throw new VaultSourceException(path + " is a symbolic link: attachments are read only from files in the "
                    + "attachments folder itself (copy the file there instead)");
        }
    }

    private static int listedAttachments(JsonNode items) {
        int n = 0;
        for (JsonNode item : items) {
            JsonNode list = item.get("attachments");
            n += list != null && list.isArray() ? list.size() : 0;
        }
        return n;
    }

    private static JsonNode parse(byte[] bytes, Path file) throws VaultSourceException {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new VaultSourceException(file + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            // the parser's message quotes vault text: report the place only
            JsonLocation at = e.getLocation();
            throw new VaultSourceException(file + " is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new VaultSourceException(file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = SlicedFileIo.input(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
