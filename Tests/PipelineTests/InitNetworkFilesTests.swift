import Foundation
import TestSupport
import Testing

@Suite("init and the river-plan files")
struct InitNetworkFilesTests {
    @Test("init --network-from copies river_chiefs.csv and river_plans.csv when the folder has them")
    func copiesPlans() throws {
        let root = try scratchFolder("init-plans")
        let result = try rivertrace(["init", root.path, "--network-from", sampleNetworkPath])
        #expect(result.status == 0, "\(result.err)")
        for name in ["river_chiefs.csv", "river_plans.csv"] {
            let copied = try String(contentsOf: root.appendingPathComponent("network/" + name), encoding: .utf8)
            #expect(copied == (try String(contentsOfFile: sampleNetworkPath + "/" + name, encoding: .utf8)), "\(name)")
        }
    }

    @Test("init without them writes none: no plan on file, rather than an empty plan")
    func noEmptyPlans() throws {
        let root = try scratchFolder("init-no-plans")
        #expect(try rivertrace(["init", root.path, "--network-from", fixtureNetworkPath]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("network/river_plans.csv").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("network/river_chiefs.csv").path))
    }
}
