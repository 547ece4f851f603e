package io.paycore.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For tests of what a command says about a file or directory it may not read: as root, mode 000 alone does not
 * stop a read.
 */
public final class TestPermissions
{
    private TestPermissions()
    {
    }

    /**
     * The command prefix under which a file or directory of mode 000 cannot be read: none for a user, {@code setpriv}
     * dropping the capabilities that let root read anything. Skips the test (an assumption) where that cannot be
     * done.
     *
     * @param modeZero a file or directory whose mode is 000 already.
     * @return the words to put before the command; empty if it needs none.
     * @throws Exception if the probe of the prefix cannot run.
     */
    public static List<String> withoutReadOverride(final Path modeZero) throws Exception
    {
        final List<String> prefix = new ArrayList<>();
        if (!Files.isReadable(modeZero))
        {
            return prefix;
        }
        final Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "running as root without " + setpriv + ": a file or directory " +
            "of mode 000 is readable, so this test cannot make one that is not");
        prefix.addAll(List.of(setpriv.toString(), "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search"));
        final List<String> probe = new ArrayList<>(prefix);
        probe.addAll(List.of(Files.isDirectory(modeZero) ? "/bin/ls" : "/bin/cat", modeZero.toString()));
        final Process process = new ProcessBuilder(probe).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assumeTrue(process.waitFor(10, TimeUnit.SECONDS) && 0 != process.exitValue(),
            "setpriv cannot drop the capabilities that let root read a file of mode 000 here");
        return prefix;
    }

    /**
     * A {@code paycore} command in a child JVM of this test's class path, run so that a file or directory of mode
     * 000 cannot be read ({@link #withoutReadOverride(Path)}).
     *
     * @param modeZero a file or directory whose mode is 000 already.
     * @param maxHeap  the child's {@code -Xmx}, e.g. {@code 256m}.
     * @param args     the command and its options.
     * @return the words to start the child with.
     * @throws Exception if the probe of the prefix cannot run.
     */
    public static List<String> paycoreWithoutReadOverride(
        final Path modeZero, final String maxHeap, final String... args) throws Exception
    {
        final List<String> command = withoutReadOverride(modeZero);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens",
            "java.base/java.util.zip=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx" + maxHeap,
            "-cp", System.getProperty("java.class.path"), PaycoreMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
