/**
 * Bitwarden's export formats: the json export as records ({@link io.vaultkeep.protocol.bitwarden.VaultExport}
 * and the records it holds), the json codec with format detection
 * ({@link io.vaultkeep.protocol.bitwarden.BitwardenJson}) and the CSV codec
 * ({@link io.vaultkeep.protocol.bitwarden.BitwardenCsv}). No I/O beyond byte arrays and streams, no crypto.
 *
 * <h2>Lossless by construction</h2>
 * Each record component takes the JSON key of its name when the value has the component's shape; every
 * other key — unknown ones at any level, known ones holding {@code null} or a value of an unexpected
 * shape — is kept verbatim in the record's {@code other()} map and written back. Item types this code
 * does not model (6 bank account, 7 driver's licence, 8 passport, anything newer) are items like any
 * other: their payload object stays in {@code other()}. So reading then writing any export gives the
 * same JSON tree; only whitespace and key order may change.
 *
 * <h2>Null and absent</h2>
 * A null component reads as "no value", whether the key was absent or {@code null} (Bitwarden's importer
 * treats the two alike), and is left out when written (the Bitwarden CLI leaves out null keys). A key
 * that was present with {@code null} is remembered as a JSON null in {@code other()}, so it is written
 * back too: the round trip is exact, not merely modulo nulls. Setting the component through a builder
 * replaces that remembered null.
 *
 * <h2>Secrets</h2>
 * Vault text never reaches an exception message or a {@code toString()}: errors say what and where
 * (line, column, CSV row), records print their keys and ids only.
 */
package io.vaultkeep.protocol.bitwarden;
