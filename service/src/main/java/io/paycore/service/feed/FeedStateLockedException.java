package io.paycore.service.feed;

/**
 * Another publisher holds a state directory's lock: a second publisher refuses to start rather than publish the
 * same changes beside the first.
 */
public final class FeedStateLockedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message naming the directory and, when known, the holder's process id.
     */
    public FeedStateLockedException(final String message)
    {
        super(message);
    }
}
