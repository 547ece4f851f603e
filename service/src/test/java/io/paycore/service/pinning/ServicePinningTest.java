package io.paycore.service.pinning;

import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.service.pinning.CpuPlan;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicePinningTest
{
    @Test
    void shouldPinNothingInTheSharedProfileUnlessTold()
    {
        assertTrue(ServicePinning.plan(null, ThreadingProfile.SHARED, 2).isEmpty());
        assertEquals(1, ServicePinning.plan("blp=1", ThreadingProfile.SHARED, 2).cpu(CpuPlan.Role.BLP));
    }

    @Test
    void shouldGiveEveryDedicatedHotThreadACoreOfItsOwnFromCpuOne()
    {
        final CpuPlan plan = ServicePinning.plan(null, ThreadingProfile.DEDICATED, 16);

        final Set<Integer> cpus = new HashSet<>();
        for (final CpuPlan.Role role : new CpuPlan.Role[]{
            CpuPlan.Role.INGRESS, CpuPlan.Role.EGRESS, CpuPlan.Role.JOURNALER, CpuPlan.Role.BLP })
        {
            assertTrue(plan.cpu(role) >= 1, role.name());
            assertTrue(cpus.add(plan.cpu(role)), role + " shares a core");
        }
        for (int i = 0; i < ServicePinning.DEDICATED_DRIVER_THREADS; i++)
        {
            assertTrue(cpus.add(plan.cpu(CpuPlan.Role.DRIVER, i)), "driver thread " + i + " shares a core");
        }
        assertEquals(7, cpus.size());
        assertTrue(plan.cpu(CpuPlan.Role.LOADGEN) < 0);
    }

    @Test
    void shouldRefuseDedicatedWithoutACoreForEachHotThreadAndSayWhatToDo()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ServicePinning.plan(null, ThreadingProfile.DEDICATED, 6));

        assertTrue(ex.getMessage().contains("needs 8 cores and this machine has 6"), ex.getMessage());
        assertTrue(ex.getMessage().contains("--cpus"), ex.getMessage());
        assertEquals(7, ServicePinning.plan(null, ThreadingProfile.DEDICATED, 8).cpu(CpuPlan.Role.DRIVER, 2));
    }

    @Test
    void shouldTakeTheOperatorsPlanInDedicatedAndNameABadOne()
    {
        final CpuPlan plan = ServicePinning.plan("ingress=1,blp=2", ThreadingProfile.DEDICATED, 6);
        assertEquals(2, plan.cpu(CpuPlan.Role.BLP));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ServicePinning.plan("blp=9", ThreadingProfile.SHARED, 2));
        assertTrue(ex.getMessage().contains("cpu 9"), ex.getMessage());
    }

    @Test
    void shouldRefuseTheBenchmarksLoadGeneratorRoleRatherThanIgnoreIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ServicePinning.plan("loadgen=1,blp=0", ThreadingProfile.SHARED, 2));

        assertTrue(ex.getMessage().contains("no loadgen thread"), ex.getMessage());
    }
}
