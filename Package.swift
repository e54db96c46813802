// swift-tools-version: 6.1
import PackageDescription

// sptop: a terminal dashboard that trains neural networks live and shows their structure errors.
// Layers (see README): SPNumerics (pure maths) <- SPEngine (sessions on a Dispatch queue)
// SPTUI (drawing into buffers) <- SPCurses (the only ncurses code); SPDashboard joins engine and
// TUI; `sptop` is the command layer.
let package = Package(
  name: "sptop",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "sptop", targets: ["sptop"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    // SHA-256 of a forked session's parent log (its content hash in the fork's header).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // Tests only: the one process launcher (SPTestSupport) and the malloc hook of the
    // allocation test (AllocationProbe).
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    // FileDescriptor and FilePath, the types of swift-subprocess' API on Linux.
    .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    // The numerics are built for AVX2 and FMA (every machine of this project's kind, AMD EPYC,
    // has them): four doubles per instruction and fused multiply-adds. See README, Benchmarks.
    // The dense product (SPKernels) is generic over the vector width; its AVX-512 instance lives
    // in its own module, built for Haswell plus AVX-512 F/DQ/CD/BW/VL (the x86-64-v4 level,
    // a name Swift's clang importer does not take), and runs only when CPlatform finds AVX-512
    // at run time. Both kernel modules are optimised (-O) in every
    // configuration, so debug builds and their tests train at a usable speed.
    .target(name: "CPlatform"),
    .target(
      name: "SPKernels", swiftSettings: [.unsafeFlags(["-target-cpu", "haswell", "-O"])]),
    .target(
      name: "SPKernelsAVX512", dependencies: ["SPKernels"],
      swiftSettings: [
        .unsafeFlags([
          "-target-cpu", "haswell", "-Xcc", "-mavx512f", "-Xcc", "-mavx512dq", "-Xcc", "-mavx512cd",
          "-Xcc", "-mavx512bw", "-Xcc", "-mavx512vl", "-O",
        ])
      ]),
    .target(
      name: "SPNumerics", dependencies: ["SPKernels", "SPKernelsAVX512", "CPlatform"],
      swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
    .target(
      name: "SPEngine",
      // SPTUI for the 1-2-5 tick steps its SVG figures share with the terminal's charts.
      dependencies: [
        "SPNumerics", "SPTUI", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(name: "SPTUI"),
    .target(name: "CTerminalSupport"),
    .target(name: "SPCurses", dependencies: ["CNcurses", "CTerminalSupport", "SPTUI"]),
    .target(name: "SPDashboard", dependencies: ["SPEngine", "SPNumerics", "SPTUI"]),
    // The dashboard's and the replay's loops over any terminal backend (SPCurses' Terminal,
    // or SPTUI's TestBackend in tests): keys through the dashboard's reducer, effects carried
    // out, frames paced.
    .target(name: "SPApp", dependencies: ["SPDashboard", "SPEngine", "SPTUI", "SPConfig"]),
    // Themes and the configuration file: TOML in, Theme / KeyMap / flag defaults out.
    .target(
      name: "SPConfig",
      dependencies: [
        "SPDashboard", "SPEngine", "SPTUI", .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    .executableTarget(
      name: "sptop",
      dependencies: [
        "SPApp", "SPEngine", "SPDashboard", "SPCurses", "SPConfig", "SPTUI", "SPNumerics",
        "CPlatform",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // What every test target shares: a temporary folder that always cleans up, one process
    // launcher (swift-subprocess), one `waitFor`.
    .target(
      name: "SPTestSupport",
      dependencies: [
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      path: "Tests/SPTestSupport"),
    // Trains every architecture with every optimiser under the malloc interposer (preloaded
    // by the test) and prints the allocations counted during the measured steps.
    .executableTarget(
      name: "AllocationProbe",
      dependencies: [
        "SPNumerics", .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
      ],
      path: "Tests/AllocationProbe"),
    .testTarget(
      name: "SPNumericsTests",
      dependencies: ["SPNumerics", "CPlatform", "SPTestSupport", "AllocationProbe"]),
    // Fixtures/: session logs written by earlier releases, which must still verify and replay.
    .testTarget(
      name: "SPEngineTests", dependencies: ["SPEngine", "SPNumerics", "SPTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "SPTUITests", dependencies: ["SPTUI", "SPTestSupport"]),
    .testTarget(name: "SPCursesTests", dependencies: ["SPCurses", "SPTUI"]),
    .testTarget(
      name: "SPAppTests",
      dependencies: ["SPApp", "SPDashboard", "SPEngine", "SPTUI", "SPConfig", "SPTestSupport"]),
    .testTarget(
      name: "SPDashboardTests", dependencies: ["SPDashboard", "SPEngine", "SPNumerics", "SPTUI"],
      exclude: ["Snapshots"]),
    .testTarget(
      name: "SPConfigTests",
      dependencies: ["SPConfig", "SPDashboard", "SPTUI", "SPCurses", "SPEngine", "SPTestSupport"]),
    // Drives the built `sptop` binary as a user would: processes, pipes, and tmux for the screen.
    .testTarget(
      name: "SPTopEndToEndTests",
      dependencies: [
        "sptop", "SPNumerics", "SPTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["recompute.py"]),
    // Hostile input in process: random and mutated themes, configs, logs and settings.
    .testTarget(
      name: "SPHostileInputTests",
      dependencies: [
        "SPConfig", "SPEngine", "SPNumerics", "SPDashboard", "SPTUI", "SPTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
