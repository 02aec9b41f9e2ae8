// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for ordrel's parsers, kept out of the root package so that `swift build`
// and `make test` never build them. Build with `swift build --sanitize=fuzzer`; see
// docs/reliability.md ("Fuzzing") and `make fuzz`.
let config = Target.Dependency.product(name: "OrdrelConfig", package: "ordrel")
let cli = Target.Dependency.product(name: "OrdrelCLI", package: "ordrel")
let log = Target.Dependency.product(name: "OrdrelLog", package: "ordrel")
let core = Target.Dependency.product(name: "OrdrelCore", package: "ordrel")

let package = Package(
    name: "ordrel-fuzz",
    dependencies: [
        .package(name: "ordrel", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzTokenizer", dependencies: ["FuzzSupport", config]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", config]),
        .executableTarget(name: "FuzzRequest", dependencies: ["FuzzSupport", cli]),
        .executableTarget(name: "FuzzSession", dependencies: ["FuzzSupport", cli]),
        .executableTarget(name: "FuzzHTTP", dependencies: ["FuzzSupport", cli]),
        .executableTarget(name: "FuzzLogformat", dependencies: ["FuzzSupport", log]),
        .executableTarget(name: "FuzzACL", dependencies: ["FuzzSupport", config]),
        .executableTarget(name: "FuzzClientHello", dependencies: ["FuzzSupport", config]),
        .executableTarget(name: "FuzzProxy", dependencies: ["FuzzSupport", core]),
    ],
    swiftLanguageModes: [.v6]
)
