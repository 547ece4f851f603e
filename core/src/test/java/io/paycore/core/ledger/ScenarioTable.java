package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * paycore's scenario tables: ledger behaviour written down as rows of commands and the results they must give,
 * in TigerBeetle's vocabulary (field, flag and result names as its reference documentation spells them), run
 * against a {@link Ledger}.
 * <pre>
 * # a comment; blank lines are ignored; indentation is for the reader
 * scenario a pending transfer posted in part releases the rest
 *   accounts                                            # a create_accounts batch: one row an event
 *     id=1 ledger=700 code=10                           -> ok
 *     id=2 ledger=700 code=10 flags=linked              -> ok
 *   transfers                                           # a create_transfers batch
 *     id=1 debit_account_id=1 credit_account_id=2 amount=10 ledger=700 code=1 flags=pending -> ok
 *   lookup account 1 -> debits_pending=10 debits_posted=0
 *   lookup transfer 1 -> amount=10 state=pending
 *   lookup transfer 9 -> missing
 *   time +2s                                            # record time moves on (ns, ms, s)
 *   tick                                                # a record with no command: pending transfers may expire
 * </pre>
 * Fields are TigerBeetle's: accounts take {@code id, debits_pending, debits_posted, credits_pending, credits_posted,
 * user_data_128, user_data_64, user_data_32, reserved, ledger, code, flags, timestamp}; transfers {@code id,
 * debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64, user_data_32, timeout,
 * ledger, code, flags, timestamp}; a field left out is 0. Numbers are unsigned 128-bit: decimal, {@code 0x} hex,
 * {@code max} (2<sup>128</sup> - 1), {@code 2^N}, {@code 2^N-K}, {@code 2^N+K}. An event's timestamp may be written
 * {@code now-5s} or {@code now+1ns} (from the current record time). Flags are joined with {@code |}; an unnamed
 * bit is {@code bitN}.
 * <p>
 * A batch is applied when the next line that is not one of its rows comes (or the scenario ends), at the current
 * record time, which starts at 1,000 s and moves only by {@code time}. A row's result is checked exactly; a lookup
 * checks only the fields it names. Each scenario starts from an empty ledger.
 * <p>
 * Every scenario runs twice: with every transfer in memory, and with a hot window of one transfer over a cold tier,
 * so that what leaves the window must behave exactly as what stays.
 */
final class ScenarioTable
{
    /** Record time a scenario starts at. */
    static final long START_NANOS = TimeUnit.SECONDS.toNanos(1_000);

    private ScenarioTable()
    {
    }

    /**
     * One scenario: its name, where it starts, and its lines.
     *
     * @param name  as written after {@code scenario}.
     * @param file  it comes from.
     * @param lines its lines after the {@code scenario} line, with their numbers.
     */
    record Scenario(String name, String file, List<Line> lines)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    /**
     * A line of a table, without its comment.
     *
     * @param number in its file, from 1.
     * @param text   trimmed.
     */
    record Line(int number, String text)
    {
    }

    /**
     * Parse a table file into its scenarios.
     *
     * @param file  its name, for messages.
     * @param lines its lines.
     * @return the scenarios, in order.
     * @throws IllegalArgumentException for a line before the first scenario.
     */
    static List<Scenario> parse(final String file, final List<String> lines)
    {
        final List<Scenario> scenarios = new ArrayList<>();
        List<Line> current = null;
        for (int i = 0; i < lines.size(); i++)
        {
            final String raw = lines.get(i);
            final int hash = raw.indexOf('#');
            final String text = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (text.isEmpty())
            {
                continue;
            }
            if (text.startsWith("scenario "))
            {
                current = new ArrayList<>();
                scenarios.add(new Scenario(text.substring("scenario ".length()).trim(), file, current));
            }
            else if (null == current)
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": a line before the first scenario");
            }
            else
            {
                current.add(new Line(i + 1, text));
            }
        }
        return scenarios;
    }

    /**
     * Run a scenario.
     *
     * @param scenario   to run.
     * @param hotWindow  true for a hot window of one transfer over a cold tier; false for every transfer in memory.
     * @throws AssertionError naming the file, line and what differed, at the first difference.
     */
    static void run(final Scenario scenario, final boolean hotWindow)
    {
        new Runner(scenario, hotWindow).run();
    }

    private static final class Runner
    {
        private static final int BATCH = 64;
        private static final int HISTORY = 8;
        private static final int ACCOUNT_IMPORTED = 16;
        private static final int TRANSFER_IMPORTED = 256;
        private static final List<String> RESULT_NAMES = resultNames();

        private final Scenario scenario;
        private final Ledger ledger;
        private final AccountEventArray accounts = new AccountEventArray(BATCH);
        private final TransferEventArray transfers = new TransferEventArray(BATCH);
        private final AccountResults accountResults = new AccountResults(BATCH);
        private final TransferResults transferResults = new TransferResults(BATCH);
        private final List<Line> batchLines = new ArrayList<>();
        private final List<String> expected = new ArrayList<>();
        private String batchKind;
        private long nowNanos = START_NANOS;

        Runner(final Scenario scenario, final boolean hotWindow)
        {
            this.scenario = scenario;
            final LedgerLimits limits = new LedgerLimits()
                .maxAccounts(64).maxTransfers(hotWindow ? 1 : 1024).maxPendingTransfers(64).maxBatchEvents(BATCH);
            ledger = hotWindow ? new Ledger(limits, new InMemoryColdTier()) : new Ledger(limits);
        }

        void run()
        {
            for (final Line line : scenario.lines())
            {
                final String text = line.text();
                if (null != batchKind && text.contains("->") && !isCommand(text))
                {
                    batchLines.add(line);
                    continue;
                }
                applyBatch();
                if ("accounts".equals(text) || "transfers".equals(text))
                {
                    batchKind = text;
                }
                else if (text.startsWith("lookup "))
                {
                    lookup(line);
                }
                else if (text.startsWith("time +"))
                {
                    nowNanos += duration(line, text.substring("time +".length()).trim());
                }
                else if ("tick".equals(text))
                {
                    ledger.tick(nowNanos);
                }
                else
                {
                    throw fail(line, "not a command, and no batch open for a row: " + text);
                }
            }
            applyBatch();
        }

        private static boolean isCommand(final String text)
        {
            return text.startsWith("lookup ") || text.startsWith("time ") || "tick".equals(text) ||
                "accounts".equals(text) || "transfers".equals(text);
        }

        private void applyBatch()
        {
            if (null == batchKind)
            {
                return;
            }
            final boolean ofAccounts = "accounts".equals(batchKind);
            batchKind = null;
            accounts.reset();
            transfers.reset();
            expected.clear();
            for (final Line line : batchLines)
            {
                final String[] sides = line.text().split("->", 2);
                final Map<String, String> fields = fields(line, sides[0]);
                final String result = sides[1].trim().toLowerCase(Locale.ROOT);
                if (!RESULT_NAMES.contains(result))
                {
                    throw fail(line, "no such result: " + result);
                }
                expected.add(result);
                if (ofAccounts)
                {
                    addAccount(line, fields);
                }
                else
                {
                    addTransfer(line, fields);
                }
            }
            if (ofAccounts)
            {
                ledger.createAccounts(accounts, nowNanos, accountResults);
            }
            else
            {
                ledger.createTransfers(transfers, nowNanos, transferResults);
            }
            for (int i = 0; i < batchLines.size(); i++)
            {
                final String actual = (ofAccounts ? accountResults.result(i).name() :
                    transferResults.result(i).name()).toLowerCase(Locale.ROOT);
                if (!expected.get(i).equals(actual))
                {
                    throw fail(batchLines.get(i), "expected " + expected.get(i) + " but was " + actual);
                }
            }
            batchLines.clear();
        }

        private void addAccount(final Line line, final Map<String, String> fields)
        {
            final BigInteger id = number(line, fields, "id");
            final BigInteger debitsPending = number(line, fields, "debits_pending");
            final BigInteger debitsPosted = number(line, fields, "debits_posted");
            final BigInteger creditsPending = number(line, fields, "credits_pending");
            final BigInteger creditsPosted = number(line, fields, "credits_posted");
            final BigInteger userData128 = number(line, fields, "user_data_128");
            accounts.add()
                .id(hi(id), lo(id))
                .debitsPending(hi(debitsPending), lo(debitsPending))
                .debitsPosted(hi(debitsPosted), lo(debitsPosted))
                .creditsPending(hi(creditsPending), lo(creditsPending))
                .creditsPosted(hi(creditsPosted), lo(creditsPosted))
                .userData128(hi(userData128), lo(userData128))
                .userData64(lo(number(line, fields, "user_data_64")))
                .userData32(lo(number(line, fields, "user_data_32")))
                .reserved(lo(number(line, fields, "reserved")))
                .ledger(lo(number(line, fields, "ledger")))
                .code((int)lo(number(line, fields, "code")))
                .flags(flags(line, fields.getOrDefault("flags", ""), true))
                .timestamp(timestamp(line, fields));
            checkOnly(line, fields, "id", "debits_pending", "debits_posted", "credits_pending", "credits_posted",
                "user_data_128", "user_data_64", "user_data_32", "reserved", "ledger", "code", "flags", "timestamp");
        }

        private void addTransfer(final Line line, final Map<String, String> fields)
        {
            final BigInteger id = number(line, fields, "id");
            final BigInteger debit = number(line, fields, "debit_account_id");
            final BigInteger credit = number(line, fields, "credit_account_id");
            final BigInteger amount = number(line, fields, "amount");
            final BigInteger pendingId = number(line, fields, "pending_id");
            final BigInteger userData128 = number(line, fields, "user_data_128");
            transfers.add()
                .id(hi(id), lo(id))
                .debitAccountId(hi(debit), lo(debit))
                .creditAccountId(hi(credit), lo(credit))
                .amount(hi(amount), lo(amount))
                .pendingId(hi(pendingId), lo(pendingId))
                .userData128(hi(userData128), lo(userData128))
                .userData64(lo(number(line, fields, "user_data_64")))
                .userData32(lo(number(line, fields, "user_data_32")))
                .ledger(lo(number(line, fields, "ledger")))
                .timeoutSeconds(lo(number(line, fields, "timeout")))
                .code((int)lo(number(line, fields, "code")))
                .flags(flags(line, fields.getOrDefault("flags", ""), false))
                .timestamp(timestamp(line, fields));
            checkOnly(line, fields, "id", "debit_account_id", "credit_account_id", "amount", "pending_id",
                "user_data_128", "user_data_64", "user_data_32", "ledger", "timeout", "code", "flags", "timestamp");
        }

        /**
         * An event's timestamp: absent, 0, or {@code now-D} (D before the current record time, e.g. {@code now-5s}),
         * or nanoseconds.
         */
        private long timestamp(final Line line, final Map<String, String> fields)
        {
            final String value = fields.get("timestamp");
            if (null == value)
            {
                return 0;
            }
            if (value.startsWith("now-"))
            {
                return nowNanos - duration(line, value.substring("now-".length()));
            }
            if (value.startsWith("now+"))
            {
                return nowNanos + duration(line, value.substring("now+".length()));
            }
            return parseNumber(line, value).longValue();
        }

        private void lookup(final Line line)
        {
            final String[] sides = line.text().split("->", 2);
            if (2 != sides.length)
            {
                throw fail(line, "a lookup needs '-> fields' or '-> missing'");
            }
            final String[] what = sides[0].trim().split("\\s+");
            if (3 != what.length || !("account".equals(what[1]) || "transfer".equals(what[1])))
            {
                throw fail(line, "write 'lookup account ID -> ...' or 'lookup transfer ID -> ...'");
            }
            final BigInteger id = parseNumber(line, what[2]);
            final boolean account = "account".equals(what[1]);
            final int index = account ? ledger.accountIndex(hi(id), lo(id)) : ledger.transferIndex(hi(id), lo(id));
            final String expectation = sides[1].trim();
            if ("missing".equals(expectation))
            {
                if (index >= 0)
                {
                    throw fail(line, what[1] + " " + id + " exists");
                }
                return;
            }
            if (index < 0)
            {
                throw fail(line, what[1] + " " + id + " is missing");
            }
            for (final Map.Entry<String, String> field : fields(line, expectation).entrySet())
            {
                final String actual = account ? accountField(line, index, field.getKey()) :
                    transferField(line, index, field.getKey());
                if (!field.getValue().equalsIgnoreCase(actual) && !sameNumber(field.getValue(), actual))
                {
                    throw fail(line, what[1] + " " + id + ": " + field.getKey() + " expected " + field.getValue() +
                        " but was " + actual);
                }
            }
        }

        private String accountField(final Line line, final int index, final String name)
        {
            return switch (name)
            {
                case "debits_pending" -> u128(ledger.debitsPendingHi(index), ledger.debitsPendingLo(index));
                case "debits_posted" -> u128(ledger.debitsPostedHi(index), ledger.debitsPostedLo(index));
                case "credits_pending" -> u128(ledger.creditsPendingHi(index), ledger.creditsPendingLo(index));
                case "credits_posted" -> u128(ledger.creditsPostedHi(index), ledger.creditsPostedLo(index));
                case "user_data_128" ->
                    u128(ledger.accountUserData128Hi(index), ledger.accountUserData128Lo(index));
                case "user_data_64" -> Long.toUnsignedString(ledger.accountUserData64(index));
                case "user_data_32" -> Long.toString(ledger.accountUserData32(index));
                case "ledger" -> Long.toString(ledger.accountLedger(index));
                case "code" -> Integer.toString(ledger.accountCode(index));
                case "flags" -> flagNames(ledger.accountFlags(index), true);
                case "timestamp" -> Long.toString(ledger.accountTimestamp(index));
                default -> throw fail(line, "no account field " + name);
            };
        }

        private String transferField(final Line line, final int index, final String name)
        {
            return switch (name)
            {
                case "debit_account_id" ->
                    u128(ledger.transferDebitAccountIdHi(index), ledger.transferDebitAccountIdLo(index));
                case "credit_account_id" ->
                    u128(ledger.transferCreditAccountIdHi(index), ledger.transferCreditAccountIdLo(index));
                case "amount" -> u128(ledger.transferAmountHi(index), ledger.transferAmountLo(index));
                case "pending_id" -> u128(ledger.transferPendingIdHi(index), ledger.transferPendingIdLo(index));
                case "user_data_128" ->
                    u128(ledger.transferUserData128Hi(index), ledger.transferUserData128Lo(index));
                case "user_data_64" -> Long.toUnsignedString(ledger.transferUserData64(index));
                case "user_data_32" -> Long.toString(ledger.transferUserData32(index));
                case "ledger" -> Long.toString(ledger.transferLedger(index));
                case "code" -> Integer.toString(ledger.transferCode(index));
                case "timeout" -> Long.toString(ledger.transferTimeoutSeconds(index));
                case "flags" -> flagNames(ledger.transferFlags(index), false);
                case "state" -> ledger.transferPendingState(index).name().toLowerCase(Locale.ROOT);
                case "timestamp" -> Long.toString(ledger.transferTimestamp(index));
                default -> throw fail(line, "no transfer field " + name);
            };
        }

        /**
         * Whether an expected value written as a number (in any of {@link #parseNumber}'s forms) is the actual one.
         */
        private boolean sameNumber(final String expected, final String actual)
        {
            try
            {
                return parseNumber(new Line(0, expected), expected).equals(new BigInteger(actual));
            }
            catch (final AssertionError | NumberFormatException ex)
            {
                return false;
            }
        }

        private static String u128(final long hi, final long lo)
        {
            return LedgerDriver.of(hi, lo).toString();
        }

        private Map<String, String> fields(final Line line, final String text)
        {
            final Map<String, String> fields = new LinkedHashMap<>();
            for (final String pair : text.trim().split("\\s+"))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int equals = pair.indexOf('=');
                if (equals <= 0)
                {
                    throw fail(line, "expected name=value, not " + pair);
                }
                if (null != fields.put(pair.substring(0, equals), pair.substring(equals + 1)))
                {
                    throw fail(line, "field " + pair.substring(0, equals) + " given twice");
                }
            }
            return fields;
        }

        private void checkOnly(final Line line, final Map<String, String> fields, final String... names)
        {
            for (final String name : fields.keySet())
            {
                if (!List.of(names).contains(name))
                {
                    throw fail(line, "no field " + name + " here; fields are " + List.of(names));
                }
            }
        }

        private BigInteger number(final Line line, final Map<String, String> fields, final String name)
        {
            final String value = fields.get(name);
            return null == value ? BigInteger.ZERO : parseNumber(line, value);
        }

        /**
         * A number of at most 128 bits: decimal (with _ as a separator), {@code 0x} hex, {@code max}
         * (2<sup>128</sup> - 1, TigerBeetle's AMOUNT_MAX and an id no event may have), or {@code 2^N}, {@code 2^N-K}
         * and {@code 2^N+K}.
         */
        private BigInteger parseNumber(final Line line, final String text)
        {
            final String value = text.replace("_", "");
            try
            {
                final BigInteger number;
                if ("max".equals(value))
                {
                    number = LedgerModel.MAX_128;
                }
                else if (value.startsWith("0x"))
                {
                    number = new BigInteger(value.substring(2), 16);
                }
                else if (value.startsWith("2^"))
                {
                    final int sign = Math.max(value.indexOf('-'), value.indexOf('+'));
                    final int power = Integer.parseInt(sign < 0 ? value.substring(2) : value.substring(2, sign));
                    final BigInteger base = BigInteger.ONE.shiftLeft(power);
                    number = sign < 0 ? base : value.charAt(sign) == '-' ?
                        base.subtract(new BigInteger(value.substring(sign + 1))) :
                        base.add(new BigInteger(value.substring(sign + 1)));
                }
                else
                {
                    number = new BigInteger(value);
                }
                if (number.signum() < 0 || number.bitLength() > 128)
                {
                    throw fail(line, "not an unsigned 128-bit number: " + text);
                }
                return number;
            }
            catch (final NumberFormatException ex)
            {
                throw fail(line, "not a number: " + text);
            }
        }

        private static long hi(final BigInteger value)
        {
            return LedgerDriver.hi(value);
        }

        private static long lo(final BigInteger value)
        {
            return LedgerDriver.lo(value);
        }

        private long duration(final Line line, final String value)
        {
            final int digits = value.replaceAll("[^0-9].*", "").length();
            final long amount = parseNumber(line, value.substring(0, digits)).longValueExact();
            return switch (value.substring(digits))
            {
                case "ns" -> amount;
                case "ms" -> TimeUnit.MILLISECONDS.toNanos(amount);
                case "s" -> TimeUnit.SECONDS.toNanos(amount);
                default -> throw fail(line, "a duration is a number then ns, ms or s: " + value);
            };
        }

        private int flags(final Line line, final String names, final boolean account)
        {
            int flags = 0;
            for (final String name : names.split("\\|"))
            {
                if (name.isEmpty())
                {
                    continue;
                }
                flags |= switch (name)
                {
                    case "linked" -> account ? AccountFlags.LINKED : TransferFlags.LINKED;
                    case "debits_must_not_exceed_credits" -> account ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS :
                        unknownFlag(line, name);
                    case "credits_must_not_exceed_debits" -> account ? AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS :
                        unknownFlag(line, name);
                    case "pending" -> account ? unknownFlag(line, name) : TransferFlags.PENDING;
                    case "post_pending_transfer" -> account ? unknownFlag(line, name) : TransferFlags.POST_PENDING;
                    case "void_pending_transfer" -> account ? unknownFlag(line, name) : TransferFlags.VOID_PENDING;
                    case "balancing_debit" -> account ? unknownFlag(line, name) : TransferFlags.BALANCING_DEBIT;
                    case "balancing_credit" -> account ? unknownFlag(line, name) : TransferFlags.BALANCING_CREDIT;
                    case "closing_debit" -> account ? unknownFlag(line, name) : TransferFlags.CLOSING_DEBIT;
                    case "closing_credit" -> account ? unknownFlag(line, name) : TransferFlags.CLOSING_CREDIT;
                    case "closed" -> account ? AccountFlags.CLOSED : unknownFlag(line, name);
                    case "history" -> account ? HISTORY : unknownFlag(line, name);
                    case "imported" -> account ? ACCOUNT_IMPORTED : TRANSFER_IMPORTED;
                    default -> name.startsWith("bit") ? 1 << Integer.parseInt(name.substring(3)) :
                        unknownFlag(line, name);
                };
            }
            return flags;
        }

        private int unknownFlag(final Line line, final String name)
        {
            throw fail(line, "no such flag here: " + name + " (an unnamed bit is bitN)");
        }

        private static String flagNames(final int flags, final boolean account)
        {
            final List<String> names = new ArrayList<>();
            if (0 != (flags & 1))
            {
                names.add("linked");
            }
            if (account)
            {
                if (0 != (flags & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))
                {
                    names.add("debits_must_not_exceed_credits");
                }
                if (0 != (flags & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS))
                {
                    names.add("credits_must_not_exceed_debits");
                }
                if (0 != (flags & HISTORY))
                {
                    names.add("history");
                }
                if (0 != (flags & ACCOUNT_IMPORTED))
                {
                    names.add("imported");
                }
                if (0 != (flags & AccountFlags.CLOSED))
                {
                    names.add("closed");
                }
            }
            else
            {
                if (0 != (flags & TransferFlags.PENDING))
                {
                    names.add("pending");
                }
                if (0 != (flags & TransferFlags.POST_PENDING))
                {
                    names.add("post_pending_transfer");
                }
                if (0 != (flags & TransferFlags.VOID_PENDING))
                {
                    names.add("void_pending_transfer");
                }
                if (0 != (flags & TransferFlags.BALANCING_DEBIT))
                {
                    names.add("balancing_debit");
                }
                if (0 != (flags & TransferFlags.BALANCING_CREDIT))
                {
                    names.add("balancing_credit");
                }
                if (0 != (flags & TransferFlags.CLOSING_DEBIT))
                {
                    names.add("closing_debit");
                }
                if (0 != (flags & TransferFlags.CLOSING_CREDIT))
                {
                    names.add("closing_credit");
                }
                if (0 != (flags & TRANSFER_IMPORTED))
                {
                    names.add("imported");
                }
            }
            return names.isEmpty() ? "none" : String.join("|", names);
        }

        private AssertionError fail(final Line line, final String message)
        {
            return new AssertionError(scenario.file() + ":" + line.number() + " (" + scenario.name() + "): " +
                message);
        }
    }

    /**
     * @return the result names a row may expect, for messages: every create_accounts and create_transfers result.
     */
    static List<String> resultNames()
    {
        final List<String> names = new ArrayList<>();
        for (final CreateAccountResult result : CreateAccountResult.values())
        {
            names.add(result.name().toLowerCase(Locale.ROOT));
        }
        for (final CreateTransferResult result : CreateTransferResult.values())
        {
            names.add(result.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
