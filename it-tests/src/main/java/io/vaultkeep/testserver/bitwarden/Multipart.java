package io.vaultkeep.testserver.bitwarden;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Just enough multipart/form-data to take the file a client uploads as an attachment. */
final class Multipart {
    private Multipart() {}

    /** The content of the first part that carries a filename (or the first part at all). */
    static byte[] firstFile(String contentType, byte[] body) {
        if (contentType == null || !contentType.contains("boundary=")) {
            return body; // a raw upload
        }
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "").trim();
        int semicolon = boundary.indexOf(';');
        if (semicolon >= 0) {
            boundary = boundary.substring(0, semicolon);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headersStart = start + delimiter.length + 2; // CRLF
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            int contentStart = headersEnd + 4;
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
            if (next < 0) {
                break;
            }
            if (headers.contains("filename=")) {
                return Arrays.copyOfRange(body, contentStart, next);
            }
            start = next + 2;
        }
        throw new IllegalArgumentException("no file in the multipart body");
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
