package io.vaultkeep.testserver.bitwarden;

import io.vaultkeep.protocol.crypto.KdfParameters;

/**
 * What a test needs to log in as an account of the test server: the email, master password and KDF,
 * and the personal API key (client id {@code user.<id>} and secret).
 */
public record TestAccount(String userId, String email, char[] masterPassword, KdfParameters kdf,
                          String clientId, String clientSecret) {

    @Override
    public String toString() {
        return "TestAccount(" + email + ")";
    }
}
