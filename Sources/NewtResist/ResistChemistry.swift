import Foundation
import NewtCore

/// The local (per-voxel) reactions of the chain, shared by the stochastic and mean-field forms.
enum ResistChemistry {
    /// Expected acids in a voxel of volume ΔV (nm³) holding ρ·ΔV PAG after a deposited exposure of
    /// `photons` absorbed-photon equivalents: ρ·ΔV·(1 − e^{−C·photons/ΔV}).
    @inline(__always)
    static func meanAcid(photons: Double, activation c: Double, volume: Double, pagDensity: Double) -> Double {
        pagDensity * volume * (1 - exp(-c * photons / volume))
    }

    /// Acid–quencher neutralisation over a time step: dA/dt = dQ/dt = −k·A·Q with A − Q = Δ conserved,
    /// solved exactly: A(t) = Δ·A₀/(A₀ − Q₀·e^{−kΔt}) (A(t) = A₀/(1 + k·A₀·t) when Δ = 0).
    /// Concentrations in 1/nm³, k·t in nm³. Returns (A, Q) after the step.
    @inline(__always)
    static func neutralize(acid a: Double, quencher q: Double, rate kt: Double) -> (Double, Double) {
        guard a > 0, q > 0 else { return (max(a, 0), max(q, 0)) }
        let delta = a - q
        let na: Double
        if abs(delta) * kt < 1e-9 {
            na = a / (1 + kt * a)
        } else {
            let e = exp(-kt * delta)
            na = delta * a / (a - q * e)
        }
        let clamped = max(0, min(a, na))
        return (clamped, max(0, clamped - delta))
    }

    /// The neutralisation step over whole fields, also accumulating the acid dose ∫A dt by the
    /// trapezoid rule (`halfStep` = Δt/2). Same closed form as the scalar version, written
    /// branch-free for the vectoriser: pixels with no acid or no quencher pass through unchanged.
    static func neutralize(acid: UnsafeMutableBufferPointer<Float>, quencher: UnsafeMutableBufferPointer<Float>,
                           acidDose: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
                           rate kt: Float, halfStep: Float) {
        let n = acid.count
        let ap = acid.baseAddress!, qp = quencher.baseAddress!, dp = acidDose.baseAddress!, ep = scratch.baseAddress!
        for k in 0..<n { ep[k] = VectorMath.exp(kt * (qp[k] - ap[k])) }
        for k in 0..<n {
            let a = ap[k], q = qp[k]
            let delta = a - q
            let e = ep[k]
            let general = delta * a / (a - q * e)
            let dk = delta * kt
            let balanced = a / (1 + kt * a)
            var na = (dk < 1e-5 && dk > -1e-5) ? balanced : general
            na = na < 0 ? 0 : (na > a ? a : na)
            let reacting = a > 0 ? (q > 0) : false
            let newA = reacting ? na : (a > 0 ? a : 0)
            let rest = na - delta
            let newQ = reacting ? (rest > 0 ? rest : 0) : (q > 0 ? q : 0)
            ap[k] = newA
            qp[k] = newQ
            dp[k] += halfStep * (a + newA)
        }
    }

    /// Deprotected fraction 1 − e^{−k_amp·∫A dt} (k_amp·t_PEB in nm³, ∫A dt/t_PEB in 1/nm³).
    @inline(__always)
    static func deprotection(amplification k: Double, acidDose: Double) -> Double {
        1 - exp(-k * acidDose)
    }
}
