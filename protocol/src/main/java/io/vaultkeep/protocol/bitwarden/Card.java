package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code card}. Expiry month and year are strings, as Bitwarden writes them. */
public record Card(
        String cardholderName,
        String brand,
        String number,
        String expMonth,
        String expYear,
        String code,
        Map<String, JsonNode> other) implements ExportRecord {

    public Card {
        other = JsonRecords.other(Card.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
