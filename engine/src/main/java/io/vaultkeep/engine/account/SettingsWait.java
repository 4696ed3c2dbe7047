package io.vaultkeep.engine.account;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Whether an account's entity can work on the node sharding started it on, decided per command
 * (pure; {@link AccountBackup} carries it out). Settings come from the node itself (its registry or
 * its resolver, see {@link SettingsLookup}), never from the journal or another node: an entity placed
 * on a node not (yet) able to give its settings waits for them instead of stopping and losing what
 * was sent to it. While it waits it answers status at once, stashes the rest (up to {@code
 * stashCapacity}) and looks again on every {@link AccountCommand.Wake} or {@link AccountCommand.Reload}
 * (which registering the account, or learning of its registration, sends); when the wait is over it
 * gives up: drops what it stashed and passivates. {@link AccountCommand.Unregistered} (the account
 * was removed) ends the wait at once the same way.
 *
 * @param stashed how many commands wait in the stash (after giving up: how many it held)
 * @param overflowed a command was dropped because the stash was full
 */
public record SettingsWait(Phase phase, int stashed, boolean overflowed, Limits limits) {

    public enum Phase {
        /** The node has the settings: every command is the account's business. */
        READY,
        /** Not (yet) registered on this node. */
        WAITING,
        /** Waited {@link Limits#patience()} in vain: passivation was asked for. */
        GAVE_UP
    }

    /** What the entity does with one command. */
    public enum Verdict {
        /** The account handles it as usual. */
        HANDLE,
        /** The settings are here now: make the children, take up what recovery found, replay the stash. */
        TAKE_SETTINGS,
        STASH,
        /** Dropped: the stash is full, or the entity gave up. */
        DROP,
        /** Status is answered at once, showing the wait. */
        ANSWER_STATUS,
        STOP,
        /** Say so, ask for passivation and drop the stash. */
        GIVE_UP,
        /** The account was removed while the entity waited: as {@link #GIVE_UP}, saying so. */
        LEAVE,
        IGNORE
    }

    /**
     * @param wait how long an entity waits for its settings before it gives up
     * @param stashCapacity how many commands it keeps meanwhile
     */
    public record Limits(Duration patience, int stashCapacity) {
        public Limits {
            if (patience.isNegative() || patience.isZero()) {
                throw new IllegalArgumentException("settings-wait must be positive: " + patience);
            }
            if (stashCapacity < 1) {
                throw new IllegalArgumentException("settings-wait-stash must be positive: " + stashCapacity);
            }
        }

        public static Limits fromConfig(Config root) {
            Config c = root.getConfig("vaultkeep.engine");
            return new Limits(c.getDuration("settings-wait"), c.getInt("settings-wait-stash"));
        }
    }

    /** The verdict on one command, and the wait after it. */
    public record Next(Verdict verdict, SettingsWait after) {}

    /** When the entity starts: ready if the node has the settings, waiting otherwise. */
    public static SettingsWait atStart(boolean settingsHere, Limits limits) {
        return new SettingsWait(settingsHere ? Phase.READY : Phase.WAITING, 0, false, limits);
    }

    public boolean ready() {
        return phase == Phase.READY;
    }

    /** Whether the stash has just overflowed: the first command dropped for that is worth a warning. */
    public boolean overflowedNow(SettingsWait before) {
        return overflowed && !before.overflowed;
    }

    /** @param settingsHere whether the node's registry has the account's settings now */
    public Next on(AccountCommand command, boolean settingsHere) {
        if (command instanceof AccountCommand.SettingsWaitOver) {
            // a timer that fired as the settings came, or a second one after giving up, means nothing
            return phase == Phase.WAITING ? next(Verdict.GIVE_UP, Phase.GAVE_UP, stashed, overflowed) : same(Verdict.IGNORE);
        }
        if (phase == Phase.READY) {
            return same(Verdict.HANDLE);
        }
        if (command instanceof AccountCommand.Unregistered) {
            // a removal that crossed a new registration leaves settings here: take them as a registration
            return phase != Phase.WAITING ? same(Verdict.IGNORE)
                    : settingsHere ? next(Verdict.TAKE_SETTINGS, Phase.READY, 0, false)
                    : next(Verdict.LEAVE, Phase.GAVE_UP, stashed, overflowed);
        }
        if (command instanceof AccountCommand.GetStatus) {
            return same(Verdict.ANSWER_STATUS);
        }
        if (command instanceof AccountCommand.Passivate) {
            return same(Verdict.STOP);
        }
        if (command instanceof AccountCommand.Wake || command instanceof AccountCommand.Reload) {
            // a registration on this node sends both; after giving up, passivation is under way and
            // the shard starts a new incarnation for whatever comes next
            return settingsHere && phase == Phase.WAITING ? next(Verdict.TAKE_SETTINGS, Phase.READY, 0, false)
                    : same(Verdict.IGNORE);
        }
        if (phase == Phase.GAVE_UP) {
            return same(Verdict.DROP);
        }
        return stashed < limits.stashCapacity() ? next(Verdict.STASH, phase, stashed + 1, overflowed)
                : next(Verdict.DROP, phase, stashed, true);
    }

    private Next same(Verdict verdict) {
        return new Next(verdict, this);
    }

    private Next next(Verdict verdict, Phase phase, int stashed, boolean overflowed) {
        return new Next(verdict, new SettingsWait(phase, stashed, overflowed, limits));
    }
}
