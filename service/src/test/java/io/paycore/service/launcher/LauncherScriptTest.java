package io.paycore.service.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/paycore} itself, run with bash in a copy of the repository's layout: a jar that is an empty file, a
 * Maven wrapper that fails, and a fake {@code java} that prints the version it is told to and then its arguments, one
 * a line, so that what the script would hand the JVM is seen without starting one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LauncherScriptTest
{
    @TempDir
    Path temp;

    private Path root;
    private Path javaHome;

    @BeforeEach
    void layOut() throws IOException
    {
        root = temp.resolve("repo");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("paycore"),
            root.resolve("bin").resolve("paycore"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("service").resolve("target"));
        Files.createFile(root.resolve("service").resolve("target").resolve("paycore.jar"));
        executable(root.resolve("mvnw"), "#!/bin/sh\necho 'fake build failed' >&2\nexit 1\n");
        javaHome = temp.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        executable(javaHome.resolve("bin").resolve("java"),
            "#!/bin/sh\n" +
            "if [ \"$1\" = -version ]; then echo \"openjdk version \\\"$FAKE_JAVA_VERSION\\\" 2025-01-01\" >&2; exit 0; fi\n" +
            "for a in \"$@\"; do echo \"$a\"; done\n");
    }

    @Test
    void shouldFindItsRepositoryWhenRunThroughASymbolicLink() throws Exception
    {
        // Seen 2026-12-07: through a link in another directory it looked for ./mvnw beside the link and failed.
        final Path link = temp.resolve("elsewhere").resolve("paycore");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, root.resolve("bin").resolve("paycore"));

        final Result result = run(link, Map.of("FAKE_JAVA_VERSION", "17.0.15"), "--version");

        assertEquals(0, result.status, result.stderr);
        assertTrue(result.args().contains(root.resolve("service/target/paycore.jar").toRealPath().toString()),
            result.stdout);
    }

    @Test
    void shouldRefuseAJavaOlderThan17BeforeRunningIt() throws Exception
    {
        final Result result = run(root.resolve("bin/paycore"), Map.of("FAKE_JAVA_VERSION", "11.0.2"), "--version");

        assertEquals(1, result.status, result.stdout);
        assertTrue(result.stderr.contains("is Java 11.0.2; paycore needs Java 17 or newer"), result.stderr);
        assertFalse(result.args().contains("-jar"), result.stdout);
    }

    @Test
    void shouldKeepItsOwnJvmOptionsBesideThoseOfPaycoreJavaOpts() throws Exception
    {
        final Result result = run(root.resolve("bin/paycore"), Map.of(
            "FAKE_JAVA_VERSION", "17.0.15",
            "PAYCORE_JAVA_OPTS", "-Dpaycore.snapshot.write.rate=0 '-Dpaycore.note=a b'"), "serve", "--help");

        assertEquals(0, result.status, result.stderr);
        final List<String> args = result.args();
        assertTrue(args.containsAll(List.of("-Xms4g", "-Xmx4g", "-Xmn256m", "-XX:+UseParallelGC",
            "-Dpaycore.snapshot.write.rate=0", "-Dpaycore.note=a b")), result.stdout);
    }

    @Test
    void shouldLetAnXmxInPaycoreJavaOptsWinAndCommitThatHeapForServe() throws Exception
    {
        final Result result = run(root.resolve("bin/paycore"), Map.of(
            "FAKE_JAVA_VERSION", "25", "PAYCORE_JAVA_OPTS", "-Xmx8g"), "serve", "--help");

        assertEquals(0, result.status, result.stderr);
        final List<String> args = result.args();
        assertTrue(args.lastIndexOf("-Xmx8g") > args.lastIndexOf("-Xmx4g"), result.stdout);
        assertTrue(args.contains("-Xms8g") && !args.contains("-Xms4g"), result.stdout);
    }

    @Test
    void shouldNameABuildCommandThatWorksFromAnyDirectory() throws Exception
    {
        Files.delete(root.resolve("service/target/paycore.jar"));

        final Result result = run(root.resolve("bin/paycore"), Map.of("FAKE_JAVA_VERSION", "17.0.15"), "--version");

        assertEquals(1, result.status, result.stdout);
        assertTrue(result.stderr.contains("run 'cd " + root.toRealPath() + " && ./mvnw -B -DskipTests -pl service " +
            "-am package' to see why"), result.stderr);
    }

    /**
     * Two launches at once with the jar to build (a {@code serve} and a {@code stat} started after an update, say)
     * both ran Maven over the same target directories: seen here, one build failed reading a codec jar the other was
     * rewriting ({@code ZipException: invalid loc}), exit status 1; and a JVM could start from a jar being rewritten.
     * They take turns on a lock, and the one that waited finds the jar built and runs it.
     */
    @Test
    void shouldBuildOnceWhenTwoLaunchesAtOnceFindTheJarMissing() throws Exception
    {
        Files.delete(root.resolve("service/target/paycore.jar"));
        final Path log = temp.resolve("builds.txt");
        executable(root.resolve("mvnw"),
            "#!/bin/sh\necho start >> '" + log + "'\nsleep 2\n" +
            ": > service/target/paycore.jar\necho end >> '" + log + "'\n");

        final Process first = start(root.resolve("bin/paycore"), "first", "--version");
        final Process second = start(root.resolve("bin/paycore"), "second", "--version");

        assertTrue(first.waitFor(20, TimeUnit.SECONDS) && second.waitFor(20, TimeUnit.SECONDS), "did not end");
        assertEquals(0, first.exitValue(), Files.readString(temp.resolve("first-err.txt")));
        assertEquals(0, second.exitValue(), Files.readString(temp.resolve("second-err.txt")));
        assertEquals(List.of("start", "end"), Files.readAllLines(log), "one build, not two over each other");
        assertTrue(Files.readString(temp.resolve("first-out.txt")).contains("--version"));
        assertTrue(Files.readString(temp.resolve("second-out.txt")).contains("--version"));
    }

    private Process start(final Path script, final String name, final String... args) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().remove("PAYCORE_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("FAKE_JAVA_VERSION", "17.0.15");
        return builder.redirectOutput(temp.resolve(name + "-out.txt").toFile())
            .redirectError(temp.resolve(name + "-err.txt").toFile()).start();
    }

    private Result run(final Path script, final Map<String, String> env, final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().remove("PAYCORE_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().putAll(env);
        final Path out = temp.resolve("out.txt");
        final Path err = temp.resolve("err.txt");
        final Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "bin/paycore did not end");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void executable(final Path file, final String text) throws IOException
    {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int status, String stdout, String stderr)
    {
        List<String> args()
        {
            return stdout.lines().toList();
        }
    }
}
