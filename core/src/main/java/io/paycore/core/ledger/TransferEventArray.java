package io.paycore.core.ledger;

/**
 * {@link TransferEvents} held in preallocated primitive arrays: for tests, benchmarks and clients. Neither filling nor
 * emptying allocates. Fill it fluently: {@link #add()} starts a new event with every field 0 and returns the
 * {@link Event} flyweight whose setters write it, 128-bit values as (hi, lo):
 * <pre>{@code events.add().id(0, 7).ledger(1).code(1);}</pre>
 * or with the 64-bit convenience {@link #add(long, long, long, long, long, long, long, long, int, int)} of earlier
 * versions. Empty with {@link #reset()}. The setters check each field's wire range and throw {@link
 * IllegalArgumentException} outside it.
 */
public final class TransferEventArray implements TransferEvents
{
    private final long[] idHi;
    private final long[] idLo;
    private final long[] debitAccountIdHi;
    private final long[] debitAccountIdLo;
    private final long[] creditAccountIdHi;
    private final long[] creditAccountIdLo;
    private final long[] amountHi;
    private final long[] amountLo;
    private final long[] pendingIdHi;
    private final long[] pendingIdLo;
    private final long[] userData128Hi;
    private final long[] userData128Lo;
    private final long[] userData64;
    private final long[] userData32;
    private final long[] timeoutSeconds;
    private final long[] ledger;
    private final long[] timestamp;
    private final int[] code;
    private final int[] flags;
    private final Event event = new Event();
    private int count;

    /**
     * @param capacity the most events the array holds.
     */
    public TransferEventArray(final int capacity)
    {
        idHi = new long[capacity];
        idLo = new long[capacity];
        debitAccountIdHi = new long[capacity];
        debitAccountIdLo = new long[capacity];
        creditAccountIdHi = new long[capacity];
        creditAccountIdLo = new long[capacity];
        amountHi = new long[capacity];
        amountLo = new long[capacity];
        pendingIdHi = new long[capacity];
        pendingIdLo = new long[capacity];
        userData128Hi = new long[capacity];
        userData128Lo = new long[capacity];
        userData64 = new long[capacity];
        userData32 = new long[capacity];
        timeoutSeconds = new long[capacity];
        ledger = new long[capacity];
        timestamp = new long[capacity];
        code = new int[capacity];
        flags = new int[capacity];
    }

    /**
     * @return the most events the array holds.
     */
    public int capacity()
    {
        return idLo.length;
    }

    /**
     * Forget every event.
     *
     * @return this for a fluent API.
     */
    public TransferEventArray reset()
    {
        count = 0;
        return this;
    }

    /**
     * Start a new event, every field 0; the setters of the flyweight returned write it.
     *
     * @return the flyweight over the new event (one instance, reused: nothing is allocated).
     * @throws IllegalStateException if the array is full.
     */
    public Event add()
    {
        if (count == idLo.length)
        {
            throw new IllegalStateException("TransferEventArray is full: capacity=" + idLo.length);
        }
        final int i = count++;
        event.current = i;
        idHi[i] = 0;
        idLo[i] = 0;
        debitAccountIdHi[i] = 0;
        debitAccountIdLo[i] = 0;
        creditAccountIdHi[i] = 0;
        creditAccountIdLo[i] = 0;
        amountHi[i] = 0;
        amountLo[i] = 0;
        pendingIdHi[i] = 0;
        pendingIdLo[i] = 0;
        userData128Hi[i] = 0;
        userData128Lo[i] = 0;
        userData64[i] = 0;
        userData32[i] = 0;
        timeoutSeconds[i] = 0;
        ledger[i] = 0;
        timestamp[i] = 0;
        code[i] = 0;
        flags[i] = 0;
        return event;
    }

    /**
     * The event being filled: a flyweight over one index of the arrays, preallocated, returned by {@link #add()}.
     * Its setters write that event and return the flyweight, so that a whole event is one chained expression
     * ({@code events.add().id(0, 7).ledger(1).code(1)}). Setters of 128-bit fields take (hi, lo). The setters are not
     * on the array itself because their names would clash with the {@link TransferEvents} getters ({@code code(int)}).
     */
    public final class Event
    {
        private int current;

        private Event()
        {
        }

        /**
         * Start the next event of the array; see {@link TransferEventArray#add()}.
         *
         * @return this flyweight, now over the new event.
         */
        public Event add()
        {
            return TransferEventArray.this.add();
        }

        /**
         * @return the array this event is in, to hand it to the ledger.
         */
        public TransferEventArray array()
        {
            return TransferEventArray.this;
        }

        /**
         * Set the event's id.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event id(final long hi, final long lo)
        {
            final int i = current;
            idHi[i] = hi;
            idLo[i] = lo;
            return this;
        }

        /**
         * Set the event's debitAccountId.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event debitAccountId(final long hi, final long lo)
        {
            final int i = current;
            debitAccountIdHi[i] = hi;
            debitAccountIdLo[i] = lo;
            return this;
        }

        /**
         * Set the event's creditAccountId.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event creditAccountId(final long hi, final long lo)
        {
            final int i = current;
            creditAccountIdHi[i] = hi;
            creditAccountIdLo[i] = lo;
            return this;
        }

        /**
         * Set the event's amount.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event amount(final long hi, final long lo)
        {
            final int i = current;
            amountHi[i] = hi;
            amountLo[i] = lo;
            return this;
        }

        /**
         * Set the event's pendingId.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event pendingId(final long hi, final long lo)
        {
            final int i = current;
            pendingIdHi[i] = hi;
            pendingIdLo[i] = lo;
            return this;
        }

        /**
         * Set the event's userData128.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event userData128(final long hi, final long lo)
        {
            final int i = current;
            userData128Hi[i] = hi;
            userData128Lo[i] = lo;
            return this;
        }

        /**
         * Set the event's userData64.
         *
         * @param value opaque client data, 64 bits; 0 on a post or void means the pending transfer's.
         * @return this for a fluent API.
         */
        public Event userData64(final long value)
        {
            userData64[current] = value;
            return this;
        }

        /**
         * Set the event's userData32.
         *
         * @param value opaque client data, an unsigned 32-bit value in a long; 0 on a post or void means the pending
         * transfer's.
         * @return this for a fluent API.
         */
        public Event userData32(final long value)
        {
            WireRange.checkUint32("userData32", value);
            userData32[current] = value;
            return this;
        }

        /**
         * Set the event's timeoutSeconds.
         *
         * @param value the timeout of a pending transfer in seconds, an unsigned 32-bit value in a long; 0 never
         * expires.
         * @return this for a fluent API.
         */
        public Event timeoutSeconds(final long value)
        {
            WireRange.checkUint32("timeoutSeconds", value);
            timeoutSeconds[current] = value;
            return this;
        }

        /**
         * Set the event's ledger.
         *
         * @param value the ledger (currency), an unsigned 32-bit value in a long; 0 on a post or void means the
         * pending's.
         * @return this for a fluent API.
         */
        public Event ledger(final long value)
        {
            WireRange.checkUint32("ledger", value);
            ledger[current] = value;
            return this;
        }

        /**
         * Set the event's timestamp.
         *
         * @param value 0, or on an {@link TransferFlags#IMPORTED} event the time it happened elsewhere (epoch
         * nanoseconds, unsigned).
         * @return this for a fluent API.
         */
        public Event timestamp(final long value)
        {
            timestamp[current] = value;
            return this;
        }

        /**
         * Set the event's code.
         *
         * @param value the transfer code, an unsigned 16-bit value; 0 on a post or void means the pending's.
         * @return this for a fluent API.
         */
        public Event code(final int value)
        {
            WireRange.checkUint16("code", value);
            code[current] = value;
            return this;
        }

        /**
         * Set the event's flags.
         *
         * @param value the flags, an unsigned 16-bit value; see {@link TransferFlags}.
         * @return this for a fluent API.
         */
        public Event flags(final int value)
        {
            WireRange.checkUint16("flags", value);
            flags[current] = value;
            return this;
        }
    }

    /**
     * Append an event with 64-bit values, as earlier versions did: every high half is 0 and the user data goes to
     * {@code userData64}; userData128, userData32 and timestamp are 0.
     *
     * @param id              transfer id (low half).
     * @param debitAccountId  account debited (0 on a post or void: the pending's).
     * @param creditAccountId account credited (0 on a post or void: the pending's).
     * @param amount          minor units (low half).
     * @param pendingId       the pending transfer of a post or void, else 0.
     * @param userData        opaque client data, to userData64.
     * @param ledger          ledger, unsigned 32-bit.
     * @param timeoutSeconds  timeout of a pending transfer, unsigned 32-bit.
     * @param code            code, unsigned 16-bit.
     * @param flags           flags, unsigned 16-bit.
     * @return this for a fluent API.
     * @throws IllegalStateException    if the array is full.
     * @throws IllegalArgumentException if a field is outside its wire range.
     */
    public TransferEventArray add(
        final long id,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingId,
        final long userData,
        final long ledger,
        final long timeoutSeconds,
        final int code,
        final int flags)
    {
        WireRange.checkUint32("ledger", ledger);
        WireRange.checkUint32("timeoutSeconds", timeoutSeconds);
        WireRange.checkUint16("code", code);
        WireRange.checkUint16("flags", flags);
        return add().id(0, id).debitAccountId(0, debitAccountId).creditAccountId(0, creditAccountId).amount(0, amount)
            .pendingId(0, pendingId).userData64(userData).ledger(ledger).timeoutSeconds(timeoutSeconds).code(code)
            .flags(flags).array();
    }

    /**
     * {@inheritDoc}
     */
    public int count()
    {
        return count;
    }

    /**
     * {@inheritDoc}
     */
    public long idHi(final int index)
    {
        return idHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long idLo(final int index)
    {
        return idLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long debitAccountIdHi(final int index)
    {
        return debitAccountIdHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long debitAccountIdLo(final int index)
    {
        return debitAccountIdLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountIdHi(final int index)
    {
        return creditAccountIdHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditAccountIdLo(final int index)
    {
        return creditAccountIdLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long amountHi(final int index)
    {
        return amountHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long amountLo(final int index)
    {
        return amountLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long pendingIdHi(final int index)
    {
        return pendingIdHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long pendingIdLo(final int index)
    {
        return pendingIdLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long userData128Hi(final int index)
    {
        return userData128Hi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long userData128Lo(final int index)
    {
        return userData128Lo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long userData64(final int index)
    {
        return userData64[index];
    }

    /**
     * {@inheritDoc}
     */
    public long userData32(final int index)
    {
        return userData32[index];
    }

    /**
     * {@inheritDoc}
     */
    public long timeoutSeconds(final int index)
    {
        return timeoutSeconds[index];
    }

    /**
     * {@inheritDoc}
     */
    public long ledger(final int index)
    {
        return ledger[index];
    }

    /**
     * {@inheritDoc}
     */
    public long timestamp(final int index)
    {
        return timestamp[index];
    }

    /**
     * {@inheritDoc}
     */
    public int code(final int index)
    {
        return code[index];
    }

    /**
     * {@inheritDoc}
     */
    public int flags(final int index)
    {
        return flags[index];
    }
}
