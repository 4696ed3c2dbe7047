package io.vaultkeep.protocol.account;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The host-wide limit on concurrent runs: an account asks for a permit, gets
 * {@link AccountCommand.PermitGranted} when one is free, and releases it whatever the outcome.
 * A holder that stops releases its permit implicitly. Local-only: the permits are this node's.
 */
public sealed interface RunPermitsCommand extends LocalOnlyMessage {

    record Acquire(String accountId, ActorRef<AccountCommand> holder) implements RunPermitsCommand {}

    record Release(String accountId, ActorRef<AccountCommand> holder) implements RunPermitsCommand {}

    record GetPermitCounts(ActorRef<PermitCounts> replyTo) implements RunPermitsCommand {}

    /** Sent by the permits actor to itself when a holder or a waiter stops. */
    record HolderStopped(ActorRef<AccountCommand> holder) implements RunPermitsCommand {}

    record PermitCounts(int limit, int inUse, int waiting) implements LocalOnlyMessage {}
}
