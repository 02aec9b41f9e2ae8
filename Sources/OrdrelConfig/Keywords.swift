/// Which haproxy keywords ordrel accepts but ignores (warning) and which it knows but refuses
/// (alert with a reason), so operators get a precise message instead of "unknown keyword".
enum Keywords {
    /// Global keywords that only tune or decorate haproxy features ordrel does not have
    /// (SSL, Lua-free logging details, pollers, state files): accepted with a warning.
    /// haproxy 2.6 `bind` options that take a value (configuration.txt 5.1), so that after an
    /// unsupported one the parser skips its value and reports the next option too.
    static let haproxyBindOptionsWithValue: Set<String> = [
        "accept-netscaler-cip", "alpn", "ca-file", "ca-ignore-err", "ca-sign-file", "ca-sign-pass", "ciphers",
        "ciphersuites", "client-sigalgs", "crl-file", "crt", "crt-ignore-err", "crt-list", "curves", "ecdhe",
        "expose-fd", "id", "interface", "level", "mss", "namespace", "nice", "npn", "process", "proto",
        "quic-cc-algo", "severity-output", "sigalgs", "ssl-max-ver", "ssl-min-ver", "tcp-ut", "thread",
        "tls-ticket-keys", "verify",
    ]

    static let ignoredGlobal: Set<String> = [
        "node", "description", "ca-base", "crt-base",
        "ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites", "ssl-default-bind-options",
        "ssl-default-bind-curves", "ssl-default-bind-sigalgs", "ssl-default-bind-client-sigalgs",
        "ssl-default-server-ciphers", "ssl-default-server-ciphersuites", "ssl-default-server-options",
        "ssl-default-server-curves", "ssl-default-server-sigalgs", "ssl-default-server-client-sigalgs",
        "ssl-dh-param-file", "ssl-server-verify", "ssl-engine", "ssl-mode-async", "ssl-load-extra-files",
        "spread-checks", "max-spread-checks", "server-state-file", "server-state-base",
        "nosplice", "noepoll", "nopoll", "nogetaddrinfo", "busy-polling",
        "ulimit-n", "localpeer", "cpu-map",
        "set-dumpable", "insecure-fork-wanted", "insecure-setuid-wanted", "expose-experimental-directives",
        "maxpipes", "maxsslconn", "maxsslrate", "maxzlibmem",
        "maxcomprate", "maxcompcpuusage", "quiet", "zero-warning", "h1-case-adjust", "h1-case-adjust-file",
        "external-check", "numa-cpu-mapping", "profiling.tasks", "profiling.memory", "thread-groups",
        "issuers-chain-path", "daemon-wait", "pp2-never-send-local",
    ]

    /// Global `tune.*` keywords are tuning knobs of haproxy internals: all are accepted with a
    /// warning except the two ordrel implements.
    static let implementedTune: Set<String> = ["tune.bufsize", "tune.maxaccept"]

    /// Global keywords whose effect ordrel cannot reproduce, so ignoring them would be wrong.
    static let unsupportedGlobal: [String: String] = [
        "lua-load": "Lua is not available",
        "lua-load-per-thread": "Lua is not available",
        "lua-prepend-path": "Lua is not available",
        "51degrees-data-file": "device detection is HTTP-only",
        "wurfl-data-file": "device detection is HTTP-only",
        "deviceatlas-json-file": "device detection is HTTP-only",
    ]

    /// Proxy keywords with no effect on a TCP forwarder as ordrel runs it: warning.
    static let ignoredProxy: Set<String> = [
        "errorfiles", "errorloc", "errorloc302", "errorloc303",
        "email-alert", "unique-id-header", "max-keep-alive-queue",
    ]

    /// Proxy keywords ordrel knows but refuses, with the reason shown to the operator.
    static let unsupportedProxy: [String: String] = [
        "external-check": "only plain TCP connect health checks are supported",
        "dispatch": "'dispatch' is not supported, declare a server",
        "persist": "persistence rules are not supported",
        "rate-limit": "rate limiting is not supported",
        "filter": "filters are not supported",
        "declare": "captures are not supported",
        "unique-id-format": "unique ids are not supported",
        "load-server-state-from-file": "server state files are not supported",
        "server-state-file-name": "server state files are not supported",
        "monitor": "'monitor fail' conditions are not supported ('monitor-uri' answers 200 while the process runs)",
    ]

    /// Proxy keywords that only exist for HTTP; refused with "ordrel only implements 'mode tcp'".
    static let httpOnlyProxy: Set<String> = [
        "http-response", "http-after-response", "http-send-name-header",
        "redirect", "capture", "cookie", "compression", "monitor-net",
        "reqadd", "rspadd", "reqrep", "rsprep", "reqdel", "rspdel", "appsession", "http-error",
        "use-fcgi-app", "retry-on",
    ]

    /// `option` values ordrel implements (see ProxyOptions).
    static let tcpOptions: Set<String> = [
        "redispatch", "nolinger", "tcpka", "clitcpka", "srvtcpka", "tcplog", "dontlognull", "dontlog-normal",
        "log-separate-errors", "allbackups", "abortonclose", "log-health-checks", "persist",
    ]

    /// Options haproxy refuses to negate (`no option tcplog`), mirrored so messages match.
    static let nonNegatableOptions: Set<String> = ["tcpka", "tcplog"]

    /// Options that only tune logging or kernel splicing: accepted with a warning.
    static let ignoredOptions: Set<String> = [
        "logasap", "splice-auto",
        "splice-request", "splice-response", "independent-streams", "contstats", "socket-stats",
        "tcp-smart-accept", "tcp-smart-connect", "prefer-last-server", "disable-h2-upgrade",
    ]

    /// HTTP-only options.
    static let httpOptions: Set<String> = [
        "httplog", "httpclose", "http-server-close", "http-keep-alive", "forceclose", "forwardfor",
        "originalto", "http-pretend-keepalive", "http-no-delay", "http-buffer-request",
        "http-use-proxy-header", "http-ignore-probes", "http-use-htx", "http_proxy", "checkcache",
        "accept-invalid-http-request", "accept-invalid-http-response", "h1-case-adjust-bogus-client",
        "h1-case-adjust-bogus-server", "http-restrict-req-hdr-names", "httpslog", "nolinger-http",
    ]

    /// Timeouts that only matter when proxying HTTP: accepted with a warning.
    static let httpTimeouts: Set<String> = ["tarpit"]

    /// Server options haproxy has but ordrel does not implement.
    static let unsupportedServerOptions: Set<String> = [
        "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn",
        "ssl", "check-ssl", "check-sni", "check-alpn", "check-proto", "check-via-socks4",
        "slowstart", "track",
        "observe", "on-error", "error-limit", "minconn", "cookie", "redir", "usesrc", "namespace", "proto", "alpn",
        "npn", "verify", "verifyhost", "ca-file", "crl-file", "crt", "sni", "ciphers", "ciphersuites",
        "tfo", "ws", "pool-max-conn", "pool-low-conn", "pool-purge-delay", "max-reuse", "socks4",
        "allow-0rtt", "no-ssl-reuse", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12",
        "force-tlsv13", "ssl-min-ver", "ssl-max-ver", "tcp-ut", "non-stick", "stick", "log-proto",
        "set-proxy-v2-tlv-fmt", "shard", "weight-percent",
    ]

    /// Section keywords other than the five ordrel reads; their whole body is skipped.
    static let unsupportedSections: Set<String> = [
        "userlist", "peers", "mailers", "program", "http-errors", "ring", "cache",
        "fcgi-app", "backends", "dynbuf", "traces",
    ]
}
