package io.paycore.service.pinning;

import io.paycore.core.pipeline.Pipeline;
import io.paycore.transport.PaycoreServer;
import net.openhft.affinity.Affinity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadPinningTest
{
    @Test
    void shouldKnowTheRoleOfEachOfPaycoresThreadsByTheNameItsAgentGaveIt()
    {
        assertEquals(CpuPlan.Role.BLP, ThreadPinning.roleOf(Pipeline.BLP_THREAD_NAME));
        assertEquals(CpuPlan.Role.JOURNALER, ThreadPinning.roleOf(Pipeline.JOURNALER_THREAD_NAME));
        assertEquals(CpuPlan.Role.EGRESS, ThreadPinning.roleOf(PaycoreServer.EGRESS_THREAD_NAME));
        assertEquals(CpuPlan.Role.INGRESS, ThreadPinning.roleOf(PaycoreServer.INGRESS_THREAD_NAME));
        assertEquals(CpuPlan.Role.INGRESS, ThreadPinning.roleOf("[paycore-ingress,paycore-stages,paycore-egress]"));
        assertEquals(CpuPlan.Role.INGRESS, ThreadPinning.roleOf(ThreadPinning.ECHO_THREAD_NAME));
        assertEquals(CpuPlan.Role.LOADGEN, ThreadPinning.roleOf(ThreadPinning.LOADGEN_THREAD_NAME));
        assertNull(ThreadPinning.roleOf("paycore-journal-preallocator"));
        assertNull(ThreadPinning.roleOf("paycore-authenticator"));
    }

    @Test
    void shouldPinEachThreadItMakesAsItStartsByItsAgentsRoleAndReportIt() throws Exception
    {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final ThreadPinning pinning = new ThreadPinning(CpuPlan.parse("blp=0,driver=0", 1), heard::add);

        final BitSet blpAffinity = runAgentOnFactoryThread(pinning, Pipeline.BLP_THREAD_NAME, false);
        final BitSet driverAffinity = runAgentOnFactoryThread(pinning, "driver-conductor", true);
        final BitSet otherAffinity = runAgentOnFactoryThread(pinning, "paycore-authenticator", false);

        final List<String> lines = pinning.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(lines, heard);
        assertTrue(lines.get(0).startsWith("blp") && lines.get(0).contains(Pipeline.BLP_THREAD_NAME) &&
            lines.get(0).contains("wanted cpu 0"), lines.get(0));
        assertTrue(lines.get(1).startsWith("driver") && lines.get(1).contains("wanted cpu 0"), lines.get(1));
        if (lines.get(0).contains("allowed"))
        {
            final BitSet cpu0 = new BitSet();
            cpu0.set(0);
            assertEquals(cpu0, blpAffinity);
            assertEquals(cpu0, driverAffinity);
            assertTrue(otherAffinity.cardinality() >= 1);
        }
    }

    @Test
    void shouldMakePlainThreadsAndReportNothingWithoutAPlan() throws Exception
    {
        final ThreadPinning pinning = new ThreadPinning(CpuPlan.NONE, null);
        runAgentOnFactoryThread(pinning, Pipeline.BLP_THREAD_NAME, false);
        assertEquals(List.of(), pinning.lines());
    }

    private static BitSet runAgentOnFactoryThread(
        final ThreadPinning pinning, final String roleName, final boolean driver) throws Exception
    {
        final CompletableFuture<BitSet> affinity = new CompletableFuture<>();
        final Agent agent = new Agent()
        {
            public int doWork()
            {
                if (!affinity.isDone())
                {
                    affinity.complete(Affinity.getAffinity());
                }
                return 0;
            }

            public String roleName()
            {
                return roleName;
            }
        };
        try (AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
            agent))
        {
            AgentRunner.startOnThread(
                runner, driver ? pinning.threadFactory(CpuPlan.Role.DRIVER) : pinning.threadFactory());
            return affinity.get(10, TimeUnit.SECONDS);
        }
    }
}
