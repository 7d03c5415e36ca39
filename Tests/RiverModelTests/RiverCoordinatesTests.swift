import RiverModel
import Testing

/// A river of 4 km with points at km 0 (31.00000 N, 120.00000 E) and km 2 (31.02000 N, 120.04000 E): every expected
/// position below is worked out by hand from these two.
private func network(sources: [RegisteredSource] = [], extraPoints: [MonitoringPoint] = []) -> Network {
    Network(rivers: [River(id: "M", name: "主河", flowsInto: nil, confluenceKilometres: nil, lengthKilometres: 4,
                           velocityMetresPerSecond: 0.3, targetClass: nil),
                     River(id: "T", name: "支流", flowsInto: "M", confluenceKilometres: 1, lengthKilometres: 2,
                           velocityMetresPerSecond: 0.3, targetClass: nil)],
            points: [MonitoringPoint(id: "M-1", name: "上", riverID: "M", kilometre: 0, latitude: 31.0, longitude: 120.0,
                                     ownTargetClass: nil, kind: .automatic),
                     MonitoringPoint(id: "M-2", name: "下", riverID: "M", kilometre: 2, latitude: 31.02, longitude: 120.04,
                                     ownTargetClass: nil, kind: .automatic)] + extraPoints,
            sources: sources)
}

@Suite("coordinates along a river")
struct RiverCoordinatesTests {
    @Test("a source at km 0.5 between points at km 0 and km 2 lies a quarter of the way: 31.005 N, 120.010 E")
    func interpolated() throws {
        // 0.5 / 2 = 0.25; 31 + 0.25 × 0.02 = 31.005; 120 + 0.25 × 0.04 = 120.01.
        let source = RegisteredSource(id: "S", name: "排口", kind: "outfall", riverID: "M", kilometre: 0.5, signature: .domestic)
        let position = try #require(network(sources: [source]).position(of: source))
        #expect(abs(position.latitude - 31.005) < 1e-9)
        #expect(abs(position.longitude - 120.01) < 1e-9)
        #expect(position.approximate)
    }

    @Test("beyond the last point the line through the nearest two goes on: km 3 is 31.03 N, 120.06 E")
    func extrapolatedDownstream() throws {
        // (3 − 0) / 2 = 1.5 of the step from km 0 to km 2: 31 + 1.5 × 0.02, 120 + 1.5 × 0.04.
        let position = try #require(network().position(onRiver: "M", kilometre: 3))
        #expect(abs(position.latitude - 31.03) < 1e-9)
        #expect(abs(position.longitude - 120.06) < 1e-9)
    }

    @Test("above the first point too: km −1 would be 30.99 N, 119.98 E, and a point at km 1 takes over between")
    func extrapolatedUpstreamAndNearestPair() throws {
        let position = try #require(network().position(onRiver: "M", kilometre: -1))
        #expect(abs(position.latitude - 30.99) < 1e-9 && abs(position.longitude - 119.98) < 1e-9)
        // With a third point at km 1 (31.01, 120.03), km 1.5 lies halfway between it and km 2: 31.015, 120.035.
        let bent = network(extraPoints: [MonitoringPoint(id: "M-3", name: "中", riverID: "M", kilometre: 1, latitude: 31.01,
                                                         longitude: 120.03, ownTargetClass: nil, kind: .manual)])
        let between = try #require(bent.position(onRiver: "M", kilometre: 1.5))
        #expect(abs(between.latitude - 31.015) < 1e-9 && abs(between.longitude - 120.035) < 1e-9)
    }

    @Test("no place more than two spacings of the end pair beyond it: close points give too poor a direction")
    func extrapolationLimited() throws {
        // Points at km 0 and km 2: a spacing is 2 km, so km −4 and km 6 are the last places, km −4.5 and km 6.5 none.
        #expect(network().position(onRiver: "M", kilometre: 6) != nil)
        #expect(network().position(onRiver: "M", kilometre: -4) != nil)
        #expect(network().position(onRiver: "M", kilometre: 6.5) == nil)
        #expect(network().position(onRiver: "M", kilometre: -4.5) == nil)
    }

    @Test("a source's surveyed coordinates win over the river's line and are not approximate")
    func surveyed() throws {
        let source = RegisteredSource(id: "S", name: "排口", kind: "outfall", riverID: "M", kilometre: 0.5, signature: .domestic,
                                      latitude: 31.1, longitude: 120.2)
        #expect(network(sources: [source]).position(of: source) == GeoPosition(latitude: 31.1, longitude: 120.2, approximate: false))
    }

    @Test("a river with fewer than two points with coordinates cannot place anything; its mouth lies on the river it joins")
    func unplaceable() throws {
        #expect(network().position(onRiver: "T", kilometre: 0.5) == nil)
        // T joins M at km 1: halfway from km 0 to km 2, 31.01 N, 120.02 E.
        let mouth = try #require(network().mouthPosition(of: network().river("T")!))
        #expect(abs(mouth.latitude - 31.01) < 1e-9 && abs(mouth.longitude - 120.02) < 1e-9)
    }

    @Test("a stretch's course runs from its upper end through the points on it to its lower end")
    func course() {
        let course = network().course(ofRiver: "M", from: 0.5, to: 3)
        // km 0.5 (31.005, 120.01), the point M-2 at km 2 (31.02, 120.04), km 3 (31.03, 120.06).
        #expect(course.count == 3)
        #expect(course.map { ($0.latitude * 1000).rounded() / 1000 } == [31.005, 31.02, 31.03])
        #expect(course.map(\.approximate) == [true, false, true])
    }
}
