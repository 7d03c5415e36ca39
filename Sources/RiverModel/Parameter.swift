/// A measured water-quality parameter, by its canonical code (`nh3n`, `tp`, …).
///
/// Each parameter has one canonical unit; readings in other units are converted on ingestion.
public enum Parameter: String, CaseIterable, Sendable, Codable, Comparable {
    case temperature = "temp"
    case pH = "ph"
    case dissolvedOxygen = "do"
    case permanganateIndex = "codmn"
    case chemicalOxygenDemand = "cod"
    case biochemicalOxygenDemand = "bod5"
    case ammoniaNitrogen = "nh3n"
    case totalPhosphorus = "tp"
    case totalNitrogen = "tn"
    case conductivity = "cond"
    case turbidity = "turb"
    case redoxPotential = "orp"
    case transparency = "sd"
    case chlorophyllA = "chla"

    /// The canonical code used in files, the store and JSON.
    public var code: String { rawValue }

    /// The canonical unit readings are stored in.
    public var canonicalUnit: MeasurementUnit {
        switch self {
        case .temperature: .degreesCelsius
        case .pH: .dimensionless
        case .conductivity: .microsiemensPerCentimetre
        case .turbidity: .nephelometricTurbidityUnits
        case .redoxPotential: .millivolts
        case .transparency: .centimetres
        default: .milligramsPerLitre
        }
    }

    /// The Chinese name used in reports and in Chinese headers.
    /// The smallest change of this parameter worth calling a change: about a station's reporting resolution.
    /// Anomaly scores never use a noise width below it.
    public var smallestMeaningfulChange: Double {
        switch self {
        case .temperature: 0.1
        case .pH: 0.02
        case .dissolvedOxygen: 0.05
        case .permanganateIndex: 0.1
        case .chemicalOxygenDemand: 1
        case .biochemicalOxygenDemand: 0.2
        case .ammoniaNitrogen: 0.01
        case .totalPhosphorus: 0.005
        case .totalNitrogen: 0.05
        case .conductivity: 2
        case .turbidity: 0.5
        case .redoxPotential: 5
        case .transparency: 2
        case .chlorophyllA: 0.001
        }
    }

    public var chineseName: String {
        switch self {
        case .temperature: "水温"
        case .pH: "pH"
        case .dissolvedOxygen: "溶解氧"
        case .permanganateIndex: "高锰酸盐指数"
        case .chemicalOxygenDemand: "化学需氧量"
        case .biochemicalOxygenDemand: "五日生化需氧量"
        case .ammoniaNitrogen: "氨氮"
        case .totalPhosphorus: "总磷"
        case .totalNitrogen: "总氮"
        case .conductivity: "电导率"
        case .turbidity: "浊度"
        case .redoxPotential: "氧化还原电位"
        case .transparency: "透明度"
        case .chlorophyllA: "叶绿素a"
        }
    }

    /// The English name used in reports.
    public var englishName: String {
        switch self {
        case .temperature: "water temperature"
        case .pH: "pH"
        case .dissolvedOxygen: "dissolved oxygen"
        case .permanganateIndex: "permanganate index (CODMn)"
        case .chemicalOxygenDemand: "chemical oxygen demand (COD)"
        case .biochemicalOxygenDemand: "BOD5"
        case .ammoniaNitrogen: "ammonia nitrogen (NH3-N)"
        case .totalPhosphorus: "total phosphorus"
        case .totalNitrogen: "total nitrogen"
        case .conductivity: "conductivity"
        case .turbidity: "turbidity"
        case .redoxPotential: "redox potential (ORP)"
        case .transparency: "transparency (Secchi depth)"
        case .chlorophyllA: "chlorophyll a"
        }
    }

    /// Header spellings that name this parameter, compared after ``Parameter/normalizedHeader(_:)``.
    /// The list is documented in `docs/formats.md`.
    public var aliases: [String] {
        switch self {
        case .temperature: ["temp", "watertemperature", "temperature", "wt", "水温", "温度"]
        case .pH: ["ph", "ph值"]
        case .dissolvedOxygen: ["do", "dissolvedoxygen", "溶解氧"]
        case .permanganateIndex: ["codmn", "permanganateindex", "高锰酸盐指数", "高锰酸盐"]
        case .chemicalOxygenDemand: ["cod", "codcr", "chemicaloxygendemand", "化学需氧量"]
        case .biochemicalOxygenDemand: ["bod5", "bod", "biochemicaloxygendemand", "五日生化需氧量", "生化需氧量"]
        case .ammoniaNitrogen: ["nh3n", "nh3-n", "nh4n", "nh4-n", "nh3", "ammonia", "ammonianitrogen", "氨氮"]
        case .totalPhosphorus: ["tp", "totalphosphorus", "总磷"]
        case .totalNitrogen: ["tn", "totalnitrogen", "总氮"]
        case .conductivity: ["cond", "conductivity", "ec", "spc", "specificconductance", "电导率"]
        case .turbidity: ["turb", "turbidity", "浊度"]
        case .redoxPotential: ["orp", "redox", "redoxpotential", "氧化还原电位"]
        case .transparency: ["sd", "transparency", "secchi", "secchidepth", "透明度"]
        case .chlorophyllA: ["chla", "chl-a", "chlorophylla", "chlorophyll", "叶绿素a", "叶绿素α", "叶绿素"]
        }
    }

    private static let byAlias: [String: Parameter] = {
        var table: [String: Parameter] = [:]
        for parameter in Parameter.allCases {
            for alias in parameter.aliases { table[normalizedHeader(alias)] = parameter }
        }
        return table
    }()

    /// The parameter a header or code names, or nil.
    public static func named(_ text: String) -> Parameter? {
        byAlias[normalizedHeader(text)]
    }

    /// Lower-cased, without spaces, underscores, dashes and dots, full-width ASCII folded: how headers compare.
    public static func normalizedHeader(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            var value = scalar.value
            // Full-width ASCII (Ａ, （) → ASCII.
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            guard let folded = Unicode.Scalar(value) else { continue }
            switch folded {
            case " ", "_", "-", ".", "\u{3000}", "\t": continue
            // String's append keeps growing geometrically; appending a scalar *view* reserves exactly and was
            // quadratic on long cells (a 200 kB header cell took 5 s).
            default: out += String(folded).lowercased()
            }
        }
        return out
    }

    public static func < (lhs: Parameter, rhs: Parameter) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
