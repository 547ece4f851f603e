package io.paycore.service.pinning;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPlanTest
{
    @Test
    void shouldParseRolesToCpus()
    {
        final CpuPlan plan = CpuPlan.parse("loadgen=0, BLP=1,driver=0", 2);

        assertEquals(0, plan.cpu(CpuPlan.Role.LOADGEN));
        assertEquals(1, plan.cpu(CpuPlan.Role.BLP));
        assertEquals(0, plan.cpu(CpuPlan.Role.DRIVER));
        assertEquals(-1, plan.cpu(CpuPlan.Role.JOURNALER));
        assertEquals("loadgen=0,blp=1,driver=0", plan.toString());
    }

    @Test
    void shouldSpreadARolesThreadsOverItsCores()
    {
        final CpuPlan plan = CpuPlan.parse("driver=2+3+4,blp=5", 8);

        assertEquals(2, plan.cpu(CpuPlan.Role.DRIVER, 0));
        assertEquals(3, plan.cpu(CpuPlan.Role.DRIVER, 1));
        assertEquals(4, plan.cpu(CpuPlan.Role.DRIVER, 2));
        assertEquals(2, plan.cpu(CpuPlan.Role.DRIVER, 3));
        assertEquals(5, plan.cpu(CpuPlan.Role.BLP, 1));
        assertEquals("blp=5,driver=2+3+4", plan.toString());
        assertThrows(IllegalArgumentException.class, () -> CpuPlan.parse("driver=0+9", 2));
    }

    @Test
    void shouldTreatNothingAsNoPinning()
    {
        assertTrue(CpuPlan.parse(null, 2).isEmpty());
        assertTrue(CpuPlan.parse(" ", 2).isEmpty());
        assertFalse(CpuPlan.parse("blp=1", 2).isEmpty());
    }

    @Test
    void shouldNameWhatIsWrong()
    {
        final IllegalArgumentException unknownRole =
            assertThrows(IllegalArgumentException.class, () -> CpuPlan.parse("gc=1", 2));
        assertTrue(unknownRole.getMessage().contains("unknown role 'gc'"), unknownRole.getMessage());
        final IllegalArgumentException missingCpu =
            assertThrows(IllegalArgumentException.class, () -> CpuPlan.parse("blp=7", 2));
        assertTrue(missingCpu.getMessage().contains("cpus 0..1"), missingCpu.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuPlan.parse("blp", 2));
        assertThrows(IllegalArgumentException.class, () -> CpuPlan.parse("blp=x", 2));
    }
}
