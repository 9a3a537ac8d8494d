import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtMetrology
import NewtCase

/// The deterministic part of one operating point: the sized mask, the absorbed photons across the
/// domain, the mean-field latent image and its CD, and the resist-line geometry to measure.
public struct ResistSetup: Sendable {
    /// The case.
    public let stochasticCase: Case
    /// Dose in mJ/cm².
    public let dose: Double
    /// Focus in nm.
    public let focus: Double
    /// The line pattern as exposed (bias solved when the case asks for it).
    public let lines: LinePattern
    /// Mean absorbed photons per pixel across x, and per nm².
    public let photons: AbsorbedPhotons
    /// Mean-field deprotected fraction across x.
    public let meanFieldDeprotection: [Double]
    /// Mean-field resist-line CD in nm (nil: no line prints).
    public let meanFieldCD: Double?
    /// Resist lines to measure.
    public let geometry: LineArrayGeometry
    /// Target resist-line CD in nm (cd for bright field, pitch − cd for dark field).
    public let targetCD: Double
    /// Domain pixels across and along.
    public let nx: Int, ny: Int

    /// Prepares an operating point; with `resist.bias_to_size` the mask bias is solved at the
    /// case's nominal dose and focus so the mean-field CD equals the target.
    public init(_ c: Case, dose: Double, focus: Double) throws {
        guard case let .lines(drawn) = c.mask.pattern else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines (the stochastic resist model simulates line/space arrays)")
        }
        stochasticCase = c
        self.dose = dose
        self.focus = focus
        let dark = c.mask.tone == .brightField
        targetCD = dark ? drawn.cd : drawn.pitch - drawn.cd
        nx = c.domain.nx(pitch: drawn.pitch)
        ny = c.domain.ny
        geometry = LineArrayGeometry(pitch: drawn.pitch, count: c.domain.lines, offset: dark ? 0 : -drawn.pitch / 2)
        var sized = drawn
        if c.biasToSize {
            sized.bias = try Self.solveBias(c, drawn: drawn, target: targetCD, dark: dark)
        }
        lines = sized
        photons = try Self.absorbed(c, lines: sized, dose: dose, focus: focus, nx: nx)
        let mf = MeanFieldResist(parameters: c.resist, pixel: c.domain.pixel)
        meanFieldDeprotection = mf.deprotection(photons: photons.perPixel, dose: dose)
        let e = c.resist.development == .front
            ? mf.edges(margin: mf.margin(photons: photons.perPixel, layerPhotons: photons.perLayer, dose: dose),
                       center: geometry.centers[0], halfPitch: drawn.pitch / 2)
            : mf.edges(deprotection: meanFieldDeprotection, center: geometry.centers[0], halfPitch: drawn.pitch / 2)
        meanFieldCD = e.map { $0.right - $0.left }
    }

    /// The drawn line pattern with its bias solved for the case (or as drawn without `bias_to_size`).
    public static func sizedLines(_ c: Case) throws -> LinePattern {
        guard case let .lines(drawn) = c.mask.pattern else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines (the resist model simulates line/space arrays)")
        }
        guard c.biasToSize else { return drawn }
        var sized = drawn
        let dark = c.mask.tone == .brightField
        sized.bias = try solveBias(c, drawn: drawn, target: dark ? drawn.cd : drawn.pitch - drawn.cd, dark: dark)
        return sized
    }

    /// Absorbed photons per pixel through the film for a line pattern, domain x = profile x + p/2.
    static func absorbed(_ c: Case, lines: LinePattern, dose: Double, focus: Double, nx: Int) throws -> AbsorbedPhotons {
        absorbed(c, imager: try c.lineImager(lines), dose: dose, focus: focus, nx: nx)
    }

    /// The same from an imager of the pattern (reuse one across focus and dose: a rigorous mask
    /// costs seconds to build).
    public static func absorbed(_ c: Case, imager: LineImager, dose: Double, focus: Double, nx: Int) -> AbsorbedPhotons {
        let lines = imager.pattern
        let layers = c.resist.absorptionLayers
        let dz = c.resist.thickness / Double(layers)
        var profiles: [Double: PeriodicProfile] = [:]
        for l in 0..<layers {
            let mid = (Double(l) + 0.5) * dz
            profiles[mid] = imager.profile(focus: focus, film: FilmPlane(depth: mid, film: c.film))
        }
        return AbsorbedPhotons(dose: dose, wavelength: c.optics.wavelength, resist: c.resist, pixel: c.domain.pixel, nx: nx) { x, depth in
            profiles[depth]!.value(at: x - lines.pitch / 2)
        }
    }

    /// The bias for mean-field CD = target (within 1e-5 nm) at the nominal dose and focus.
    static func solveBias(_ c: Case, drawn: LinePattern, target: Double, dark: Bool) throws -> Double {
        let nx = c.domain.nx(pitch: drawn.pitch)
        let mf = MeanFieldResist(parameters: c.resist, pixel: c.domain.pixel)
        // Resist lines sit under bright-field features (x = p/2) or between dark-field openings (x = 0 ≡ p).
        let centre = dark ? drawn.pitch / 2 : drawn.pitch
        func cd(_ bias: Double) throws -> Double {
            var l = drawn
            l.bias = bias
            let ph = try absorbed(c, lines: l, dose: c.process.dose, focus: c.process.focus, nx: nx)
            let m = mf.margin(photons: ph.perPixel, layerPhotons: ph.perLayer, dose: c.process.dose)
            guard let e = mf.edges(margin: m, center: centre, halfPitch: drawn.pitch / 2) else {
                // No edge: either no resist line prints (CD 0) or the lines merged (CD = pitch).
                let j = Int((centre / c.domain.pixel - 0.5).rounded()) % m.count
                return m[j] <= 0 ? drawn.pitch : 0
            }
            return e.right - e.left
        }
        // Resist-line CD grows with bias for bright field and shrinks for dark field.
        var lo = -drawn.cd + 0.5, hi = drawn.pitch - drawn.cd - 0.5
        let sign: Double = dark ? 1 : -1
        let cdLo = try cd(lo), cdHi = try cd(hi)
        let fLo = sign * (cdLo - target), fHi = sign * (cdHi - target)
        guard fLo < 0, fHi > 0 else {
            throw NewtError.invalidInput(key: "resist.bias_to_size", value: "true",
                                         allowed: "a case whose target CD \(target) nm can be printed by some mask bias at \(c.process.dose) mJ/cm² (mean-field CD spans \(String(format: "%.2f", cdLo))–\(String(format: "%.2f", cdHi)) nm); adjust the resist or set bias_to_size false")
        }
        // Illinois (modified regula falsi): keeps the bracket, converges superlinearly.
        var fa = fLo, fb = fHi
        var side = 0
        var x = (lo + hi) / 2
        for _ in 0..<60 {
            x = (lo * fb - hi * fa) / (fb - fa)
            let fx = sign * (try cd(x) - target)
            if abs(fx) < 1e-5 || hi - lo < 1e-6 { break }
            if fx < 0 {
                lo = x; fa = fx
                if side == -1 { fb /= 2 }
                side = -1
            } else {
                hi = x; fb = fx
                if side == 1 { fa /= 2 }
                side = 1
            }
        }
        return x
    }
}
