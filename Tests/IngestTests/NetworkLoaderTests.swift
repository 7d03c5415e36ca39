import Foundation
import Ingest
import RiverModel
import TestSupport
import Testing

/// A folder holding the given network files.
func networkFolder(rivers: String, points: String, sources: String? = nil) throws -> String {
    let directory = try scratchFolder("network")
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

    /// `goodRivers` with SUB's id (line 4) replaced by `id`, written as a CSV cell (quoted when it holds a line break).
    func riversWithThirdID(_ id: String) -> String {
        goodRivers.replacingOccurrences(of: "SUB,小浜", with: (id.contains("\n") ? "\"\(id)\"" : id) + ",小浜")
    }

    @Test("ids that would make paths or hide characters break the id rule: file, line, column and the rule are named",
          arguments: [
              ("../MAIN", #"contains "/""#), ("a/b", #"contains "/""#), (#"a\b"#, #"contains "\""#),
              (".", "may not be . or .."), ("..", "may not be . or .."),
              (String(repeating: "x", count: 65), "65 bytes"), (String(repeating: "河", count: 22), "66 bytes"),
              ("a\u{1B}[31mb", "control character U+001B"), ("a\nb", "control character U+000A"),
              ("a\u{202E}b", "invisible formatting character U+202E"), ("x\u{200B}y", "invisible formatting character U+200B"),
          ])
    func hostileRiverID(_ id: String, rule: String) throws {
        let found = try problems(rivers: riversWithThirdID(id))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.file.hasSuffix("rivers.csv") == true)
        #expect(found.first?.line == 4)
        #expect(found.first?.column == "river_id")
        #expect(found.first?.message.contains(rule) == true, "\(found.first?.message ?? "")")
    }

    @Test("Chinese ids, ids up to 64 bytes and ids with dots, spaces or % inside are legal",
          arguments: ["小浜-01", String(repeating: "河", count: 21), String(repeating: "x", count: 64), "a.b", "a b", "%2F", ".x"])
    func legalIDs(_ id: String) throws {
        let network = try NetworkLoader.load(directory: networkFolder(rivers: riversWithThirdID(id), points: goodPoints))
        #expect(network.river(id)?.name == "小浜")
    }

    @Test("sources may carry surveyed lat and lon; left out, they stay nil")
    func sourceCoordinates() throws {
        let sources = """
            source_id,name,kind,river_id,km,signature,lat,lon
            S1,某厂,enterprise,MAIN,3,industrial,31.81234,119.93456
            S2,排口,outfall,MAIN,4,domestic,,
            """
        let network = try NetworkLoader.load(directory: networkFolder(rivers: goodRivers, points: goodPoints, sources: sources))
        #expect(network.sources.first { $0.id == "S1" }.map { [$0.latitude, $0.longitude] } == [31.81234, 119.93456])
        #expect(network.sources.first { $0.id == "S2" }.map { [$0.latitude, $0.longitude] } == [nil, nil])
    }

    @Test("a source's lat out of range, or a lat without a lon, is a problem with its line and column")
    func sourceCoordinateProblems() throws {
        let sources = """
            source_id,river_id,km,lat,lon
            S1,MAIN,3,95,119.9
            S2,MAIN,4,31.8,
            """
        let found = try problems(sources: sources)
        #expect(found.map(\.line) == [2, 3])
        #expect(found.map(\.column) == ["lat", "lon"])
        #expect(found.first?.message.contains("out of range -90.0…90.0") == true, "\(found)")
        #expect(found.last?.message.contains("need both lat and lon") == true, "\(found)")
    }

    @Test("names with a line break or an escape sequence are rejected with file, line and column")
    func hostileNames() throws {
        let rivers = goodRivers.replacingOccurrences(of: "玲珑景观河", with: "\"玲珑\n景观河\"")
        let points = goodPoints.replacingOccurrences(of: "玲珑桥", with: "玲珑\u{1B}[2J桥")
        let found = try problems(rivers: rivers, points: points)
        try #require(found.count == 2, "\(found)")
        #expect(found.map(\.line) == [3, 4])
        #expect(found.map(\.column) == ["name", "name"])
        #expect(found[0].file.hasSuffix("rivers.csv") && found[1].file.hasSuffix("points.csv"))
        #expect(found[0].message.contains("control character U+000A"))
        #expect(found[1].message.contains("control character U+001B"))
    }

    @Test("a problem never prints a control character: the message names it by code point")
    func problemsPrintable() throws {
        let folder = try networkFolder(rivers: riversWithThirdID("a\u{1B}[2Jpwned"), points: goodPoints)
        let error = try #require(throws: NetworkError.self) { try NetworkLoader.load(directory: folder) }
        let text = error.description
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
        #expect(text.contains("U+001B"))
    }

    @Test("references to rivers follow the id rule too: flows_into and a point's river_id")
    func hostileReferences() throws {
        let rivers = goodRivers.replacingOccurrences(of: "玲珑景观河,MAIN", with: "玲珑景观河,../MAIN")
        let points = goodPoints.replacingOccurrences(of: "玲珑桥,TRIB", with: "玲珑桥,TRIB/..")
        let found = try problems(rivers: rivers, points: points)
        #expect(found.contains { $0.line == 3 && $0.column == "flows_into" && $0.message.contains(#"contains "/""#) })
        #expect(found.contains { $0.line == 4 && $0.column == "river_id" && $0.message.contains(#"contains "/""#) })
    }

    @Test("river ids and point ids that differ only in letter case are rejected: they name report files")
    func caseOnlyDuplicates() throws {
        let rivers = goodRivers + "\nmain,小河,,,2,0.3,\n"
        let points = goodPoints + "\nauto,m-01,另一个点,MAIN,2,31.8,119.9,,\n"
        let found = try problems(rivers: rivers, points: points)
        #expect(found.contains { $0.file.hasSuffix("rivers.csv") && $0.line == 5 && $0.column == "river_id"
                    && $0.message.contains("only in letter case") })
        #expect(found.contains { $0.file.hasSuffix("points.csv") && $0.line == 5 && $0.column == "point_id"
                    && $0.message.contains("only in letter case") })
    }

    @Test("the shipped sample district is valid: 9 rivers, 33 points")
    func sampleDistrict() throws {
        let network = try NetworkLoader.load(directory: sampleNetworkPath)
        #expect(network.rivers.count == 9)
        #expect(network.points.count == 33)
        #expect(network.sources.count >= 20)
        #expect(network.rivers.filter { $0.flowsInto == nil }.count == 1)
    }
}
