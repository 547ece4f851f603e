package io.paycore.transport.client;

import java.util.Arrays;
import java.util.List;

/**
 * The answer to one batch of the blocking API: one result per event, in the order sent, each with the timestamp
 * the ledger assigned (of the original on {@code EXISTS}; on a failure, the event's own, when it was validated).
 *
 * @param <R> the result code type, {@link io.paycore.codec.sbe.CreateAccountResult} or
 *            {@link io.paycore.codec.sbe.CreateTransferResult}.
 */
public final class CreateResults<R extends Enum<R>>
{
    private final long correlationId;
    private final List<R> results;
    private final long[] timestamps;

    CreateResults(final long correlationId, final List<R> results, final long[] timestamps)
    {
        this.correlationId = correlationId;
        this.results = List.copyOf(results);
        this.timestamps = timestamps;
    }

    /**
     * @return the correlation id of the request.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * @return the number of results, equal to the number of events sent.
     */
    public int count()
    {
        return results.size();
    }

    /**
     * @param index of the event.
     * @return its result.
     */
    public R result(final int index)
    {
        return results.get(index);
    }

    /**
     * @param index of the event.
     * @return the ledger's timestamp for it.
     */
    public long timestamp(final int index)
    {
        return timestamps[index];
    }

    /**
     * @return every result, in the order sent.
     */
    public List<R> results()
    {
        return results;
    }

    /**
     * @param ok the type's OK value.
     * @return true if every event got {@code ok}.
     */
    public boolean all(final R ok)
    {
        for (final R result : results)
        {
            if (result != ok)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "CreateResults{correlationId=" + correlationId + ", results=" + results +
            ", timestamps=" + Arrays.toString(timestamps) + '}';
    }
}
