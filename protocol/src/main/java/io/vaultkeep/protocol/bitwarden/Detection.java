package io.vaultkeep.protocol.bitwarden;

/** The kind of a candidate export file and a one-line reason; the reason never quotes file content. */
public record Detection(ExportKind kind, String reason) {

    public Detection {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("a detection needs a kind and a reason");
        }
    }

    public boolean isEncrypted() {
        return kind == ExportKind.PASSWORD_PROTECTED || kind == ExportKind.ACCOUNT_RESTRICTED
                || kind == ExportKind.ACCOUNT_RESTRICTED_V2;
    }
}
