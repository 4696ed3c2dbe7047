package io.vaultkeep.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries (see README, "Layout"): protocol is the language the other modules speak
 * (formats, documents, crypto), so it reaches neither the actor runtime nor the modules built on it.
 */
class ModuleBoundariesTest {

    private static final JavaClasses PROTOCOL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vaultkeep.protocol");

    @Test
    void protocolUsesNoActorRuntime() {
        // Scala comes only with Pekko: a Scala type here would pull the runtime back in
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "scala..")
                .check(PROTOCOL);
    }

    @Test
    void protocolUsesNeitherStorageNorEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vaultkeep.storage..", "io.vaultkeep.engine..")
                .check(PROTOCOL);
    }

    @Test
    void protocolPackagesHaveNoCycles() {
        slices().matching("io.vaultkeep.protocol.(*)..").should().beFreeOfCycles().check(PROTOCOL);
    }
}
