package io.paycore.perf.harness;

/**
 * Starts the paycore service for a benchmark. It lives outside {@code perf} (the {@code service} module launches
 * {@code PaycoreService} in process), so that {@code perf} does not depend on {@code service} and {@code service}
 * can depend on {@code perf} for the harness.
 */
@FunctionalInterface
public interface ServiceLauncher
{
    /**
     * Start a service configured for the benchmark: its channel, flush level and profile, room in the ledger for
     * every transfer the benchmark sends, and credentials for one client.
     *
     * @param settings the benchmark's settings.
     * @return the running service.
     * @throws IllegalArgumentException when the service refuses a setting (for example the dedicated profile on
     *                                  too few cores), naming it.
     */
    ServiceUnderTest launch(BenchSettings settings);
}
