import Foundation
import Ingest
import RiverModel

/// The repository's root folder, found from this file's place (Tests/TestSupport/Repository.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The path of `relative` (e.g. "data/samples") under the repository's root.
public func repositoryPath(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent(relative).path
}

/// Tests/Fixtures/network: rivers MAIN and TRIB (3 km, joins MAIN at km 4), points M-01, M-02 and T-01.
public let fixtureNetworkPath = repositoryPath("Tests/Fixtures/network")

/// data/network: the sample district of `make demo` and the simulator (33 points on 9 rivers).
public let sampleNetworkPath = repositoryPath("data/network")

/// The fixture network, loaded once.
public let fixtureNetwork = try! NetworkLoader.load(directory: fixtureNetworkPath)

/// The sample district's network, loaded once.
public let sampleNetwork = try! NetworkLoader.load(directory: sampleNetworkPath)
