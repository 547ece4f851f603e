package io.paycore.core.ledger;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every scenario table in {@code src/test/resources/scenarios} (see {@link ScenarioTable} for the format),
 * each scenario with every transfer in memory and again with a hot window of one transfer over a cold tier.
 */
class ScenarioTableTest
{
    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException, URISyntaxException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path file : tableFiles())
        {
            final String name = file.getFileName().toString();
            for (final ScenarioTable.Scenario scenario :
                ScenarioTable.parse(name, Files.readAllLines(file, StandardCharsets.UTF_8)))
            {
                tests.add(DynamicTest.dynamicTest(name + ": " + scenario.name(),
                    () -> ScenarioTable.run(scenario, false)));
                tests.add(DynamicTest.dynamicTest(name + ": " + scenario.name() + " (hot window of 1)",
                    () -> ScenarioTable.run(scenario, true)));
            }
        }
        assertTrue(tests.size() >= 2, "no scenarios found");
        return tests.stream();
    }

    @Test
    void shouldFailARowWhoseResultDiffersNamingItsLine()
    {
        final List<ScenarioTable.Scenario> scenarios = ScenarioTable.parse("inline", List.of(
            "scenario wrong expectation",
            "  accounts",
            "    id=1 ledger=1 code=1 -> ok",
            "    id=1 ledger=1 code=1 -> ok"));
        final AssertionError error = assertThrows(AssertionError.class,
            () -> ScenarioTable.run(scenarios.get(0), false));
        assertTrue(error.getMessage().startsWith("inline:4 (wrong expectation): expected ok but was exists"),
            error.getMessage());
    }

    @Test
    void shouldFailALookupThatDiffers()
    {
        final List<ScenarioTable.Scenario> scenarios = ScenarioTable.parse("inline", List.of(
            "scenario wrong balance",
            "  accounts",
            "    id=1 ledger=1 code=1 -> ok",
            "  lookup account 1 -> debits_posted=5"));
        final AssertionError error = assertThrows(AssertionError.class,
            () -> ScenarioTable.run(scenarios.get(0), false));
        assertTrue(error.getMessage().contains("debits_posted expected 5 but was 0"), error.getMessage());
    }

    @Test
    void shouldRefuseAResultThatDoesNotExist()
    {
        final List<ScenarioTable.Scenario> scenarios = ScenarioTable.parse("inline", List.of(
            "scenario typo",
            "  accounts",
            "    id=1 ledger=1 code=1 -> okay"));
        final AssertionError error = assertThrows(AssertionError.class,
            () -> ScenarioTable.run(scenarios.get(0), false));
        assertTrue(error.getMessage().contains("no such result: okay"), error.getMessage());
    }

    private static List<Path> tableFiles() throws IOException, URISyntaxException
    {
        final Path directory = Path.of(ScenarioTableTest.class.getResource("/scenarios").toURI());
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.toString().endsWith(".table")).sorted().toList();
        }
    }
}
