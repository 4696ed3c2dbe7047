package io.vaultkeep.engine.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** A notice as the JSON a webhook posts and a command reads: every field, null when unknown. */
public final class NoticeJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NoticeJson() {}

    public static String of(Notice notice) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notice.id());
        body.put("event", notice.event().key());
        body.put("account", notice.accountId());
        body.put("at", notice.at() == null ? null : notice.at().toString());
        body.put("runId", notice.runId());
        body.put("snapshotId", notice.snapshotId());
        if (notice.counts() == null) {
            body.put("counts", null);
        } else {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("ciphers", notice.counts().ciphers());
            counts.put("attachments", notice.counts().attachments());
            counts.put("newBlobs", notice.counts().newBlobs());
            counts.put("reusedBlobs", notice.counts().reusedBlobs());
            body.put("counts", counts);
        }
        body.put("failure", notice.failure());
        body.put("error", notice.error());
        body.put("summary", notice.summary());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice's map is always writable", e);
        }
    }
}
