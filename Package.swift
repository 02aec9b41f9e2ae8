// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ordrel",
    products: [
        .executable(name: "ordrel", targets: ["ordrel"]),
        .executable(name: "ordrelctl", targets: ["ordrelctl"]),
        .executable(name: "ordrel-model", targets: ["ordrel-model"]),
        // The parsers, for the fuzz package (fuzz/Package.swift).
        .library(name: "OrdrelConfig", targets: ["OrdrelConfig"]),
        .library(name: "OrdrelCLI", targets: ["OrdrelCLI"]),
        .library(name: "OrdrelLog", targets: ["OrdrelLog"]),
        .library(name: "OrdrelCore", targets: ["OrdrelCore"]),
    ],
    // Exact versions: Package.resolved is not committed, so CI and the container build these.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
    ],
    targets: [
        // The libev macros and CMSG helpers Swift cannot import directly.
        .target(name: "CLibev", linkerSettings: [.linkedLibrary("ev")]),
        // The c-ares calls of the `resolvers` sections, flattened for Swift (libc-ares-dev).
        .target(name: "CAres", linkerSettings: [.linkedLibrary("cares")]),
        // The one module that calls libc: sockets, fds, files, threads, clock, process, DNS.
        .target(name: "OrdrelSystem", dependencies: ["CLibev", "CAres"]),
        // libev loop and watchers at stable heap addresses.
        .target(name: "OrdrelEventLoop", dependencies: ["CLibev", "OrdrelSystem"]),
        // Sans-IO logging: log-format compiler and renderer, syslog framing, sampling.
        .target(name: "OrdrelLog"),
        // haproxy-format configuration parser; reads files and resolves bind names through OrdrelSystem.
        // The stats page's settings are OrdrelCLI's sans-IO type, filled here.
        .target(name: "OrdrelConfig", dependencies: ["OrdrelSystem", "OrdrelCLI", "OrdrelLog"]),
        // Sans-IO stats-socket (CLI) protocol core and stats renderers.
        .target(name: "OrdrelCLI"),
        // The proxy runtime: listeners, proxies, servers, streams, checks.
        .target(name: "OrdrelCore", dependencies: [
            "OrdrelSystem", "OrdrelEventLoop", "OrdrelConfig", "OrdrelCLI", "OrdrelLog",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        // Sans-IO screen model of `ordrelctl top`: stats rows and keys in, frames and actions out.
        .target(name: "OrdrelTop"),
        // Deterministic model of the illumos tl loopback transport (bug 12694).
        .target(name: "UnixStreamModel", dependencies: ["OrdrelCLI"]),
        .executableTarget(name: "ordrel", dependencies: [
            "OrdrelCore", "OrdrelConfig", "OrdrelEventLoop", "OrdrelSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ordrelctl", dependencies: [
            "OrdrelSystem", "OrdrelTop",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ordrel-model", dependencies: [
            "UnixStreamModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "OrdrelSystemTests", dependencies: ["OrdrelSystem"]),
        .testTarget(name: "OrdrelEventLoopTests", dependencies: ["OrdrelEventLoop", "OrdrelSystem"]),
        .testTarget(name: "OrdrelConfigTests", dependencies: ["OrdrelConfig", "OrdrelLog", "OrdrelSystem"]),
        .testTarget(name: "OrdrelCLITests", dependencies: ["OrdrelCLI"]),
        .testTarget(name: "OrdrelLogTests", dependencies: ["OrdrelLog"]),
        .testTarget(name: "OrdrelCoreTests", dependencies: [
            "OrdrelCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "OrdrelTopTests", dependencies: ["OrdrelTop"]),
        .testTarget(name: "UnixStreamModelTests", dependencies: ["UnixStreamModel", "OrdrelCLI"]),
        // Clients/: Python scripts the differential suite runs with client libraries from PyPI.
        .testTarget(name: "IntegrationTests", dependencies: ["OrdrelSystem"], exclude: ["Clients"]),
    ],
    swiftLanguageModes: [.v6]
)
