package io.vaultkeep.testserver.bitwarden;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.RsaPrivateKey;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One account on the test server, as Bitwarden keeps it: the KDF settings, the master password
 * hash the client sends, the protected user key, the RSA key pair (private key wrapped by the user
 * key), a personal API key, and the encrypted vault (stored as the clients send it).
 */
final class ServerAccount {

    final String id = UUID.randomUUID().toString();
    final String email;
    final KdfParameters kdf;
    final String masterPasswordHash;
    final String protectedUserKey;
    final String publicKey;
    final String wrappedPrivateKey;
    final String securityStamp = UUID.randomUUID().toString();
    final String created = Dates.now();
    /** Only for the server's own seeding: the clients never send it. */
    final SymmetricKey userKey;
    volatile String apiKeySecret = newSecret();
    volatile long revision = System.currentTimeMillis();

    final Map<String, ObjectNode> folders = new LinkedHashMap<>();
    final Map<String, ObjectNode> ciphers = new LinkedHashMap<>();
    /** attachment id → the encrypted bytes the client uploaded */
    final Map<String, byte[]> attachmentData = new LinkedHashMap<>();
    final Map<String, String> organizationKeys = new LinkedHashMap<>(); // org id → key wrapped for this account

    ServerAccount(String email, char[] masterPassword, KdfParameters kdf, KeyPair rsa) {
        this.email = MasterKey.normalizeEmail(email);
        this.kdf = kdf;
        MasterKey masterKey = MasterKey.forAccount(masterPassword, this.email, kdf);
        this.masterPasswordHash = masterKey.passwordHash(masterPassword);
        this.userKey = SymmetricKey.generate();
        this.protectedUserKey = SymmetricEncString.encrypt(userKey.toBytes(), masterKey.stretch()).format();
        masterKey.destroy();
        this.publicKey = Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
        this.wrappedPrivateKey = SymmetricEncString.encrypt(rsa.getPrivate().getEncoded(), userKey).format();
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    RsaPrivateKey privateKey() {
        return RsaPrivateKey.fromPkcs8(SymmetricEncString.parse(wrappedPrivateKey).decrypt(userKey));
    }

    String clientId() {
        return "user." + id;
    }

    void changed() {
        revision = Math.max(revision + 1, System.currentTimeMillis());
    }

    static String newSecret() {
        byte[] bytes = new byte[22];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 30);
    }
}
