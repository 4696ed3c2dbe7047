package io.vaultkeep.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

    @Test
    void sourcesDoNotReadTheHostConfig() {
        noClasses().that().resideInAPackage("io.vaultkeep.engine.source..")
                .should().dependOnClassesThat().resideInAPackage("io.vaultkeep.engine.config..")
                .check(ENGINE);
    }

    @Test
    void enginePackagesHaveNoCycles() {
        slices().matching("io.vaultkeep.engine.(*)..").should().beFreeOfCycles()
                .check(ENGINE);
    }
}
