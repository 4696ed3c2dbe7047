package io.vaultkeep.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine's package boundaries (see README, "Layout"). Vault sources are built from settings by
 * the config and the account, never the other way round: a source that reads the host's config
 * cannot run under an entity on a node whose config does not name it.
 */
class ModuleBoundariesTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vaultkeep.engine");

    /**
     * The one known exception: {@code BitwardenSources} builds a Bitwarden source from the account's
     * {@code SourceConfig.Bitwarden}. It is the only source class that reads the config, and the only
     * edge of the cycle config ⇄ source; excepted by name (with its nested and lambda classes) so
     * that no other class may follow it. The fix belongs to engine.source: take the settings as
     * values of its own, which the config builds.
     */
    private static final String BITWARDEN_SOURCES = "io.vaultkeep.engine.source.bitwarden.BitwardenSources";

    private static final DescribedPredicate<JavaClass> KNOWN_EXCEPTION = DescribedPredicate.describe(
            "BitwardenSources (known exception)",
            c -> c.getName().equals(BITWARDEN_SOURCES) || c.getName().startsWith(BITWARDEN_SOURCES + "$"));

    private static final DescribedPredicate<JavaClass> IN_CONFIG = DescribedPredicate.describe(
            "a class in io.vaultkeep.engine.config", c -> c.getPackageName().startsWith("io.vaultkeep.engine.config"));

    @Test
    void sourcesDoNotReadTheHostConfig() {
        noClasses().that().resideInAPackage("io.vaultkeep.engine.source..")
                .and(DescribedPredicate.not(KNOWN_EXCEPTION))
                .should().dependOnClassesThat().resideInAPackage("io.vaultkeep.engine.config..")
                .check(ENGINE);
    }

    @Test
    void enginePackagesHaveNoCycles() {
        slices().matching("io.vaultkeep.engine.(*)..").should().beFreeOfCycles()
                .ignoreDependency(KNOWN_EXCEPTION, IN_CONFIG)
                .check(ENGINE);
    }
}
