/// A unit a reading may arrive in. Each belongs to one dimension; a parameter accepts the units of its own.
public enum MeasurementUnit: String, CaseIterable, Sendable, Codable {
    case milligramsPerLitre = "mg/L"
    case microgramsPerLitre = "µg/L"
    case nanogramsPerLitre = "ng/L"
    case gramsPerLitre = "g/L"
    case microsiemensPerCentimetre = "µS/cm"
    case millisiemensPerCentimetre = "mS/cm"
    case millisiemensPerMetre = "mS/m"
    case siemensPerMetre = "S/m"
    case degreesCelsius = "℃"
    case degreesFahrenheit = "℉"
    case kelvin = "K"
    case nephelometricTurbidityUnits = "NTU"
    case millivolts = "mV"
    case volts = "V"
    case centimetres = "cm"
    case metres = "m"
    case millimetres = "mm"
    case dimensionless = ""

    /// The physical dimension: units convert only within one.
    public enum Dimension: Sendable {
        case massConcentration, conductivity, temperature, turbidity, potential, length, none
    }

    /// This unit's dimension.
    public var dimension: Dimension {
        switch self {
        case .milligramsPerLitre, .microgramsPerLitre, .nanogramsPerLitre, .gramsPerLitre: .massConcentration
        case .microsiemensPerCentimetre, .millisiemensPerCentimetre, .millisiemensPerMetre, .siemensPerMetre:
            .conductivity
        case .degreesCelsius, .degreesFahrenheit, .kelvin: .temperature
        case .nephelometricTurbidityUnits: .turbidity
        case .millivolts, .volts: .potential
        case .centimetres, .metres, .millimetres: .length
        case .dimensionless: .none
        }
    }

    /// Converts a value in this unit to `target` (same dimension).
    public func convert(_ value: Double, to target: MeasurementUnit) -> Double {
        if self == target { return value }
        return target.fromBase(toBase(value))
    }

    // Base units: mg/L, µS/cm, ℃, NTU, mV, cm.
    private func toBase(_ value: Double) -> Double {
        switch self {
        case .microgramsPerLitre: value / 1_000
        case .nanogramsPerLitre: value / 1_000_000
        case .gramsPerLitre: value * 1_000
        case .millisiemensPerCentimetre: value * 1_000
        case .millisiemensPerMetre: value * 10
        case .siemensPerMetre: value * 10_000
        case .degreesFahrenheit: (value - 32) * 5 / 9
        case .kelvin: value - 273.15
        case .volts: value * 1_000
        case .metres: value * 100
        case .millimetres: value / 10
        default: value
        }
    }

    private func fromBase(_ value: Double) -> Double {
        switch self {
        case .microgramsPerLitre: value * 1_000
        case .nanogramsPerLitre: value * 1_000_000
        case .gramsPerLitre: value / 1_000
        case .millisiemensPerCentimetre: value / 1_000
        case .millisiemensPerMetre: value / 10
        case .siemensPerMetre: value / 10_000
        case .degreesFahrenheit: value * 9 / 5 + 32
        case .kelvin: value + 273.15
        case .volts: value / 1_000
        case .metres: value / 100
        case .millimetres: value * 10
        default: value
        }
    }

    /// Spellings seen in exports, compared lower-cased without spaces; documented in `docs/formats.md`.
    private static let spellings: [String: MeasurementUnit] = {
        var table: [String: MeasurementUnit] = [:]
        func add(_ unit: MeasurementUnit, _ names: [String]) { for name in names { table[key(name)] = unit } }
        add(.milligramsPerLitre, ["mg/L", "mg/l", "mg L-1", "mg·L-1", "mg·L⁻¹", "ppm", "毫克/升"])
        add(.microgramsPerLitre, ["µg/L", "μg/L", "ug/L", "mcg/L", "µg·L-1", "μg·L-1", "ppb", "mg/m3", "微克/升"])
        add(.nanogramsPerLitre, ["ng/L"])
        add(.gramsPerLitre, ["g/L"])
        add(.microsiemensPerCentimetre, ["µS/cm", "μS/cm", "uS/cm", "us/cm", "微西门子/厘米"])
        add(.millisiemensPerCentimetre, ["mS/cm", "ms/cm"])
        add(.millisiemensPerMetre, ["mS/m"])
        add(.siemensPerMetre, ["S/m"])
        add(.degreesCelsius, ["℃", "°C", "ºC", "C", "degC", "deg C", "celsius", "摄氏度", "度"])
        add(.degreesFahrenheit, ["℉", "°F", "F", "degF"])
        add(.kelvin, ["K", "kelvin"])
        add(.nephelometricTurbidityUnits, ["NTU", "FNU", "FTU"])
        add(.millivolts, ["mV", "毫伏"])
        add(.volts, ["V"])
        add(.centimetres, ["cm", "厘米"])
        add(.metres, ["m", "米"])
        add(.millimetres, ["mm", "毫米"])
        add(.dimensionless, ["", "无量纲", "无", "-", "—", "pH", "dimensionless", "unitless", "pH units"])
        return table
    }()

    private static func key(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars where scalar != " " && scalar != "\u{3000}" {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            if let folded = Unicode.Scalar(value) { out.unicodeScalars.append(folded) }
        }
        // mS/cm and MS/cm differ only in case, so case matters except for the letter L and spelled words.
        return out.replacingLitre()
    }

    /// The unit a text names, or nil when it is not a unit rivertrace knows.
    public static func named(_ text: String) -> MeasurementUnit? {
        let k = key(text)
        return spellings[k] ?? spellings.first { $0.key.lowercased() == k.lowercased() && isCaseFree($0.value) }?.value
    }

    // Units whose spelling carries no meaning in letter case (NTU vs ntu); the SI prefixes do.
    private static func isCaseFree(_ unit: MeasurementUnit) -> Bool {
        switch unit {
        case .nephelometricTurbidityUnits, .degreesCelsius, .dimensionless, .milligramsPerLitre, .microgramsPerLitre:
            true
        default: false
        }
    }
}

extension String {
    fileprivate func replacingLitre() -> String {
        var out = self
        if out.hasSuffix("/l") { out.removeLast(); out.append("L") }
        return out
    }
}
