package io.vaultkeep.engine.account;

/**
 * Marks what may leave the JVM: journal events, snapshotted state, and messages that can cross
 * cluster nodes. The engine binds this interface to Pekko's jackson-cbor serializer; Java
 * serialization is off, so anything not marked cannot be written anywhere.
 */
public interface ClusterSerializable {}
