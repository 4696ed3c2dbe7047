/**
 * Bitwarden's crypto (V1, "type 2" accounts), reproduced from Bitwarden's own test vectors in
 * this module's test resources ({@code src/test/resources/bitwarden}). No I/O, no export model: codecs build on this.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.vaultkeep.protocol.crypto.KdfParameters} (validated before any work),
 *       {@link io.vaultkeep.protocol.crypto.Kdf} (PBKDF2-SHA256, Argon2id, HKDF stretch, shareable key),
 *       {@link io.vaultkeep.protocol.crypto.MasterKey}.</li>
 *   <li>{@link io.vaultkeep.protocol.crypto.SymmetricKey}, {@link io.vaultkeep.protocol.crypto.EncString}
 *       ({@link io.vaultkeep.protocol.crypto.SymmetricEncString} types 0 and 2,
 *       {@link io.vaultkeep.protocol.crypto.RsaEncString} types 3 to 6),
 *       {@link io.vaultkeep.protocol.crypto.AttachmentCipher} for the binary form.</li>
 *   <li>{@link io.vaultkeep.protocol.crypto.RsaPrivateKey}, {@link io.vaultkeep.protocol.crypto.RsaPublicKey}.</li>
 *   <li>{@link io.vaultkeep.protocol.crypto.UserKeyChain} (master key → user key → private key →
 *       organization keys; cipher and attachment keys) and
 *       {@link io.vaultkeep.protocol.crypto.EncKeyValidation}.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * All failures extend the sealed {@link io.vaultkeep.protocol.crypto.VaultCryptoException} (unchecked) and
 * carry the caller's field label when one was given. Messages name the problem and the EncString type,
 * never key bytes, plaintext or ciphertext.
 * <ul>
 *   <li>{@code InvalidEncStringException}: malformed value. {@code UnsupportedEncStringException}: type 7
 *       (COSE, V2 accounts) or the retired type 1.</li>
 *   <li>{@code MacMismatchException}: type 2 with a wrong key or damaged data; nothing was decrypted.</li>
 *   <li>{@code WrongKeyException}: the key is known to be the wrong one (user key unwrap,
 *       encKeyValidation).</li>
 *   <li>{@code CorruptDataException}: authenticated but unusable (bad padding under a valid MAC, a key of the
 *       wrong length or structure).</li>
 *   <li>{@code DecryptionFailedException}: type 0 or RSA failed; wrong key and damaged data look alike.</li>
 *   <li>{@code WrongKeyTypeException}: type 0 under a key with a MAC (downgrade protection), type 2 under a
 *       legacy AES-only key.</li>
 *   <li>{@code InvalidKdfParametersException}: below Bitwarden's minimums or above VaultKeep's limits.</li>
 * </ul>
 *
 * <h2>Wrong key or damaged data?</h2>
 * For type 2 both are a MAC mismatch. Decide with
 * {@link io.vaultkeep.protocol.crypto.EncKeyValidation#requireOpens}: if the key does not open
 * {@code encKeyValidation_DO_NOT_EDIT}, the password or key is wrong; if it does, a later MAC mismatch means
 * that field was damaged or tampered with. For the user key,
 * {@link io.vaultkeep.protocol.crypto.UserKeyChain#unwrapUserKey} reports a wrong master key itself.
 *
 * <h2>Secrets in memory</h2>
 * Passwords are taken as {@code char[]}, keys are {@link javax.security.auth.Destroyable} and zero their
 * arrays. The JCE copies keys into its own objects and RSA keys live in BigIntegers, so this is best effort.
 */
package io.vaultkeep.protocol.crypto;
