package io.vaultkeep.engine.account;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads events journaled before the account's messages moved from {@code io.vaultkeep.protocol.account}
 * (version 0.1.0) to this package: the manifest names the old class, the bytes are the same. Bound
 * in reference.conf to each old event class name.
 */
public final class MovedFromProtocolModule extends JacksonMigration {

    static final String OLD_PACKAGE = "io.vaultkeep.protocol.account.";

    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public String transformClassName(int fromVersion, String className) {
        return className.startsWith(OLD_PACKAGE)
                ? AccountEvent.class.getPackageName() + "." + className.substring(OLD_PACKAGE.length())
                : className;
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        return json;
    }
}
