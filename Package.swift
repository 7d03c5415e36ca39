// swift-tools-version:6.1
// rivertrace: water-quality sensor dumps of a river network → evaluations, early warnings, trace-back reports.
import PackageDescription

let package = Package(
    name: "rivertrace",
    products: [
        .executable(name: "rivertrace", targets: ["rivertrace"]),
        .library(name: "RiverTrace", targets: ["CSV", "RiverModel", "Ingest", "Store", "Pipeline", "Simulator", "Standards", "Report", "Statistics", "Trace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // The C library libcsv, and nothing else.
        .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
        // The only Swift code that touches libcsv: streaming reader and writer, encoding detection, iconv.
        .target(name: "CSV", dependencies: ["CLibCSV", .product(name: "SystemPackage", package: "swift-system")]),
        // Value types of the domain: parameters, classes, rivers, points, sources, readings, the network graph.
        .target(name: "RiverModel"),
        // Files → values: network files, readings dumps (headers, units, times, censored values), rejections.
        .target(name: "Ingest", dependencies: ["CSV", "RiverModel", .product(name: "SystemPackage", package: "swift-system")]),
        // The SQLite store (GRDB): migrations, ledger, readings, conflicts, quarantine. The only module with SQL.
        .target(name: "Store", dependencies: [
            "RiverModel",
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // GB 3838-2002 classes and the national evaluation method (rounding, groups, trends as reported): pure functions.
        .target(name: "Standards", dependencies: ["RiverModel", "Statistics"]),
        // Trend tests, change points, anomalies: pure functions of values.
        .target(name: "Statistics"),
        // The trace-back engine: network walk, lag alignment, suspect segment, candidate sources (pure).
        .target(name: "Trace", dependencies: ["RiverModel", "Statistics"]),
        // Markdown reports and the SVG charts, zh and en, and the same as one HTML document (Ink): values in, text out.
        .target(name: "Report", dependencies: ["RiverModel", "Standards", "Statistics", "Trace",
                                               .product(name: "Ink", package: "Ink")]),
        // A deterministic synthetic district with ground truth: the dumps a real district writes, and truth.json.
        .target(name: "Simulator", dependencies: ["CSV", "RiverModel", .product(name: "SystemPackage", package: "swift-system")]),
        // Jobs that join the stages: ingest a set of paths into the store, settings.
        .target(name: "Pipeline", dependencies: [
            "CSV", "RiverModel", "Ingest", "Store", "Standards", "Report", "Statistics", "Trace",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "rivertrace", dependencies: [
            "Pipeline", "Store", "Ingest", "RiverModel", "CSV", "Simulator", "Standards", "Report", "Statistics", "Trace",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Times anomaly detection and trace-back on a store (scripts/bench-detection.sh).
        .executableTarget(name: "DetectionBenchmark", dependencies: ["Pipeline", "Ingest", "RiverModel", "Standards",
                                                                      "Statistics", "Store", "Trace"],
                          path: "Benchmarks/DetectionBenchmark"),
        // Scores the downstream arrival forecast against the simulator's truth (scripts/score-forecast.sh).
        .executableTarget(name: "ForecastBenchmark", dependencies: ["Pipeline", "Ingest", "RiverModel", "Simulator", "Standards",
                                                                     "Statistics", "Store", "Trace"],
                          path: "Benchmarks/ForecastBenchmark"),
        // Replays hourly runs on simulator stores: how soon a true pollution event is alerted (scripts/score-latency.sh).
        .executableTarget(name: "AlertLatency", dependencies: ["Pipeline", "Ingest", "Report", "RiverModel", "Standards",
                                                                "Statistics", "Store", "Trace"],
                          path: "Benchmarks/AlertLatency"),
        // Times the trend tests on the workloads (scripts/bench-trends.sh builds it in release).
        .executableTarget(name: "TrendBenchmark", dependencies: ["Statistics"], path: "Benchmarks/TrendBenchmark"),
        // Fixtures and helpers the test targets share: repository paths and networks, scratch files removed at exit,
        // running the built binary, network builders, the slow-test tag (docs/architecture.md, "Tests").
        .target(name: "TestSupport", dependencies: ["Ingest", "RiverModel", "Standards"], path: "Tests/TestSupport"),
        .testTarget(name: "CSVTests", dependencies: ["CSV", .product(name: "SystemPackage", package: "swift-system"), "TestSupport"]),
        .testTarget(name: "RiverModelTests", dependencies: ["RiverModel"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "CSV", "RiverModel", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "RiverModel", .product(name: "GRDB", package: "GRDB.swift"), "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "CSV"]),
        .testTarget(name: "TraceTests", dependencies: ["Trace", "Statistics", "RiverModel", "TestSupport"]),
        .testTarget(name: "StandardsTests", dependencies: ["Standards", "RiverModel", "Statistics", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Standards", "Statistics", "RiverModel", "TestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Pipeline", "Store", "Ingest", "RiverModel", "CSV", "Standards",
                                                           "Statistics", "Trace", "Report", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Store", "Ingest", "RiverModel", "CSV", "Standards", "Statistics",
                                                          "Trace", "Report", .product(name: "Logging", package: "swift-log"),
                                                          "TestSupport"]),
    ]
)
