import Foundation
import RiverModel
import Trace

extension ReportLanguage {
    /// The name of a river, point, source or river chief in this language: the English name (`name_en`) in English
    /// when the network files give one, else the name as written. The one place reports and charts pick names.
    public func name(of thing: some NetworkNamed) -> String {
        self == .en ? thing.englishName ?? thing.name : thing.name
    }

    /// Chinese or English.
    func t(_ chinese: String, _ english: String) -> String { self == .zh ? chinese : english }

    /// "Ⅳ类" / "Class IV", "劣Ⅴ类" / "worse than Class V"; "—" for none.
    func className(_ waterClass: WaterClass?) -> String {
        guard let waterClass else { return "—" }
        return self == .zh ? waterClass.chineseName : waterClass == .worseThanV ? "worse than Class V" : "Class " + waterClass.roman
    }
}

/// The words the report uses for the codes in the network files and the analysis, in the report's language.
extension ReportWriter {
    /// A river's, point's or source's name in the report's language (unescaped): ``ReportLanguage/name(of:)``.
    func displayName(_ thing: some NetworkNamed) -> String { language.name(of: thing) }

    /// `sources.csv` `kind`: the common ones named, others as written.
    func sourceKind(_ kind: String) -> String {
        let names: [String: (String, String)] = [
            "outfall": ("排口", "outfall"), "enterprise": ("企业", "enterprise"), "wwtp": ("污水处理厂", "wastewater plant"),
            "pump_station": ("泵站", "pump station"), "farm_drain": ("农田退水口", "farm drain"),
        ]
        return names[kind].map { t($0.0, $0.1) } ?? escapeMarkdown(kind)
    }

    func signatureName(_ signature: SourceSignature) -> String {
        switch signature {
        case .domestic: t("生活污水", "domestic sewage")
        case .industrial: t("工业废水", "industrial effluent")
        case .agricultural: t("农业面源", "farmland runoff")
        case .stormwater: t("雨水", "stormwater")
        case .mixed: t("混合", "mixed")
        case .unknown: t("未知", "unknown")
        }
    }

    func mixingName(_ mixing: MixingBasis) -> String {
        switch mixing {
        case .conductivity: t("按电导率", "by conductivity")
        case .length: t("按河长", "by river length")
        case .none: t("无支流汇入", "no tributary")
        }
    }

    /// A candidate's reasons, rebuilt in the report's language from what the trace says.
    func candidateReasons(_ candidate: SourceCandidate, trace: TraceResult) -> String {
        guard let id = candidate.sourceID, let source = input.network.sources.first(where: { $0.id == id }) else {
            return t("疑似河段上的未登记排口、雨污混接或偷排管道", "an unregistered outfall, misconnection or hidden pipe on the stretch")
        }
        var parts: [String] = []
        if let fit = candidate.signatureFit.map({ Int(($0 * 100).rounded()) }) {
            parts.append(t("排放特征（\(signatureName(source.signature))）与本次异常吻合 \(fit)%",
                           "its signature (\(signatureName(source.signature))) fits the event \(fit) %"))
        }
        let onSuspect = trace.suspectSegment?.contains(riverID: source.riverID, kilometre: source.kilometre) == true
        switch onSuspect ? .suspectStretch : candidate.place ?? .alternativeStretch {
        case .suspectStretch:
            parts.append(t("位于疑似河段", "on the suspect stretch"))
        case .passedStretch:
            parts.append(t("位于溯源经过的河段（若上游信号只是巧合，污染源可能在此）", "on a stretch the walk passed (the source is here if an upstream signal was a coincidence)"))
        case .aboveCleanStation:
            parts.append(t("位于未见异常的站点上游（污染团经稀释后可能未被该站测出）",
                           "above a station that looked clean (the plume may have passed it too diluted to register)"))
        case .alternativeStretch:
            parts.append(t("位于汇入疑似河段的支流或无数据站点上游", "on a tributary joining the stretch, or above a station without usable readings"))
        }
        return parts.joined(separator: t("；", "; "))
    }
}
