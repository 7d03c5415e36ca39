// swift-tools-version:6.1
// In-process micro benchmarks of rivertrace's hot paths with ordo-one/benchmark (time, allocations, memory).
// A package of its own so that the product and its CI never build the benchmark tooling:
//   cd Benchmarks/Micro && swift package benchmark            (or `make bench-micro` from the top)
import PackageDescription

let package = Package(
    name: "rivertrace-micro",
    dependencies: [
        .package(path: "rivertrace"),  // a link to the repository root: a path package is named after its folder
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Micro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RiverTrace", package: "rivertrace"),
            ],
            path: "Benchmarks/Micro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
