package io.vaultkeep.protocol.repository;

/**
 * How one snapshot or blob ZIP is protected. {@code keyBase64} is the object's own 32-byte key in
 * standard Base64; that 44-character string itself is the ZIP password.
 */
public record ObjectEncryption(String method, String keyBase64) {

    public static final String METHOD_NONE = "none";
    public static final String METHOD_ZIP_AES_256 = "zip_aes_256";
    public static final ObjectEncryption NONE = new ObjectEncryption(METHOD_NONE, null);

    public ObjectEncryption {
        // the known methods as the constants' own strings: a method read from JSON is otherwise a
        // string of its own in every index entry kept (one per snapshot of every idle account)
        method = method == null || METHOD_NONE.equals(method) ? METHOD_NONE
                : METHOD_ZIP_AES_256.equals(method) ? METHOD_ZIP_AES_256 : method;
    }

    /**
     * {@code encryption}, with a missing or unencrypted one as the shared {@link #NONE}: an index
     * entry of every snapshot and blob holds one, and every idle account keeps its newest index.
     */
    public static ObjectEncryption orNone(ObjectEncryption encryption) {
        return encryption == null || NONE.equals(encryption) ? NONE : encryption;
    }

    public static ObjectEncryption zipAes256(String keyBase64) {
        return new ObjectEncryption(METHOD_ZIP_AES_256, keyBase64);
    }

    /** The ZIP password for this object, or null for a plain object. */
    public char[] zipPassword() {
        return METHOD_NONE.equals(method) || keyBase64 == null ? null : keyBase64.toCharArray();
    }

    @Override
    public String toString() {
        return "ObjectEncryption[" + method + "]";
    }

    // equals and hashCode by hand, as the record's would be: the generated ones are linked through method
    // handles on first use, milliseconds of a one-shot command's start (issue 17), and every index read asks
    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectEncryption that && method.equals(that.method)
                && java.util.Objects.equals(keyBase64, that.keyBase64);
    }

    @Override
    public int hashCode() {
        return 31 * method.hashCode() + java.util.Objects.hashCode(keyBase64);
    }
}
