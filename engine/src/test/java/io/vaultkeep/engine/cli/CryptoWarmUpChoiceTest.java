package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command lines that warm the crypto up are the ones the launcher gives C2 for it (see ./vaultkeep). */
class CryptoWarmUpChoiceTest {

    @Test
    void warmsUpWhereEveryObjectDerivesAKey() {
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"backup", "--location", "r", "--from", "e.json"}));
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"check", "--location", "r", "--read-data"}));
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"--debug", "check", "--read-data", "--location", "r"}));
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"check", "--location", "r"}), "reads every snapshot whole too");
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"restore", "--location", "r", "--master-password-env", "MP"}));
        assertTrue(VaultKeepCli.derivesKeysAtOnce(new String[] {"restore", "--location", "r", "--master-password-file=f"}));
    }

    @Test
    void notForCommandsWithLittleCrypto() {
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {"restore", "--location", "r", "--out", "v.json"}));
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {"snapshots", "--location", "r"}));
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {"--version"}));
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {"run", "--config", "c.conf"}));
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {"--", "backup"}));
        assertFalse(VaultKeepCli.derivesKeysAtOnce(new String[] {}));
    }
}
