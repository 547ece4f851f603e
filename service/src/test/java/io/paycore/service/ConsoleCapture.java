package io.paycore.service;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures {@code System.out} and {@code System.err} around each test, for commands run in process with
 * {@link PaycoreMain#execute}; register with {@code @RegisterExtension}.
 */
public final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    public void beforeEach(final ExtensionContext context)
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    public void afterEach(final ExtensionContext context)
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    /**
     * @return what was printed to {@code System.out} since the test began or the last {@link #reset()}.
     */
    public String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * @return what was printed to {@code System.err} since the test began or the last {@link #reset()}.
     */
    public String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * Forget what was printed so far.
     */
    public void reset()
    {
        out.reset();
        err.reset();
    }
}
