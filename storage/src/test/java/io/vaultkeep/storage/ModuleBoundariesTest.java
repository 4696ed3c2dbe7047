package io.vaultkeep.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries (see README, "Layout"): storage is the repository and its stores, used by
 * the command line without an actor system, so it reaches neither the actor runtime nor the engine.
 */
class ModuleBoundariesTest {

    private static final JavaClasses STORAGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vaultkeep.storage");

    @Test
    void storageUsesNoActorRuntime() {
        // Scala comes only with Pekko: a Scala type here would pull the runtime back in
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "scala..")
                .check(STORAGE);
    }

    @Test
    void storageUsesNothingOfTheEngine() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vaultkeep.engine..").check(STORAGE);
    }

    @Test
    void storagePackagesHaveNoCycles() {
        slices().matching("io.vaultkeep.storage.(*)..").should().beFreeOfCycles().check(STORAGE);
    }
}
