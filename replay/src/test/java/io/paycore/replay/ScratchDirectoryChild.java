package io.paycore.replay;

import java.nio.file.Path;

/**
 * Child process for {@link ScratchDirectoryTest}: makes a scratch directory under the parent it is given, prints its
 * path, and waits until killed. Argument: the parent directory.
 */
final class ScratchDirectoryChild
{
    private ScratchDirectoryChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ScratchDirectory scratch = ScratchDirectory.create(Path.of(args[0]), "paycore-child-");
        System.out.println(scratch.path());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
