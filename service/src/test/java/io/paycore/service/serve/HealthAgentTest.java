package io.paycore.service.serve;

import io.paycore.replay.DataDirectory;
import io.paycore.replay.DataDirectoryLock;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthAgentTest
{
    @TempDir
    Path temp;

    private DataDirectoryLock lock;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Throwable> errors = new ArrayList<>();
    private long nowMs = 1_000;
    private HealthAgent agent;

    @BeforeEach
    void before()
    {
        lock = DataDirectoryLock.acquire(new DataDirectory(temp));
        agent = new HealthAgent(failure::get, lock.markFile(), errors::add, () -> nowMs);
    }

    @AfterEach
    void after()
    {
        lock.close();
    }

    @Test
    void shouldRefreshTheMarkFilesActivityTimestampEachDutyCycle()
    {
        assertEquals(0, agent.doWork());
        assertEquals(1_000, lock.markFile().activityTimestampMs());
        nowMs = 1_100;
        agent.doWork();
        assertEquals(1_100, lock.markFile().activityTimestampMs());
    }

    @Test
    void shouldSayOnceWhyThePipelineFailed()
    {
        agent.doWork();
        assertTrue(errors.isEmpty());
        final IllegalStateException cause = new IllegalStateException("disk full");
        failure.set(cause);

        assertEquals(1, agent.doWork());
        assertEquals(0, agent.doWork());

        assertEquals(1, errors.size());
        assertSame(cause, errors.get(0).getCause());
        assertTrue(errors.get(0).getMessage().contains("every request is now rejected"), errors.get(0).getMessage());
    }

    @Test
    void shouldRunOnAnAgentRunnerThreadNamedForItsRole() throws Exception
    {
        final List<String> threads = new CopyOnWriteArrayList<>();
        agent.onDutyCycle(() -> threads.add(Thread.currentThread().getName()));
        try (AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), errors::add, null, agent))
        {
            AgentRunner.startOnThread(runner);
            while (threads.isEmpty())
            {
                Thread.sleep(1);
            }
        }
        assertEquals(Set.of(HealthAgent.ROLE_NAME), new HashSet<>(threads));
    }
}
