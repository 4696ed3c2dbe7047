package io.vaultkeep.engine.persistence;

import static org.junit.jupiter.api.Assertions.fail;

/** The PostgreSQL the test script starts; a test that needs it fails (never skips) when it is missing. */
public final class TestPostgres {

    private TestPostgres() {}

    public static String url() {
        String url = System.getenv("VAULTKEEP_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            fail("VAULTKEEP_TEST_POSTGRES_URL is not set: run the tests with ./scripts/run-tests, which starts a throwaway "
                    + "PostgreSQL (scripts/test-postgres start; install it with: apt-get install -y postgresql)");
        }
        return url;
    }
}
