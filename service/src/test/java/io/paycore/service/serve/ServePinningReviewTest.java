package io.paycore.service.serve;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.StageLayout;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.service.Commands;
import io.paycore.service.PaycoreProcess;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve --cpus} and the threading options against what an operator expects (README, Architecture:
 * Profiles): the cores named are checked against those the process may run on, each thread the plan places is
 * pinned there, and a plan that would starve busy-spinning threads, or names a thread the configuration does not
 * have, is said so before anything starts. No test here busy-spins: the warnings are read from
 * {@link ServiceContext#conclude()}, which starts no thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServePinningReviewTest
{
    @TempDir
    Path temp;

    /**
     * {@code taskset -c 1 paycore serve --cpus ingress=0} was taken, because cpus were checked only against the
     * count of cpus the JVM may use (one, so "cpus 0..0"), and the ingress thread then moved itself to cpu 0 with
     * sched_setaffinity, out of the set the operator gave the process ({@code pinned: ingress ... wanted cpu 0:
     * allowed {0}, running on cpu 0}). It must be refused as a usage error naming the cpus the process may use.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldRefuseACpuOutsideTheSetTheProcessMayRunOn() throws Exception
    {
        assumeTrue(null == Commands.run(10, "taskset", "-c", "1", "true"), "needs taskset and a cpu 1");
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        ServeCommandTest.writeClients(data);

        try (PaycoreProcess service = PaycoreProcess.start(temp.resolve("serve.out"),
            List.of("taskset", "-c", "1"), serveArgs(data, "--cpus", "ingress=0")))
        {
            assertEquals(ServeCommand.EXIT_USAGE, service.awaitExit(60_000), service.output());
            final String output = service.output();
            assertTrue(output.contains("--cpus: cpu 0 for ingress") && output.contains("cpus 1"), output);
            assertFalse(output.contains("pinned:"), output);
        }
    }

    /**
     * The other side of the same fault: {@code taskset -c 1 paycore serve --cpus ingress=1,driver=1} was refused
     * with "cpu 1 for ingress is not on this machine, which has cpus 0..0", though cpu 1 is the one cpu the process
     * may run on. It must start, with each placed thread on cpu 1 and saying so.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldPinToTheCpusTheProcessMayRunOnWhateverTheirNumbers() throws Exception
    {
        assumeTrue(null == Commands.run(10, "taskset", "-c", "1", "true"), "needs taskset and a cpu 1");
        final DataDirectory data = new DataDirectory(temp.resolve("data"));
        ServeCommandTest.writeClients(data);

        try (PaycoreProcess service = PaycoreProcess.start(temp.resolve("serve.out"),
            List.of("taskset", "-c", "1"), serveArgs(data, "--cpus", "ingress=1,driver=1")))
        {
            service.awaitReady(60_000);
            final String output = service.output();
            assertTrue(output.matches("(?s).*pinned: ingress +\\[paycore-ingress,paycore-stages,paycore-egress] " +
                "wanted cpu 1: allowed \\{1}, running on cpu 1\n.*"), output);
            assertTrue(output.matches("(?s).*pinned: driver .* wanted cpu 1: allowed \\{1}, running on cpu 1\n.*"),
                output);
            assertEquals(143, service.terminate(30_000), service.output());
        }
    }

    /**
     * {@code --idle-strategy busy-spin --layout split --cpus journaler=1,blp=1} put two threads that never yield on
     * one core, where they take turns in the scheduler's time slices (README, Dedicated profile), and nothing was
     * said. The same holds for the dedicated profile's threads, all busy-spinning.
     */
    @Test
    void shouldWarnWhenThePlanPutsTwoBusySpinningThreadsOnOneCpu()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        context(out, "busy-spin", StageLayout.SPLIT, "journaler=1,blp=1").conclude();

        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s)(.*\n)?warning: --cpus puts 2 busy-spinning threads on cpu 1 " +
            "\\(journaler, blp\\).*"), printed);
    }

    /**
     * Without {@code --cpus}, {@code --idle-strategy busy-spin --layout split} on this 2-cpu machine has two threads
     * that never yield and no cpu left for the transport's thread and the media driver's, which then run only when
     * the scheduler takes a core from a spinner: said nowhere.
     */
    @Test
    void shouldWarnWhenBusySpinningThreadsLeaveNoCpuForTheRest()
    {
        assumeTrue(2 == Runtime.getRuntime().availableProcessors(), "written for a 2-cpu machine");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        context(out, "busy-spin", StageLayout.SPLIT, null).conclude();

        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s)(.*\n)?warning: 2 threads busy-spin \\(journaler, blp\\) and this process " +
            "may run on 2 cpus.*"), printed);
    }

    /**
     * In the shared profile, {@code --cpus journaler=1} (the default inline layout has no journaler thread) and
     * {@code --cpus egress=1} (egress shares the ingress thread) pinned nothing and printed nothing: an operator
     * reading no {@code pinned:} line has to know the threading model to see why.
     */
    @Test
    void shouldWarnOfARoleThatHasNoThreadOfItsOwnHere()
    {
        final ByteArrayOutputStream inline = new ByteArrayOutputStream();
        // serve concludes its context, and the service it launches concludes it again: said once.
        context(inline, null, null, "journaler=1,egress=0,ingress=1").conclude().conclude();
        final String printed = inline.toString(StandardCharsets.UTF_8);
        assertEquals(2, printed.lines().count(), printed);
        assertTrue(printed.contains("warning: --cpus journaler=1 pins nothing: the inline layout has no journaler " +
            "thread"), printed);
        assertTrue(printed.contains("warning: --cpus egress=0 pins nothing: in the shared profile egress runs on " +
            "the ingress thread"), printed);

        final ByteArrayOutputStream sound = new ByteArrayOutputStream();
        context(sound, null, StageLayout.SPLIT, "ingress=1,driver=0,journaler=0,blp=1").conclude();
        assertEquals("", sound.toString(StandardCharsets.UTF_8), "a sound plan is not warned about");
    }

    /**
     * {@code serve --warmup N} runs its warm-up through a scratch service whose context took no {@code --cpus}: in
     * the dedicated profile that scratch service made the default plan (cpus 1 to 7) whatever the operator named,
     * so on a 6- or 7-cpu machine {@code serve --profile dedicated --cpus ingress=1,...,driver=5 --warmup 100} was
     * refused with exit status 4, "the warm-up failed, so the service did not start: ... name the cores with
     * --cpus" (seen with {@code -XX:ActiveProcessorCount=6}), and on a larger one the warm-up's busy-spinning
     * threads ran on cores the operator had not given. The scratch service must take the operator's plan. (Read
     * through reflection: the scratch context is serve's own, and a dedicated warm-up would busy-spin here.)
     */
    @Test
    void shouldWarmUpOnTheCpusTheOperatorNamed() throws Exception
    {
        final ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--data", temp.resolve("data").toString(), "--channel", "aeron:ipc",
            "--cpus", "ingress=1,driver=0", "--warmup", "1000");
        final DataDirectory scratch = new DataDirectory(temp.resolve("scratch"));
        ServeCommandTest.writeClients(scratch);
        final Method scratchContext = ServeCommand.class.getDeclaredMethod("scratchContext", Path.class, Path.class);
        scratchContext.setAccessible(true);

        final ServiceContext context = ((ServiceContext)scratchContext.invoke(
            command, scratch.root(), scratch.root().resolve(ServeCommand.CLIENTS_FILE_NAME))).conclude();

        assertEquals("ingress=1,driver=0", context.cpuPlan().toString());
    }

    private ServiceContext context(
        final ByteArrayOutputStream out, final String idleStrategy, final StageLayout layout, final String cpus)
    {
        return new ServiceContext()
            .dataDirectory(new DataDirectory(temp.resolve("data")))
            .ledgerLimits(new LedgerLimits().maxAccounts(1024).maxTransfers(4096).maxPendingTransfers(256)
                .maxBatchEvents(64))
            .journalContext(new JournalContext().flushLevel(FlushLevel.NONE).segmentLength(1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256).idleStrategy(idleStrategy).layout(layout))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:ipc")
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, "secret-1", 1)), "test")))
            .cpus(cpus)
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static List<String> serveArgs(final DataDirectory data, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("serve", "--data", data.root().toString(),
            "--channel", "aeron:ipc", "--max-accounts", "1000", "--hot-transfers", "10000", "--max-pending", "100"));
        args.addAll(List.of(more));
        return args;
    }
}
