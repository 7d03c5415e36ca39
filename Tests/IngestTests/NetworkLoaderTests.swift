import Foundation
import Ingest
import RiverModel
import Testing

/// A folder holding the given network files.
func networkFolder(rivers: String, points: String, sources: String? = nil) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("net-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try rivers.write(to: directory.appendingPathComponent("rivers.csv"), atomically: true, encoding: .utf8)
    try points.write(to: directory.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
    if let sources { try sources.write(to: directory.appendingPathComponent("sources.csv"), atomically: true, encoding: .utf8) }
    return directory.path
}

let goodRivers = """
    river_id,name,flows_into,confluence_km,length_km,velocity_m_s,target_class
    MAIN,李大河,,,12,0.3,IV
    TRIB,玲珑景观河,MAIN,3.4,1.8,0.05,Ⅴ
    SUB,小浜,TRIB,1.0,0.9,0.1,5
    """
let goodPoints = """
    kind,point_id,name,river_id,km,lat,lon,target_class,extra
    auto,M-01,李大河源头,MAIN,0.5,31.83,119.91,,kept
    auto,M-02,李大河入江口,MAIN,11.5,31.80,120.01,III,ignored
    manual,T-01,玲珑桥,TRIB,1.2,31.82,119.95,,
    """

@Suite("network files")
struct NetworkLoaderTests {
    @Test("a good network loads, columns in any order, classes in any spelling")
    func good() throws {
        let network = try NetworkLoader.load(directory: networkFolder(rivers: goodRivers, points: goodPoints))
        #expect(network.rivers.map(\.id) == ["MAIN", "TRIB", "SUB"])
        #expect(network.river("TRIB")?.targetClass == .v)
        #expect(network.river("SUB")?.targetClass == .v)
        #expect(network.point("M-02").map(network.targetClass(of:)) == .iii)
        #expect(network.point("T-01").map(network.targetClass(of:)) == .v)
        #expect(network.point(identifiedBy: "玲珑桥")?.id == "T-01")
        #expect(network.riversInTreeOrder.map(\.id) == ["MAIN", "TRIB", "SUB"])
    }

    /// Loads a broken network and returns the problems found.
    func problems(rivers: String = goodRivers, points: String = goodPoints, sources: String? = nil) throws -> [NetworkProblem] {
        do {
            _ = try NetworkLoader.load(directory: networkFolder(rivers: rivers, points: points, sources: sources))
        } catch let error as NetworkError {
            return error.problems
        }
        Issue.record("the network loaded although it is broken")
        return []
    }

    @Test("an unknown flows_into is named with its line and column")
    func unknownFlowsInto() throws {
        let found = try problems(rivers: goodRivers.replacingOccurrences(of: "玲珑景观河,MAIN", with: "玲珑景观河,NOWHERE"))
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column == "flows_into")
        #expect(found.first?.message.contains("NOWHERE") == true)
    }

    @Test("a cycle in flows_into is found")
    func cycle() throws {
        let rivers = """
            river_id,name,flows_into,confluence_km,length_km,velocity_m_s,target_class
            A,甲,B,1,5,0.3,III
            B,乙,C,1,5,0.3,III
            C,丙,A,1,5,0.3,III
            """
        let found = try problems(rivers: rivers, points: "point_id,name,river_id,km,lat,lon,target_class,kind\n")
        #expect(found.contains { $0.message.hasPrefix("cycle in flows_into: A → B → C → A") })
    }

    @Test("duplicate ids, km beyond the river, bad class, bad coordinates, unknown river")
    func pointProblems() throws {
        let points = """
            point_id,name,river_id,km,lat,lon,target_class,kind
            M-01,一,MAIN,0.5,31.8,119.9,,auto
            M-01,二,MAIN,1.5,31.8,119.9,,auto
            M-03,三,MAIN,12.5,31.8,119.9,,auto
            M-04,四,MAIN,1.0,31.8,119.9,VI,auto
            M-05,五,MAIN,1.0,95,119.9,,auto
            M-06,六,NOPE,1.0,31.8,119.9,,auto
            M-07,七,MAIN,1.0,31.8,119.9,,sometimes
            """
        let found = try problems(points: points)
        #expect(found.map(\.line) == [3, 4, 5, 6, 7, 8])
        #expect(found[0].message.contains("duplicate point_id"))
        #expect(found[1].column == "km")
        #expect(found[2].column == "target_class")
        #expect(found[3].column == "lat")
        #expect(found[4].column == "river_id")
        #expect(found[5].column == "kind")
    }

    @Test("point names must differ after ignoring spaces and full-width forms, since dumps name points")
    func nearDuplicateNames() throws {
        let points = """
            point_id,name,river_id,km,lat,lon,target_class,kind
            M-01,甲河 1号,MAIN,0.5,31.8,119.9,,auto
            M-02,甲河１号,MAIN,1.5,31.8,119.9,,auto
            """
        let found = try problems(points: points)
        #expect(found.map(\.line) == [3])
        #expect(found.first?.column == "name")
    }

    @Test("a missing required column is reported against the header")
    func missingColumn() throws {
        let found = try problems(points: "point_id,name,lat,lon\nM-01,一,31.8,119.9\n")
        #expect(found.contains { $0.line == 1 && $0.column == "river_id" })
    }

    @Test("sources: bad signature and km beyond the river")
    func sources() throws {
        let sources = """
            source_id,name,kind,river_id,km,signature
            S1,某厂,enterprise,MAIN,3,industrial
            S2,某口,outfall,MAIN,30,domestic
            S3,某站,pump_station,TRIB,1,toxic
            """
        let found = try problems(sources: sources)
        #expect(found.map(\.line) == [3, 4])
        #expect(found[1].column == "signature")
    }

    @Test("the shipped sample district is valid: 9 rivers, 33 points")
    func sampleDistrict() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let network = try NetworkLoader.load(directory: root.appendingPathComponent("data/network").path)
        #expect(network.rivers.count == 9)
        #expect(network.points.count == 33)
        #expect(network.sources.count >= 20)
        #expect(network.rivers.filter { $0.flowsInto == nil }.count == 1)
    }
}
