package org.remaptarget.target.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.remaptarget.target.config.AccessConfig;
import org.remaptarget.target.config.ChapCredential;
import org.remaptarget.target.config.ServerConfig;
import org.remaptarget.target.config.TargetConfig;
import org.remaptarget.target.login.Authenticator;
import org.remaptarget.target.login.LoginIdentity;
import org.remaptarget.target.login.LoginStatus;
import org.remaptarget.target.text.KeyValue;

/**
 * The server's access rules: per target (and for discovery) the CHAP credentials, allowed initiators and
 * networks, LUN masks; and the CHAP algorithms accepted. Implements the login's {@link Authenticator}: each login
 * gets its own {@link #forLogin} instance holding the CHAP state and the source address.
 *
 * <p>Immutable after construction except the SecureRandom it was given (thread-safe itself). Targets not listed
 * get {@link TargetAccess#open()}.
 */
public final class SecurityPolicy implements Authenticator {
    /** The default algorithm preference: MD5 is left out unless asked for. */
    public static final List<ChapAlgorithm> DEFAULT_ALGORITHMS =
            List.of(ChapAlgorithm.SHA3_256, ChapAlgorithm.SHA_256, ChapAlgorithm.SHA_1);

    private final Map<String, TargetAccess> targets;
    private final TargetAccess discovery;
    private final List<ChapAlgorithm> algorithms;
    private final SecureRandom random;

    /**
     * @param targets    access per target IQN
     * @param discovery  access to discovery sessions
     * @param algorithms CHAP algorithms accepted, most preferred first (non-empty)
     * @param random     the challenge source
     */
    public SecurityPolicy(Map<String, TargetAccess> targets, TargetAccess discovery, List<ChapAlgorithm> algorithms,
                          SecureRandom random) {
        this.targets = Map.copyOf(targets);
        this.discovery = Objects.requireNonNull(discovery);
        this.algorithms = List.copyOf(algorithms);
        this.random = Objects.requireNonNull(random);
        if (this.algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one CHAP algorithm is needed");
        }
    }

    /**
     * The policy a configuration describes. Every CHAP secret and CIDR was validated by the config loader;
     * {@link IllegalArgumentException} here means a programmatic config bypassed it.
     */
    public static SecurityPolicy fromConfig(ServerConfig config, SecureRandom random) {
        Map<String, TargetAccess> targets = new java.util.HashMap<>();
        for (TargetConfig t : config.targets()) {
            targets.put(t.iqn(), access(t.access()));
        }
        return new SecurityPolicy(targets, access(config.security().discovery()),
                config.security().chapAllowMd5() ? withMd5() : DEFAULT_ALGORITHMS, random);
    }

    /** Whether a configuration asks for any authentication or access control at all. */
    public static boolean configured(ServerConfig config) {
        if (!config.security().discovery().equals(AccessConfig.OPEN)) {
            return true;
        }
        return config.targets().stream().anyMatch(t -> !t.access().equals(AccessConfig.OPEN));
    }

    private static TargetAccess access(AccessConfig c) {
        java.util.Map<String, java.util.Set<Long>> masks = new java.util.HashMap<>();
        c.lunMasks().forEach((k, v) -> masks.put(k, java.util.Set.copyOf(v)));
        return new TargetAccess(secret(c.chap()), secret(c.mutualChap()), java.util.Set.copyOf(c.allowedInitiators()),
                c.allowedNetworks().stream().map(Cidr::parse).toList(), masks);
    }

    private static ChapSecret secret(ChapCredential c) {
        return c == null ? null : new ChapSecret(c.user(), c.secret());
    }

    /** Everything open: no CHAP, no ACL. */
    public static SecurityPolicy open(SecureRandom random) {
        return new SecurityPolicy(Map.of(), TargetAccess.open(), DEFAULT_ALGORITHMS, random);
    }

    /** The preference list with MD5 appended (for libiscsi and QEMU, which only speak MD5). */
    public static List<ChapAlgorithm> withMd5() {
        return List.of(ChapAlgorithm.SHA3_256, ChapAlgorithm.SHA_256, ChapAlgorithm.SHA_1, ChapAlgorithm.MD5);
    }

    public TargetAccess access(String targetName) {
        return targets.getOrDefault(targetName, TargetAccess.open());
    }

    public TargetAccess discoveryAccess() {
        return discovery;
    }

    public List<ChapAlgorithm> algorithms() {
        return algorithms;
    }

    /** Whether {@code initiator} may address {@code lun} of {@code targetName}. */
    public boolean lunVisible(String targetName, String initiator, long lun) {
        return access(targetName).lunVisible(initiator, lun);
    }

    @Override
    public String methods() {
        return "CHAP,None";
    }

    @Override
    public Authenticator forLogin(InetSocketAddress remote) {
        return new Login(remote == null ? null : remote.getAddress());
    }

    @Override
    public Step exchange(String method, LoginIdentity identity, List<KeyValue> keys) {
        return new Step(List.of(), false, true); // only per-login instances authenticate
    }

    private TargetAccess accessFor(LoginIdentity identity) {
        return identity.discovery() ? discovery : access(identity.targetName());
    }

    /** One login's view: its source address and CHAP state. */
    private final class Login implements Authenticator {
        private final InetAddress source;
        private ChapExchange chap;

        Login(InetAddress source) {
            this.source = source;
        }

        @Override
        public String methods() {
            return SecurityPolicy.this.methods();
        }

        @Override
        public String methods(LoginIdentity identity) {
            return accessFor(identity).chap() != null ? "CHAP" : "None";
        }

        @Override
        public LoginStatus authorize(LoginIdentity identity) {
            return accessFor(identity).admits(identity.initiatorName(), source)
                    ? LoginStatus.SUCCESS : LoginStatus.AUTHORIZATION_FAILURE;
        }

        @Override
        public boolean mayDiscover(LoginIdentity identity, String targetName) {
            return access(targetName).admits(identity.initiatorName(), source);
        }

        @Override
        public Step exchange(String method, LoginIdentity identity, List<KeyValue> keys) {
            TargetAccess access = accessFor(identity);
            if (method.equals("None")) {
                return new Step(List.of(), true, access.chap() != null || !keys.isEmpty());
            }
            if (!method.equals("CHAP") || access.chap() == null) {
                return new Step(List.of(), false, true);
            }
            if (chap == null) {
                chap = new ChapExchange(access.chap(), access.mutualChap(), algorithms, random);
            }
            return chap.step(keys);
        }
    }
}
