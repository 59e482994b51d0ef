package io.callflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The floors of architecture.md: a package may use the ones below it, never one above, and none form a cycle. */
class ArchitectureTest {

  /** From the top floor down. */
  private static final List<String> FLOORS =
      List.of("cli", "sim", "http", "call", "session", "mediaservice", "report", "flow", "config");

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.callflow");
  }

  @Test
  @DisplayName("every class lives on one of the floors")
  void everyClassHasAFloor() {
    classes().should().resideInAnyPackage(FLOORS.stream().map(f -> "io.callflow." + f + "..").toArray(String[]::new))
        .check(main);
  }

  @Test
  @DisplayName("the packages form no cycle")
  void noCycles() {
    slices().matching("io.callflow.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  @DisplayName("no arrow points up: each floor uses only the floors below it")
  void noUpwardArrows() {
    for (int i = 1; i < FLOORS.size(); i++) {
      String[] above = FLOORS.subList(0, i).stream().map(f -> "io.callflow." + f + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("io.callflow." + FLOORS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because(FLOORS.get(i) + " sits below " + Arrays.toString(above)).check(main);
    }
  }

  @Test
  @DisplayName("the core uses only itself, config, the JDK and its JSON model: no Vert.x, no files, no sockets, no clock")
  void pureCore() {
    classes().that().resideInAPackage("io.callflow.flow..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.callflow.flow..", "io.callflow.config..", "java..",
            "com.fasterxml.jackson..", "com.networknt.schema..")
        .check(main);
    noClasses().that().resideInAPackage("io.callflow.flow..")
        .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net.http..", "java.nio.channels..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .check(main);
  }

  @Test
  @DisplayName("State, Event and Effect are dispatched through their visitors: no instanceof over them outside "
      + "their own files, so a new type is a compile error wherever it needs handling, not a silent miss")
  void noTypeTestsOverTheSealedTypes() {
    List<String> sealed = List.of("io.callflow.flow.State", "io.callflow.flow.Event", "io.callflow.flow.Effect");
    classes().should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaClass>(
        "test for a State, Event or Effect type only inside its own file") {
      @Override
      public void check(com.tngtech.archunit.core.domain.JavaClass type,
                        com.tngtech.archunit.lang.ConditionEvents events) {
        String outer = type.getName().replaceAll("\\$.*", "");
        for (var unit : type.getCodeUnits()) {
          for (var test : unit.getInstanceofChecks()) {
            String tested = test.getRawType().getName();
            String family = tested.replaceAll("\\$.*", "");
            if (sealed.contains(family) && !family.equals(outer)) {
              events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(type,
                  unit.getFullName() + " tests instanceof " + tested + " (" + test.getSourceCodeLocation() + ")"));
            }
          }
        }
      }
    }).check(main);
  }
}
