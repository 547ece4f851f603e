package io.paycore.service.pinning;

import io.paycore.core.pipeline.Pipeline;

import java.util.concurrent.ThreadFactory;

/**
 * Run in a child JVM by {@link CpuPinningReviewTest}: pins one thread of the BLP's role to cpu 1 with the service's
 * {@link ThreadPinning} and prints the line it reports, so that a test can see what an operator sees where the
 * affinity library cannot pin (a JVM whose {@code os.name} OpenHFT does not know, as on an unsupported platform).
 */
final class PinningProbe
{
    private PinningProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ThreadPinning pinning = new ThreadPinning(CpuPlan.parse("blp=1", 2), (line) -> System.out.println(
            "pinned: " + line));
        final ThreadFactory factory = pinning.threadFactory();
        final Thread thread = factory.newThread(() -> System.out.println("ran"));
        thread.setName(Pipeline.BLP_THREAD_NAME);
        thread.start();
        thread.join();
    }
}
