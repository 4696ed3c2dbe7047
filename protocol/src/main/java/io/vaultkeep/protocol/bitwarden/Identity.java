package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code identity}. */
public record Identity(
        String title,
        String firstName,
        String middleName,
        String lastName,
        String address1,
        String address2,
        String address3,
        String city,
        String state,
        String postalCode,
        String country,
        String company,
        String email,
        String phone,
        String ssn,
        String username,
        String passportNumber,
        String licenseNumber,
        Map<String, JsonNode> other) implements ExportRecord {

    public Identity {
        other = JsonRecords.other(Identity.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
