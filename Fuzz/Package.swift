// swift-tools-version:6.1
// Fuzz targets for rivertrace's CSV reader and readings ingest (libFuzzer). A package of its own, so the main
// package's `swift build` and `make test` never see an executable without a `main`. See docs/robustness.md.
//
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/release/IngestFuzz corpus-work/ingest seeds/ -dict=rivertrace.dict -max_total_time=600
import Foundation
import PackageDescription

// The rivertrace sources fuzzed: this checkout (`..`), or the folder RIVERTRACE_SOURCE names (e.g. a
// `git archive` of one commit, so that a long run fuzzes a known commit while the checkout changes).
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let mainPath = ProcessInfo.processInfo.environment["RIVERTRACE_SOURCE"] ?? ".."
// A path dependency's identity is its folder's name: whatever the checkout is called.
let mainPackage = URL(fileURLWithPath: mainPath, relativeTo: here).standardizedFileURL.lastPathComponent

let package = Package(
    name: "RiverTraceFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: mainPath),
    ],
    targets: [
        // The executables' entry points: libFuzzer's driver with the target's LLVMFuzzerTestOneInput (driver.c says why).
        .target(name: "FuzzDriver"),
        // The invariants both targets assert, and the helpers that write an input to a file.
        .target(name: "FuzzChecks", dependencies: [.product(name: "RiverTrace", package: mainPackage)]),
        // Each input through sniff → parse → IngestJob into an in-memory store; checks the accounting.
        .executableTarget(name: "IngestFuzz", dependencies: ["FuzzChecks", "FuzzDriver", .product(name: "RiverTrace", package: mainPackage)]),
        // Each input through the raw CSVReader with small limits and two block sizes; checks lines and limits.
        .executableTarget(name: "ReaderFuzz", dependencies: ["FuzzChecks", "FuzzDriver", .product(name: "RiverTrace", package: mainPackage)]),
    ]
)
