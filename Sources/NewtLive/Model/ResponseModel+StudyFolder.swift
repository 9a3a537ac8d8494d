import Foundation

extension ResponseModel {
    /// A study folder that cannot give a model: which file, what is wrong.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var file: String, message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Metrology σ assumed when none is given: a CD-SEM's 1σ precision for CD, LER and LWR, nm.
    public static let defaultMetrology = Spread(cd: 0.1, ler: 0.1, lwr: 0.1)

    /// The model of a finished study folder:
    /// - CD of V lines over the focus–exposure matrix (`fem/fem.csv`, the resist model);
    /// - LER, LWR and the bridge and break densities with their 95 % upper bounds over the
    ///   stochastic window's grid (`stochastic_window/stochastic_window.csv`, the Monte Carlo ensembles);
    /// - δ from the mask-3D best foci of H and V lines (`m3d/m3d_summary.json`);
    /// - the nominal point and the site-to-site spread from the baseline ensemble
    ///   (`resist_baseline/summary.json` and `trials.csv`: σ of CD, and of LER and LWR relative to
    ///   their means, across trials);
    /// - the model's own error (``ResponseModel/modelError``): CD from the FEM against the window's
    ///   ensembles, LER and LWR from the window's trials per point (`stochastic_summary.json`;
    ///   absent, none is stated; present without `trials_per_point` ≥ 1, an error).
    public static func load(studyFolder folder: String, metrology: Spread = defaultMetrology) throws -> ResponseModel {
        let root = URL(fileURLWithPath: folder)
        func text(_ path: String) throws -> String {
            guard let s = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else {
                throw LoadError(file: path, message: "missing or unreadable (is \(folder) a finished study folder?)")
            }
            return s
        }
        func object(_ path: String) throws -> [String: Any] {
            let t = try text(path)
            guard let o = (try? JSONSerialization.jsonObject(with: Data(t.utf8))) as? [String: Any] else {
                throw LoadError(file: path, message: "is not a JSON object")
            }
            return o
        }
        func number(_ o: [String: Any], _ key: String, _ path: String) throws -> Double {
            guard let v = o[key] as? Double, v.isFinite else { throw LoadError(file: path, message: "\(key) is missing or not a finite number") }
            return v
        }
        let manifest = try object("manifest.json")
        let fem = try table(text("fem/fem.csv"), file: "fem/fem.csv")
        let window = try table(text("stochastic_window/stochastic_window.csv"), file: "stochastic_window/stochastic_window.csv")
        let m3d = try object("m3d/m3d_summary.json")
        let baseline = try object("resist_baseline/summary.json")
        let trials = try table(text("resist_baseline/trials.csv"), file: "resist_baseline/trials.csv")

        let cd = try fem.surface("cd_nm", logarithmic: false)
        let ler = try window.surface("ler_3sigma_nm", logarithmic: false)
        let lwr = try window.surface("lwr_3sigma_nm", logarithmic: false)
        let bridges = try window.surface("bridge_density_cm2", logarithmic: true)
        let breaks = try window.surface("break_density_cm2", logarithmic: true)
        let bridgeHigh = try window.surface("bridge_hi", logarithmic: true), breakHigh = try window.surface("break_hi", logarithmic: true)
        var high = bridgeHigh
        high.values = zip(bridgeHigh.values, breakHigh.values).map { zip($0, $1).map { $0 + $1 } }
        let delta = try number(m3d, "best_focus_h_nm", "m3d/m3d_summary.json") - number(m3d, "best_focus_v_nm", "m3d/m3d_summary.json")
        /// Standard deviation of a trials column, and its mean.
        func spread(_ column: String) throws -> (sd: Double, mean: Double) {
            let v = try trials.column(column).filter(\.isFinite)
            guard v.count >= 2 else { throw LoadError(file: "resist_baseline/trials.csv", message: "\(column) has fewer than 2 trials") }
            let m = v.reduce(0, +) / Double(v.count)
            return ((v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot(), m)
        }
        let (sc, sl, sw) = (try spread("cd_nm"), try spread("ler_3sigma_nm"), try spread("lwr_3sigma_nm"))
        let fingerprint = manifest["fingerprint"] as? String ?? "?"
        var model = ResponseModel(cd: cd, ler: ler, lwr: lwr, bridgeDensity: bridges, breakDensity: breaks, hvOffset: delta,
                                  siteSpread: Spread(cd: sc.sd, ler: sl.sd / sl.mean, lwr: sw.sd / sw.mean), metrology: metrology,
                                  nominalDose: try number(baseline, "dose_mj_cm2", "resist_baseline/summary.json"),
                                  nominalFocus: try number(baseline, "focus_nm", "resist_baseline/summary.json"),
                                  source: "\(folder) (study \(fingerprint))")
        model.densityHigh = high
        // The resist model's CD against the ensembles' mean CD at the window's nodes.
        let wf = try window.column("focus_nm"), we = try window.column("dose_mj_cm2"), wcd = try window.column("cd_nm")
        let gaps = wcd.indices.compactMap { i -> Double? in
            let d = wcd[i] - cd.value(dose: we[i], focus: wf[i])
            return d.isFinite ? d * d : nil
        }
        if !gaps.isEmpty { model.modelError.cd = (gaps.reduce(0, +) / Double(gaps.count)).squareRoot() }
        // The window's LER and LWR are means over its trials per point (no file: no error stated;
        // a file that does not say how many is an error, not a silent zero).
        let summary = "stochastic_window/stochastic_summary.json"
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(summary).path) {
            guard let n = try object(summary)["trials_per_point"].flatMap({ ($0 as? NSNumber)?.doubleValue }), n >= 1 else {
                throw LoadError(file: summary, message: "trials_per_point is missing or below 1")
            }
            (model.modelError.ler, model.modelError.lwr) = (sl.sd / n.squareRoot(), sw.sd / n.squareRoot())
        }
        return model
    }

    /// A CSV table of numbers: `#` lines skipped, a header, RFC 4180 quoting; empty or non-numeric
    /// cells read as NaN.
    struct Table {
        var file: String, header: [String], rows: [[Double]]

        /// The column named `name`.
        func column(_ name: String) throws -> [Double] {
            guard let k = header.firstIndex(of: name) else { throw LoadError(file: file, message: "has no column \(name)") }
            return rows.map { k < $0.count ? $0[k] : .nan }
        }

        /// The column `name` over the (focus_nm × dose_mj_cm2) grid the rows span; a node no row
        /// gives is NaN.
        func surface(_ name: String, logarithmic: Bool) throws -> ResponseSurface {
            let f = try column("focus_nm"), e = try column("dose_mj_cm2"), v = try column(name)
            let focuses = Array(Set(f.filter(\.isFinite))).sorted(), doses = Array(Set(e.filter(\.isFinite))).sorted()
            guard focuses.count >= 2, doses.count >= 2 else { throw LoadError(file: file, message: "spans fewer than 2 focuses or 2 doses") }
            var values = Array(repeating: Array(repeating: Double.nan, count: doses.count), count: focuses.count)
            for r in rows.indices {
                guard let i = focuses.firstIndex(of: f[r]), let j = doses.firstIndex(of: e[r]) else { continue }
                values[i][j] = v[r]
            }
            return ResponseSurface(focuses: focuses, doses: doses, values: values, logarithmic: logarithmic)
        }
    }

    /// Parses `text` (from `file`) into a ``Table``.
    static func table(_ text: String, file: String) throws -> Table {
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
        guard let head = lines.first else { throw LoadError(file: file, message: "is empty") }
        let header = cells(head)
        return Table(file: file, header: header, rows: lines.dropFirst().map { cells($0).map { Double($0) ?? .nan } })
    }

    /// The cells of one CSV line, quotes removed.
    static func cells(_ line: Substring) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        var it = line.makeIterator()
        while let c = it.next() {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { out.append(cell); cell = "" } else { cell.append(c) }
        }
        out.append(cell)
        return out
    }
}
