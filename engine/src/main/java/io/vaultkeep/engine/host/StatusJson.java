package io.vaultkeep.engine.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/** The endpoint's JSON: ISO-8601 instants, nulls written out, unknown fields tolerated by readers. */
final class StatusJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** {@code GET /health}'s body; {@code reasons} only when unhealthy, {@code accounts} only when some account is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthBody(String status, List<String> reasons, List<Health.UnhealthyAccount> accounts) {
        static HealthBody of(Health health) {
            return health.healthy() ? new HealthBody("ok", null, null)
                    : new HealthBody("unhealthy", health.reasons(), health.accounts().isEmpty() ? null : health.accounts());
        }

        Health toHealth() {
            return "ok".equals(status) ? Health.ok()
                    : new Health(reasons == null || reasons.isEmpty() ? List.of("unhealthy") : reasons, accounts);
        }
    }

    /** {@code POST /accounts/{id}/backup-now}'s body. */
    record AcceptedBody(String account, String status) {}

    /** Any 4xx or 5xx body. */
    record ErrorBody(String error) {}

    private StatusJson() {}
}
