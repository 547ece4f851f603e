package io.paycore.replay.feed;

import java.util.ArrayList;
import java.util.List;

import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerLimits;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.TransferResults;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON form of a change, to the byte, with every kind of value at an edge: 128-bit ids and amounts above
 * 2<sup>64</sup>, the largest user data (unsigned), ledger and code.
 */
class ChangeJsonTest
{
    private static final long T = 1_800_000_000_000_000_000L;

    private static final String PENDING = "{\"timestamp\":1800000000000001000,\"type\":\"two_phase_pending\"," +
        "\"ledger\":4294967295,\"transfer\":{\"id\":\"79228162514264337593543950341\"," +
        "\"debit_account_id\":\"18446744073709551616\"," +
        "\"credit_account_id\":\"340282366920938463463374607431768211454\",\"amount\":\"129127208515966861312\"," +
        "\"pending_id\":\"0\",\"user_data_128\":\"340282366920938463463374607431768211455\"," +
        "\"user_data_64\":18446744073709551615,\"user_data_32\":4294967295,\"timeout\":3600,\"code\":65535," +
        "\"flags\":2,\"timestamp\":1800000000000001000}," +
        "\"debit_account\":{\"id\":\"18446744073709551616\",\"code\":65535,\"flags\":0," +
        "\"debits_pending\":\"129127208515966861312\",\"debits_posted\":\"0\",\"credits_pending\":\"0\"," +
        "\"credits_posted\":\"0\"}," +
        "\"credit_account\":{\"id\":\"340282366920938463463374607431768211454\",\"code\":1,\"flags\":0," +
        "\"debits_pending\":\"0\",\"debits_posted\":\"0\",\"credits_pending\":\"129127208515966861312\"," +
        "\"credits_posted\":\"0\"}}";

    @Test
    void shouldWriteEveryFieldToTheByteWithValuesAtTheirEdges()
    {
        final List<String> json = new ArrayList<>();
        final List<String> appended = new ArrayList<>();
        final List<String> encoded = new ArrayList<>();
        final Ledger ledger = new Ledger(new LedgerLimits().maxAccounts(16).maxTransfers(1024));
        ledger.changeListener(change ->
        {
            json.add(ChangeJson.toJson(change));
            appended.add(ChangeJson.append(change, new StringBuilder("> ")).toString());
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[3 + ChangeJson.MAX_LENGTH_BYTES]);
            final int length = ChangeJson.encode(change, buffer, 3);
            encoded.add(buffer.getStringWithoutLengthAscii(3, length));
        });

        final AccountResults accountResults = new AccountResults(2);
        ledger.createAccounts(new AccountEventArray(2)
            .add().id(1, 0).ledger(4_294_967_295L).code(65_535)
            .add().id(-1L, -2L).ledger(4_294_967_295L).code(1).array(), T, accountResults);
        final TransferResults transferResults = new TransferResults(1);
        ledger.createTransfers(new TransferEventArray(1)
            .add().id(1L << 32, 5).debitAccountId(1, 0).creditAccountId(-1L, -2L).amount(7, 0)
            .userData128(-1L, -1L).userData64(-1L).userData32(4_294_967_295L).timeoutSeconds(3_600)
            .ledger(4_294_967_295L).code(65_535).flags(TransferFlags.PENDING).array(), T + 1_000, transferResults);

        assertEquals(List.of(PENDING), json);
        assertEquals(List.of("> " + PENDING), appended, "append keeps what the builder held");
        assertEquals(List.of(PENDING), encoded);
        assertTrue(PENDING.length() < ChangeJson.MAX_LENGTH_BYTES);
    }
}
