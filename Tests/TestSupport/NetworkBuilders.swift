import RiverModel

// Rivers and points for networks written in a test: the id first, then only what the test is about.
// The labels are the memberwise initialisers' own; what is left out is a plain river (10 km at 0.3 m/s,
// no target class) or a manual point without coordinates or a target of its own.

extension River {
    /// A river named by its id unless `name` is given; a main river unless it `flowsInto` another.
    public init(_ id: String, name: String? = nil, flowsInto: String? = nil, confluenceKilometres: Double? = nil,
                lengthKilometres: Double = 10, velocityMetresPerSecond: Double = 0.3, targetClass: WaterClass? = nil,
                waterBody: WaterBody = .river, englishName: String? = nil) {
        self.init(id: id, name: name ?? id, flowsInto: flowsInto, confluenceKilometres: confluenceKilometres,
                  lengthKilometres: lengthKilometres, velocityMetresPerSecond: velocityMetresPerSecond,
                  targetClass: targetClass, waterBody: waterBody, englishName: englishName)
    }
}

extension MonitoringPoint {
    /// A point named by its id unless `name` is given, at `kilometre` of `riverID`, without coordinates.
    public init(_ id: String, name: String? = nil, riverID: String, kilometre: Double, ownTargetClass: WaterClass? = nil,
                kind: PointKind = .manual) {
        self.init(id: id, name: name ?? id, riverID: riverID, kilometre: kilometre, latitude: nil, longitude: nil,
                  ownTargetClass: ownTargetClass, kind: kind)
    }
}
