package dev.litefs.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core's packages depend on each other in one direction only, and never on Spring. */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.litefs.core");
  }

  @Test
  void theLtxFormatDependsOnNothingElseInTheCore() {
    noClasses().that().resideInAPackage("dev.litefs.core.ltx..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.litefs.core.(*)..")
        .andShould().dependOnClassesThat().resideOutsideOfPackages("dev.litefs.core.ltx..", "java..", "net.jpountz..")
        .check(classes);
  }

  @Test
  void theSqliteFormatsDependOnNothingElseInTheCore() {
    noClasses().that().resideInAPackage("dev.litefs.core.sqlite..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.litefs.core.sqlite..", "java..")
        .check(classes);
  }

  @Test
  void theLeasesDependOnNothingElseInTheCoreAndNoClientLibrary() {
    noClasses().that().resideInAPackage("dev.litefs.core.lease..")
        .should().dependOnClassesThat()
        .resideOutsideOfPackages("dev.litefs.core.lease..", "java..", "com.fasterxml.jackson.core..",
            "com.fasterxml.jackson.databind..")
        .check(classes);
  }

  @Test
  void theStoreKnowsNothingOfTheAdaptersAroundIt() {
    noClasses().that().resideInAPackage("dev.litefs.core.store..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.litefs.core.cli..", "dev.litefs.core.config..",
            "dev.litefs.core.fuse..", "dev.litefs.core.replication..", "dev.litefs.core.lease..", "dev.litefs.core.http..")
        .check(classes);
  }

  @Test
  void nothingInTheCoreUsesSpring() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(classes);
  }
}
