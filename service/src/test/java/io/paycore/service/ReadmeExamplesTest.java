package io.paycore.service;

import io.aeron.Aeron;
import io.paycore.codec.sbe.ChangeType;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.IdArray;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.pipeline.PipelineContext;
import io.paycore.core.pipeline.ThreadingProfile;
import io.paycore.core.query.AccountFilter;
import io.paycore.journal.FlushLevel;
import io.paycore.journal.JournalContext;
import io.paycore.replay.DataDirectory;
import io.paycore.replay.feed.ChangeFeedContext;
import io.paycore.service.feed.FeedServer;
import io.paycore.service.feed.FeedServerContext;
import io.paycore.service.query.QueryServer;
import io.paycore.service.query.QueryServerContext;
import io.paycore.service.serve.PaycoreService;
import io.paycore.service.serve.ServiceContext;
import io.paycore.transport.ClientCredentials;
import io.paycore.transport.TransportContext;
import io.paycore.transport.client.Account;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.FeedSubscriber;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.Transfer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What README.md tells a user to write and type works: its Java examples, run as they are written with only the
 * channels, the Aeron directory and the loop's end adapted to an in-process service, and every option its
 * {@code bin/paycore} command lines use, found in that command's {@code --help}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest
{
    private static final String SECRET = "the-secret-clients-add-gave";
    private static final LedgerLimits LIMITS =
        new LedgerLimits().maxAccounts(1024).maxTransfers(4096).maxPendingTransfers(256).maxBatchEvents(64);
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);
    private static final Set<String> COMMANDS_WITH_SUB_COMMANDS = Set.of("clients", "cluster", "journal");

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path temp;

    private DataDirectory data;
    private PaycoreService service;
    private Aeron aeron;
    private final List<AgentRunner> servers = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();

    @AfterEach
    void after()
    {
        for (final AgentRunner server : servers)
        {
            CloseHelper.quietClose(server);
        }
        CloseHelper.quietCloseAll(aeron, service);
    }

    /**
     * "Using the service": the client library's blocking API with 128-bit ids and amounts.
     */
    @Test
    void shouldRunTheClientLibraryExample()
    {
        startService(29801);
        final ClientContext context = new ClientContext().clientId(1).secret("the-secret-clients-add-gave")
            .responseChannel("aeron:udp?endpoint=localhost:29802").responseStreamId(1002)
            .aeronDirectoryName(data.aeronDirectory().toString());           // serve --data DIR's driver
        context.ingressChannel("aeron:udp?endpoint=localhost:29801");       // serve's default is port 40123
        try (PaycoreClient client = PaycoreClient.connect(context))
        {
            final Duration timeout = Duration.ofSeconds(5);

            final AccountEventArray accounts = new AccountEventArray(2);
            accounts.add().id(0, 1).ledger(840).code(1)
                .add().id(1, 2).ledger(840).code(1).userData128(0, 42);          // id 2^64 + 2
            final CreateResults<CreateAccountResult> created = client.createAccountsAndWait(accounts, timeout);

            final TransferEventArray transfers = new TransferEventArray(1);
            transfers.add().id(0, 10).debitAccountId(0, 1).creditAccountId(1, 2)
                .amount(1, 0)                                                    // 2^64 minor units
                .ledger(840).code(1).flags(TransferFlags.PENDING).timeoutSeconds(60);
            final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, timeout);
            // results.result(0) == CreateTransferResult.OK; results.timestamp(0): when it was created

            final List<Account> found = client.lookupAccountsAndWait(timeout, new IdArray(2).add(0, 1).add(1, 2));
            final BigInteger held = found.get(0).debitsPending();                // 18446744073709551616

            assertTrue(created.all(CreateAccountResult.OK), created.toString());
            assertEquals(CreateTransferResult.OK, results.result(0));
            assertTrue(results.timestamp(0) > 0, results.toString());
            assertEquals(new BigInteger("18446744073709551616"), held);
            assertEquals(TWO_TO_THE_64, held);
            assertEquals(2, found.size());
            assertEquals(TWO_TO_THE_64.add(BigInteger.TWO), found.get(1).id());
            assertEquals(TWO_TO_THE_64, found.get(1).creditsPending());
            assertEquals(BigInteger.valueOf(42), found.get(1).userData128());
            final List<Transfer> transfer = client.lookupTransfersAndWait(timeout, 10);
            assertEquals(results.timestamp(0), transfer.get(0).timestamp());
        }
    }

    /**
     * "paycore feed-server": a {@link FeedSubscriber} gets every change from its timestamp, history then live, and
     * joins again after the last change it saw.
     */
    @Test
    void shouldRunTheFeedSubscriberExample()
    {
        startService(29811);
        final ClientContext clientContext = inProcess(new ClientContext().clientId(1).secret(SECRET)
            .responseChannel("aeron:udp?endpoint=localhost:29812").responseStreamId(1002), 29811);
        startFeedServer("aeron:udp?endpoint=localhost:29813");
        try (PaycoreClient client = PaycoreClient.connect(clientContext))
        {
            final long pendingTimestamp = createPendingTransfer(client);

            final long lastTimestampSeen = runFeedExample(0, "aeron:udp?endpoint=localhost:29814", 1);
            assertEquals(List.of(pendingTimestamp + " TWO_PHASE_PENDING 0"), handled, "the history");
            assertEquals(pendingTimestamp, lastTimestampSeen);

            final TransferEventArray post = new TransferEventArray(1);
            post.add().id(0, 11).pendingId(0, 10).amount(0, 5).ledger(840).code(1).flags(TransferFlags.POST_PENDING);
            final CreateResults<CreateTransferResult> posted =
                client.createTransfersAndWait(post, Duration.ofSeconds(5));
            assertEquals(CreateTransferResult.OK, posted.result(0));

            // The example's own loop again, resuming after the last change it saw: only the post.
            handled.clear();
            runFeedExample(lastTimestampSeen, "aeron:udp?endpoint=localhost:29815", 1);
            assertEquals(List.of(posted.timestamp(0) + " TWO_PHASE_POSTED 5"), handled, "from the timestamp + 1");
        }
    }

    /**
     * "History queries": a client with {@code queryChannel} set reads the account's transfers it just wrote.
     */
    @Test
    void shouldRunTheQueryExample()
    {
        startService(29821);
        startQueryServer("aeron:udp?endpoint=localhost:29823");
        final ClientContext context = inProcess(new ClientContext().clientId(1).secret(SECRET)
            .responseChannel("aeron:udp?endpoint=localhost:29822").responseStreamId(1002), 29821)
            /* ... the service's channel and credentials, as for any client ... */
            .queryChannel("aeron:udp?endpoint=localhost:29823");
        try (PaycoreClient client = PaycoreClient.connect(context))
        {
            final AccountEventArray accounts = new AccountEventArray(2);
            accounts.add().id(0, 42).ledger(840).code(1).add().id(0, 43).ledger(840).code(1);
            assertTrue(client.createAccountsAndWait(accounts, Duration.ofSeconds(5)).all(CreateAccountResult.OK));
            final TransferEventArray transfers = new TransferEventArray(3);
            transfers.add().id(0, 100).debitAccountId(0, 42).creditAccountId(0, 43).amount(0, 7).ledger(840).code(1)
                .add().id(0, 101).debitAccountId(0, 43).creditAccountId(0, 42).amount(0, 3).ledger(840).code(1)
                .add().id(0, 102).debitAccountId(0, 42).creditAccountId(0, 43).amount(0, 1).ledger(840).code(1);
            assertTrue(client.createTransfersAndWait(transfers, Duration.ofSeconds(5)).all(CreateTransferResult.OK));

            // No wait between the writes and the query: read your writes.
            final List<Transfer> statement = client.getAccountTransfersAndWait(
                new AccountFilter().accountId(0, 42).limit(1000).flags(AccountFilter.DEBITS | AccountFilter.CREDITS),
                Duration.ofSeconds(5));

            assertEquals(3, statement.size(), statement.toString());
            for (int i = 0; i < 3; i++)
            {
                assertEquals(BigInteger.valueOf(100 + i), statement.get(i).id(), "in timestamp order");
            }
        }
    }

    /**
     * Each {@code bin/paycore} command line in README.md's code blocks, with the options it uses.
     */
    static List<ReadmeCommand> readmeCommands() throws IOException
    {
        final List<ReadmeCommand> commands = new ArrayList<>();
        final List<String> lines = Files.readAllLines(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        final Pattern option = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.startsWith("```"))
            {
                inBlock = !inBlock;
                continue;
            }
            final String text = line.startsWith("$ ") ? line.substring(2) : line;
            if (!inBlock || !text.startsWith("bin/paycore "))
            {
                continue;
            }
            final int lineNumber = i + 1;
            final StringBuilder command = new StringBuilder(withoutComment(text));
            while (command.toString().endsWith("\\") && i + 1 < lines.size())
            {
                command.setLength(command.length() - 1);
                command.append(' ').append(withoutComment(lines.get(++i)));
            }
            final List<String> words = Arrays.asList(command.toString().trim().split("\\s+"));
            if ("bench".equals(words.get(1)))
            {
                continue; // the perf module's BenchMain, not PaycoreMain
            }
            final List<String> path = new ArrayList<>(words.subList(1, 2));
            if (COMMANDS_WITH_SUB_COMMANDS.contains(words.get(1)))
            {
                path.add(words.get(2));
            }
            final List<String> options = new ArrayList<>();
            final Matcher matcher = option.matcher(command);
            while (matcher.find())
            {
                options.add(matcher.group());
            }
            commands.add(new ReadmeCommand(lineNumber, path, options));
        }
        assertTrue(commands.size() >= 30, "command lines found: " + commands);
        return commands;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeCommands")
    void shouldListEveryOptionAReadmeCommandUsesInItsHelp(final ReadmeCommand command)
    {
        final List<String> args = new ArrayList<>(command.path());
        args.add("--help");
        final int status = PaycoreMain.execute(args.toArray(String[]::new));
        final String help = console.out();
        assertEquals(0, status, command + ": " + help + console.err());
        assertTrue(help.contains("Usage: paycore " + String.join(" ", command.path()) + " "), command + ": " + help);
        for (final String option : command.options())
        {
            assertTrue(Pattern.compile("(?<![\\w-])" + option + "(?![\\w-])").matcher(help).find(),
                "README.md line " + command.line() + ": " + option + " is not in 'paycore " +
                String.join(" ", command.path()) + " --help'");
        }
    }

    record ReadmeCommand(int line, List<String> path, List<String> options)
    {
        public String toString()
        {
            return "line " + line + ": paycore " + String.join(" ", path) + " " + options;
        }
    }

    private static String withoutComment(final String line)
    {
        final int comment = line.indexOf(" #");
        return comment < 0 ? line : line.substring(0, comment);
    }

    /**
     * The README's feed loop as written, with {@code running} true until {@code changes} were handled.
     *
     * @return the last timestamp handed on.
     */
    private long runFeedExample(final long lastTimestampSeen, final String myChannel, final int changes)
    {
        final long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final int target = handled.size() + changes;
        final long clientId = 1;
        final String secret = SECRET;
        try (FeedSubscriber feed = new FeedSubscriber(aeron, "aeron:udp?endpoint=localhost:29813", 1100,
            myChannel, 2001, clientId, secret))
        {
            feed.subscribe(lastTimestampSeen + 1);  // 0 for every change
            while (handled.size() < target) // while (running)
            {
                feed.poll(change -> handle(change.timestamp(), change.changeType(), change.amount().lo()), 100);
                assertTrue(System.nanoTime() < deadlineNanos, "changes handled: " + handled + ", " +
                    feed.status() + " " + feed.detail());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            // Nothing more than the changes there are.
            final long quietUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < quietUntilNanos)
            {
                feed.poll(change -> handle(change.timestamp(), change.changeType(), change.amount().lo()), 100);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertEquals(target, handled.size(), handled.toString());
            return feed.lastTimestampNanos();
        }
    }

    private void handle(final long timestamp, final ChangeType type, final long amountLo)
    {
        handled.add(timestamp + " " + type + " " + amountLo);
    }

    private static long createPendingTransfer(final PaycoreClient client)
    {
        final Duration timeout = Duration.ofSeconds(5);
        final AccountEventArray accounts = new AccountEventArray(2);
        accounts.add().id(0, 1).ledger(840).code(1).add().id(1, 2).ledger(840).code(1);
        assertTrue(client.createAccountsAndWait(accounts, timeout).all(CreateAccountResult.OK));
        final TransferEventArray transfers = new TransferEventArray(1);
        transfers.add().id(0, 10).debitAccountId(0, 1).creditAccountId(1, 2).amount(1, 0).ledger(840).code(1)
            .flags(TransferFlags.PENDING).timeoutSeconds(60);
        final CreateResults<CreateTransferResult> results = client.createTransfersAndWait(transfers, timeout);
        assertEquals(CreateTransferResult.OK, results.result(0));
        return results.timestamp(0);
    }

    private void startService(final int ingressPort)
    {
        data = new DataDirectory(temp.resolve("data"));
        service = PaycoreService.launch(new ServiceContext()
            .dataDirectory(data)
            .ledgerLimits(LIMITS)
            .journalContext(new JournalContext().flushLevel(FlushLevel.NONE).segmentLength(1024 * 1024))
            .pipelineContext(new PipelineContext().profile(ThreadingProfile.SHARED).inputRingSize(256)
                .outputRingSize(256))
            .transportContext(new TransportContext()
                .ingressChannel("aeron:udp?endpoint=localhost:" + ingressPort)
                .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, SECRET, 1)), "test")))
            .coldTierSizeBytes(0)
            .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(service.server().aeronDirectoryName())
            .errorHandler(Throwable::printStackTrace));
    }

    /**
     * What the README's examples leave to the defaults, pointed at the in-process service: its ingress channel
     * and its embedded media driver.
     */
    private ClientContext inProcess(final ClientContext context, final int ingressPort)
    {
        return context
            .aeronDirectoryName(service.server().aeronDirectoryName())
            .ingressChannel("aeron:udp?endpoint=localhost:" + ingressPort);
    }

    private void startFeedServer(final String requestChannel)
    {
        start(new FeedServer(aeron, new FeedServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(requestChannel)
            .maxSubscribers(2)
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, SECRET, 1)), "test"))
            .log(line -> {})));
    }

    private void startQueryServer(final String requestChannel)
    {
        start(new QueryServer(aeron, new QueryServerContext()
            .journal(new ChangeFeedContext().directory(data).limits(LIMITS).coldTierSizeBytes(0))
            .requestChannel(requestChannel)
            .credentials(ClientCredentials.parse(List.of(ClientCredentials.line(1, SECRET, 1)), "test"))
            .log(line -> {}), temp.resolve("query-store")));
    }

    private void start(final Agent agent)
    {
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(1, 1, 1_000, 1_000_000), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runner);
        servers.add(runner);
    }
}
