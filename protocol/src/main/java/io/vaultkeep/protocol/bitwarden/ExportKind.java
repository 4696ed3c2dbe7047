package io.vaultkeep.protocol.bitwarden;

/** What a file handed in as a Bitwarden export turns out to be; see {@link BitwardenJson#detect(byte[])}. */
public enum ExportKind {
    /** {@code bw export --format json}: readable with {@link BitwardenJson#read(byte[])}. */
    PLAIN_JSON,
    /** {@code encrypted_json} with a file password: {@code passwordProtected: true} and one {@code data} EncString. */
    PASSWORD_PROTECTED,
    /** {@code encrypted_json} under the account's user key ({@code "2."} EncStrings): needs that account's keys. */
    ACCOUNT_RESTRICTED,
    /** The newer account-restricted form with {@code "7."} (COSE) strings: recognised, not supported. */
    ACCOUNT_RESTRICTED_V2,
    /** {@code bw export --format csv}: readable with {@link BitwardenCsv#read(byte[])}. */
    CSV,
    UNKNOWN
}
