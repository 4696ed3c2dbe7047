package io.vaultkeep.engine.host;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.vaultkeep.engine.config.HostConfig.LogFormat;
import io.vaultkeep.engine.config.HostConfig.LogSettings;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up logback for a running host from {@link LogSettings}, replacing what logback.xml set up
 * for the short-lived commands. In code rather than a second XML file so that a wrong setting is
 * a config problem reported with its line, not a logback status message at start.
 */
public final class HostLogging {

    /** ISO 8601 with the zone offset, so lines from hosts in different zones compare. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{36} - %msg%n";
    /** VaultKeep's own loggers take the configured level; libraries (Pekko, H2, HTTP) stay at WARN. */
    private static final String OWN_LOGGERS = "io.vaultkeep";
    private static final String APPENDER = "vaultkeep";

    private HostLogging() {}

    public static void apply(LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder = encoder(context, settings.format());
        OutputStreamAppender<ILoggingEvent> appender = settings.file().isPresent()
                ? rollingFile(context, settings.file().get(), settings.maxFileSize(), settings.maxHistory(), encoder)
                : stderr(context, encoder);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        Level level = Level.toLevel(settings.level().name());
        root.setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        context.getLogger(OWN_LOGGERS).setLevel(level);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // the message once, formatted: the raw template and its arguments would say it twice
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }

    private static OutputStreamAppender<ILoggingEvent> stderr(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    /** Rolled at midnight and when it reaches {@code maxFileSize}: vaultkeep.2026-12-06.0.log, … */
    private static OutputStreamAppender<ILoggingEvent> rollingFile(LoggerContext context, Path file, long maxFileSize,
                                                                   int maxHistory, Encoder<ILoggingEvent> encoder) {
        RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
        rolling.setContext(context);
        rolling.setName(APPENDER);
        rolling.setFile(file.toString());
        rolling.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(rolling);
        policy.setFileNamePattern(rolledName(file));
        policy.setMaxFileSize(new FileSize(maxFileSize));
        policy.setMaxHistory(maxHistory);
        policy.start();
        rolling.setRollingPolicy(policy);
        rolling.start();
        return rolling;
    }

    /** {@code host.log} rolls to {@code host.2026-12-06.0.log} beside it. */
    static String rolledName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : ".log";
        return file.resolveSibling(stem + ".%d{yyyy-MM-dd}.%i" + extension).toString();
    }
}
