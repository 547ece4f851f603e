package io.paycore.core.ledger;

/**
 * {@link AccountEvents} held in preallocated primitive arrays: for tests, benchmarks and clients. Neither filling nor
 * emptying allocates. Fill it fluently: {@link #add()} starts a new event with every field 0 and returns the
 * {@link Event} flyweight whose setters write it, 128-bit values as (hi, lo):
 * <pre>{@code events.add().id(0, 7).ledger(1).code(1);}</pre>
 * or with the 64-bit convenience {@link #add(long, long, long, int, int)} of earlier versions. Empty with {@link
 * #reset()}. The setters check each field's wire range and throw {@link IllegalArgumentException} outside it.
 */
public final class AccountEventArray implements AccountEvents
{
    private final long[] idHi;
    private final long[] idLo;
    private final long[] debitsPendingHi;
    private final long[] debitsPendingLo;
    private final long[] debitsPostedHi;
    private final long[] debitsPostedLo;
    private final long[] creditsPendingHi;
    private final long[] creditsPendingLo;
    private final long[] creditsPostedHi;
    private final long[] creditsPostedLo;
    private final long[] userData128Hi;
    private final long[] userData128Lo;
    private final long[] userData64;
    private final long[] userData32;
    private final long[] reserved;
    private final long[] ledger;
    private final long[] timestamp;
    private final int[] code;
    private final int[] flags;
    private final Event event = new Event();
    private int count;

    /**
     * @param capacity the most events the array holds.
     */
    public AccountEventArray(final int capacity)
    {
        idHi = new long[capacity];
        idLo = new long[capacity];
        debitsPendingHi = new long[capacity];
        debitsPendingLo = new long[capacity];
        debitsPostedHi = new long[capacity];
        debitsPostedLo = new long[capacity];
        creditsPendingHi = new long[capacity];
        creditsPendingLo = new long[capacity];
        creditsPostedHi = new long[capacity];
        creditsPostedLo = new long[capacity];
        userData128Hi = new long[capacity];
        userData128Lo = new long[capacity];
        userData64 = new long[capacity];
        userData32 = new long[capacity];
        reserved = new long[capacity];
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
    public AccountEventArray reset()
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
            throw new IllegalStateException("AccountEventArray is full: capacity=" + idLo.length);
        }
        final int i = count++;
        event.current = i;
        idHi[i] = 0;
        idLo[i] = 0;
        debitsPendingHi[i] = 0;
        debitsPendingLo[i] = 0;
        debitsPostedHi[i] = 0;
        debitsPostedLo[i] = 0;
        creditsPendingHi[i] = 0;
        creditsPendingLo[i] = 0;
        creditsPostedHi[i] = 0;
        creditsPostedLo[i] = 0;
        userData128Hi[i] = 0;
        userData128Lo[i] = 0;
        userData64[i] = 0;
        userData32[i] = 0;
        reserved[i] = 0;
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
     * on the array itself because their names would clash with the {@link AccountEvents} getters ({@code code(int)}).
     */
    public final class Event
    {
        private int current;

        private Event()
        {
        }

        /**
         * Start the next event of the array; see {@link AccountEventArray#add()}.
         *
         * @return this flyweight, now over the new event.
         */
        public Event add()
        {
            return AccountEventArray.this.add();
        }

        /**
         * @return the array this event is in, to hand it to the ledger.
         */
        public AccountEventArray array()
        {
            return AccountEventArray.this;
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
         * Set the event's debitsPending.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event debitsPending(final long hi, final long lo)
        {
            final int i = current;
            debitsPendingHi[i] = hi;
            debitsPendingLo[i] = lo;
            return this;
        }

        /**
         * Set the event's debitsPosted.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event debitsPosted(final long hi, final long lo)
        {
            final int i = current;
            debitsPostedHi[i] = hi;
            debitsPostedLo[i] = lo;
            return this;
        }

        /**
         * Set the event's creditsPending.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event creditsPending(final long hi, final long lo)
        {
            final int i = current;
            creditsPendingHi[i] = hi;
            creditsPendingLo[i] = lo;
            return this;
        }

        /**
         * Set the event's creditsPosted.
         *
         * @param hi high 64 bits.
         * @param lo low 64 bits.
         * @return this for a fluent API.
         */
        public Event creditsPosted(final long hi, final long lo)
        {
            final int i = current;
            creditsPostedHi[i] = hi;
            creditsPostedLo[i] = lo;
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
         * @param value opaque client data, 64 bits.
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
         * @param value opaque client data, an unsigned 32-bit value in a long.
         * @return this for a fluent API.
         */
        public Event userData32(final long value)
        {
            WireRange.checkUint32("userData32", value);
            userData32[current] = value;
            return this;
        }

        /**
         * Set the event's reserved.
         *
         * @param value the reserved field, an unsigned 32-bit value in a long; must be 0.
         * @return this for a fluent API.
         */
        public Event reserved(final long value)
        {
            WireRange.checkUint32("reserved", value);
            reserved[current] = value;
            return this;
        }

        /**
         * Set the event's ledger.
         *
         * @param value the ledger (currency), an unsigned 32-bit value in a long; must not be 0.
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
         * @param value 0, or on an {@link AccountFlags#IMPORTED} event the time it was created elsewhere (epoch
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
         * @param value the account code, an unsigned 16-bit value; must not be 0.
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
         * @param value the flags, an unsigned 16-bit value; see {@link AccountFlags}.
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
     * Append an event with 64-bit values, as earlier versions did: the id's high half is 0 and the user data goes to
     * {@code userData64}; every other field is 0.
     *
     * @param id       account id (low half).
     * @param userData opaque client data, to userData64.
     * @param ledger   ledger, unsigned 32-bit.
     * @param code     code, unsigned 16-bit.
     * @param flags    flags, unsigned 16-bit.
     * @return this for a fluent API.
     * @throws IllegalStateException    if the array is full.
     * @throws IllegalArgumentException if a field is outside its wire range.
     */
    public AccountEventArray add(final long id, final long userData, final long ledger, final int code, final int flags)
    {
        WireRange.checkUint32("ledger", ledger);
        WireRange.checkUint16("code", code);
        WireRange.checkUint16("flags", flags);
        return add().id(0, id).userData64(userData).ledger(ledger).code(code).flags(flags).array();
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
    public long debitsPendingHi(final int index)
    {
        return debitsPendingHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPendingLo(final int index)
    {
        return debitsPendingLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPostedHi(final int index)
    {
        return debitsPostedHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long debitsPostedLo(final int index)
    {
        return debitsPostedLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPendingHi(final int index)
    {
        return creditsPendingHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPendingLo(final int index)
    {
        return creditsPendingLo[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPostedHi(final int index)
    {
        return creditsPostedHi[index];
    }

    /**
     * {@inheritDoc}
     */
    public long creditsPostedLo(final int index)
    {
        return creditsPostedLo[index];
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
    public long reserved(final int index)
    {
        return reserved[index];
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
