package io.vaultkeep.engine.account;

/**
 * Marks messages that carry live objects between an account's local actors (an in-memory backup
 * run, an open repository, a vault with its attachment streams). No serializer is bound to it, so
 * such a message can never be journaled or sent to another node: trying fails loudly.
 */
public interface LocalOnlyMessage {}
