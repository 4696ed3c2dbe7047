package io.vaultkeep.engine.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One account the host backs up ({@code vaultkeep.accounts[i]}).
 *
 * @param id                 {@code id}: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit;
 *                           unique on the host (also ignoring case)
 * @param source             where the vault comes from ({@code source { export-folder {…} }} or {@code source { push {} }})
 * @param location           where the repository lives ({@code location { folder {…} }})
 * @param backupPassword     from the variable named by {@code password-env}; empty: a plain (unencrypted) repository
 * @param retention          {@code retention}: 5, 10, 30, 60, 90 or "never"; default 30
 * @param includeAttachments {@code include-attachments}, default true
 * @param maxAge             {@code max-age}, default none: the account is unhealthy ({@code stale}) when
 *                           neither a run nor a source check succeeded for longer than this
 */
public record AccountConfig(
        String id,
        SourceConfig source,
        LocationConfig location,
        Optional<Secret> backupPassword,
        Retention retention,
        boolean includeAttachments,
        Optional<Duration> maxAge) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
}
