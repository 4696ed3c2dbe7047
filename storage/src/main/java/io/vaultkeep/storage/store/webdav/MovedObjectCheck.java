package io.vaultkeep.storage.store.webdav;

import java.util.Optional;

/**
 * Whose object is in place after a create-only MOVE that the server answered with success.
 *
 * <p>Apache mod_dav checks that the destination is absent when the request starts and renames much
 * later, with nothing held in between; rename(2) replaces. So two MOVEs with {@code Overwrite: F}
 * to one key can both pass the check and both succeed, the second renaming over the first. The
 * writer whose file was replaced must not believe it created the object: it looks at what is in
 * place. A rename keeps the file's inode, size and modification time, so the destination shows the
 * ETag the temporary file had; another writer's file has another size, or another ETag unless both
 * were written within the server's timestamp granularity.
 */
record MovedObjectCheck(String uploadedEtag, long uploadedSize) {

    /** What the look at the destination decides. */
    enum Verdict {
        /** Our file is in place (or was, and has since been deleted: the create did happen). */
        OURS,
        /** Another writer's object is in place: our create lost. */
        ANOTHERS,
        /**
         * Size and ETag are ours, but the ETag is weak: Apache marks a file's ETag (its size and mtime)
         * weak while the file is under a second old, and two racing writers' files of one size often
         * share a clock tick. The object's start tells them apart (random salts and ids come first).
         */
        COMPARE_START,
        /** The properties cannot tell (no ETag, or one that changed with the same size): compare the content. */
        COMPARE_CONTENT
    }

    /** A resource's ETag and size as a PROPFIND reported them (the ETag null when it gave none). */
    record Seen(String etag, long size) {}

    Verdict judge(Optional<Seen> inPlace) {
        if (inPlace.isEmpty()) {
            return Verdict.OURS;
        }
        Seen seen = inPlace.get();
        if (seen.size() != uploadedSize) {
            return Verdict.ANOTHERS;
        }
        String ours = opaque(uploadedEtag);
        String theirs = opaque(seen.etag());
        if (ours != null && ours.equals(theirs)) {
            return weak(uploadedEtag) || weak(seen.etag()) ? Verdict.COMPARE_START : Verdict.OURS;
        }
        // A server may give no ETag, or a new one on MOVE: only the bytes can prove the object another's.
        return Verdict.COMPARE_CONTENT;
    }

    private static boolean weak(String etag) {
        return etag != null && etag.strip().startsWith("W/");
    }

    /**
     * The ETag without its weakness mark, or null when there is none: Apache marks an ETag weak
     * while the file is less than a second old, so the temporary file's fresh one is weak and the
     * same file's a moment later may be strong.
     */
    static String opaque(String etag) {
        if (etag == null) {
            return null;
        }
        String tag = etag.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        return tag.isEmpty() || tag.equals("\"\"") ? null : tag;
    }
}
