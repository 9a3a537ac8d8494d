import Foundation

/// Image metrics over a focus × dose grid for a threshold resist sized at the nominal point.
///
/// The threshold t₀ is the edge intensity of the image at the nominal focus, so the target CD
/// prints at the nominal dose E₀ there. At dose E the resist clears where E·I = E₀·t₀, so the
/// printed edges sit where I = t₀·E₀/E. At each point: printed CD, ILS at the printed edges
/// (1/nm), NILS = ILS × target CD, and the image contrast (dose-independent).
public struct FocusDoseMap: Sendable {
    /// Focus values in nm (rows).
    public let focuses: [Double]
    /// Doses in mJ/cm² (columns).
    public let doses: [Double]
    /// Nominal (sizing) dose in mJ/cm².
    public let nominalDose: Double
    /// Sizing threshold t₀ (normalised intensity).
    public let threshold: Double
    /// Printed CD in nm, [focus][dose]; NaN where the feature does not print.
    public let cd: [[Double]]
    /// ILS at the printed edges in 1/nm, [focus][dose]; NaN where the feature does not print.
    public let ils: [[Double]]
    /// NILS = ILS × target CD, [focus][dose].
    public let nils: [[Double]]
    /// Contrast per focus, [focus][dose] (the same along a row).
    public let contrast: [[Double]]

    /// Computes the map from a profile at each focus; `profileAt` is called once per focus value.
    public init(focuses: [Double], doses: [Double], nominalFocus: Double, nominalDose: Double,
                feature: FeatureGeometry, profileAt: (Double) throws -> PeriodicProfile,
                progress: ((Int) -> Void)? = nil) rethrows {
        self.focuses = focuses
        self.doses = doses
        self.nominalDose = nominalDose
        let t0 = ImageMetrics(profile: try profileAt(nominalFocus), feature: feature).edgeIntensity
        threshold = t0
        var cd: [[Double]] = [], ils: [[Double]] = [], nils: [[Double]] = [], contrast: [[Double]] = []
        for (i, f) in focuses.enumerated() {
            let profile = try profileAt(f)
            let base = ImageMetrics(profile: profile, feature: feature)
            var cdRow: [Double] = [], ilsRow: [Double] = [], nilsRow: [Double] = []
            for e in doses {
                let t = t0 * nominalDose / e
                if let edges = ImageMetrics.printedEdges(profile, feature: feature, threshold: t) {
                    let s = (abs(profile.slope(at: edges.left) / profile.value(at: edges.left))
                             + abs(profile.slope(at: edges.right) / profile.value(at: edges.right))) / 2
                    cdRow.append(edges.right - edges.left)
                    ilsRow.append(s)
                    nilsRow.append(s * feature.width)
                } else {
                    cdRow.append(.nan); ilsRow.append(.nan); nilsRow.append(.nan)
                }
            }
            cd.append(cdRow); ils.append(ilsRow); nils.append(nilsRow)
            contrast.append(Array(repeating: base.contrast, count: doses.count))
            progress?(i + 1)
        }
        self.cd = cd
        self.ils = ils
        self.nils = nils
        self.contrast = contrast
    }
}
