package io.vaultkeep.protocol.crypto;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes that can be read more than once, each {@link #open()} giving a new stream over the same content:
 * a file, an object in the store, a ciphertext spooled to disk. Streaming attachment decryption reads its
 * source twice, once to check the MAC and once to decrypt, so that no plaintext leaves before the MAC
 * has been verified.
 */
@FunctionalInterface
public interface ReopenableSource {

    InputStream open() throws IOException;
}
